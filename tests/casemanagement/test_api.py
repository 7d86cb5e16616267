from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casemanagement.api.views import CallerRateThrottle
from casemanagement.models import Confidentiality
from contactcentre.interactions.services import contact_moment_record
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import Address
from tests.casemanagement.factories import CaseTypeFactory, PersonFactory, make_case

pytestmark = pytest.mark.django_db


def _contact(party, assurance="low"):
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party, assurance=assurance)
    return contact


def _purpose(contact):
    return {"purpose": "contact", "purpose_reference": str(contact.pk)}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/cases?party=1"),
        ("get", "/api/v1/cases/1"),
        ("get", "/api/v1/cases/1/statuses"),
        ("post", "/api/v1/cases/1/statuses"),
        ("post", "/api/v1/cases/lookup"),
        ("post", "/api/v1/cases/citizen-lookup"),
        ("get", "/api/v1/case-types"),
    ],
)
def test_anonymous_is_refused(api, method, path):
    assert getattr(api, method)(path).status_code in (401, 403)


@pytest.mark.parametrize("role", ["functional_admin"])
def test_roles_without_case_permission_are_refused(user_with_role, role):
    http, _ = user_with_role(role)
    case = make_case()
    contact = _contact(case.party)
    assert http.get("/api/v1/cases", {"party": case.party_id, **_purpose(contact)}).status_code == 403
    assert http.get(f"/api/v1/cases/{case.pk}", _purpose(contact)).status_code == 403


def test_agent_lists_cases_of_a_party_with_a_purpose(user_with_role):
    http, _ = user_with_role("agent")
    party = PersonFactory()
    open_case = make_case(party=party, days_ago=60)
    make_case(party=party, confidentiality=Confidentiality.SECRET)
    make_case()  # another person's
    contact = _contact(party, assurance="substantial")

    response = http.get("/api/v1/cases", {"party": party.pk, **_purpose(contact)})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == open_case.pk
    assert row["detail"] == "full"
    assert row["is_overdue"] is True
    assert row["status"] == {"code": "ontvangen", "name": "Ontvangen", "is_final": False}
    read = ProcessingRecord.objects.filter(action="read", object_type="case")
    assert [(r.purpose, r.purpose_reference) for r in read] == [("contact", str(contact.pk))]


def test_case_list_without_party_or_purpose_is_refused_and_logged(user_with_role):
    http, _ = user_with_role("agent")
    party = PersonFactory()
    make_case(party=party)
    other_contact = _contact(PersonFactory())

    assert http.get("/api/v1/cases").status_code == 400
    no_purpose = http.get("/api/v1/cases", {"party": party.pk})
    assert no_purpose.status_code == 403
    assert no_purpose.json()["code"] == "purpose_required"
    wrong = http.get("/api/v1/cases", {"party": party.pk, **_purpose(other_contact)})
    assert wrong.status_code == 403
    assert ProcessingRecord.objects.filter(outcome="denied").count() == 2
    assert not ProcessingRecord.objects.filter(action="read", outcome="success").exists()


def test_case_list_filters(user_with_role):
    http, _ = user_with_role("agent")
    party = PersonFactory()
    a = make_case(party=party)
    b = make_case(party=party)
    from casemanagement.services import case_status_record

    case_status_record(case=b, status_code="besloten", actor=SYSTEM)
    contact = _contact(party)
    params = {"party": party.pk, **_purpose(contact)}
    assert [r["id"] for r in http.get("/api/v1/cases", {**params, "is_open": "true"}).json()["results"]] == [a.pk]
    assert [r["id"] for r in http.get("/api/v1/cases", {**params, "is_open": "false"}).json()["results"]] == [b.pk]
    by_org = http.get("/api/v1/cases", {**params, "organisation": a.organisation.code}).json()["results"]
    assert [r["id"] for r in by_org] == [a.pk]
    by_type = http.get("/api/v1/cases", {**params, "case_type": b.case_type.code}).json()["results"]
    assert [r["id"] for r in by_type] == [b.pk]


def _count_list_queries(http, party, contact):
    with CaptureQueriesContext(connection) as ctx:
        response = http.get("/api/v1/cases", {"party": party.pk, "page_size": 100, **_purpose(contact)})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_case_list_query_count_does_not_grow_with_cases(user_with_role):
    http, _ = user_with_role("agent")
    few, many = PersonFactory(), PersonFactory()
    case_type = CaseTypeFactory()
    for _ in range(2):
        make_case(party=few, case_type=case_type)
    for n in range(20):
        make_case(party=many, case_type=case_type if n % 2 else None)
    few_contact, many_contact = _contact(few), _contact(many)
    _count_list_queries(http, few, few_contact)  # warm the permission cache of the session user
    queries_few, count_few = _count_list_queries(http, few, few_contact)
    queries_many, count_many = _count_list_queries(http, many, many_contact)
    assert (count_few, count_many) == (2, 20)
    assert queries_few == queries_many


def test_client_sees_only_its_own_organisations_cases(client_with_scopes):
    party = PersonFactory()
    own = make_case(party=party)
    foreign = make_case(party=party)
    http, _ = client_with_scopes(["cases:read"], organisation=own.organisation)

    rows = http.get("/api/v1/cases", {"party": party.pk}).json()["results"]
    assert [r["id"] for r in rows] == [own.pk]
    assert rows[0]["detail"] == "full"
    assert http.get(f"/api/v1/cases/{own.pk}").status_code == 200
    assert http.get(f"/api/v1/cases/{foreign.pk}").status_code == 404
    assert http.get(f"/api/v1/cases/{foreign.pk}/statuses").status_code == 404
    # Without a party the client lists its own organisation's cases only.
    assert [r["id"] for r in http.get("/api/v1/cases").json()["results"]] == [own.pk]


def test_client_without_cases_scope_is_refused(client_with_scopes):
    case = make_case()
    http, _ = client_with_scopes(["contacts:read"], organisation=case.organisation)
    assert http.get("/api/v1/cases", {"party": case.party_id}).status_code == 403
    assert http.get(f"/api/v1/cases/{case.pk}").status_code == 403
    assert http.post(f"/api/v1/cases/{case.pk}/statuses", {"status": "in-behandeling"}).status_code == 403


def test_second_line_records_status_on_own_cases_only(client_with_scopes):
    case = make_case()
    own, _ = client_with_scopes(["cases:read", "cases:write"], organisation=case.organisation)
    foreign, _ = client_with_scopes(["cases:read", "cases:write"])
    reader, _ = client_with_scopes(["cases:read"], organisation=case.organisation)

    assert reader.post(f"/api/v1/cases/{case.pk}/statuses", {"status": "in-behandeling"}).status_code == 403
    assert foreign.post(f"/api/v1/cases/{case.pk}/statuses", {"status": "in-behandeling"}).status_code == 404
    response = own.post(
        f"/api/v1/cases/{case.pk}/statuses", {"status": "besloten", "explanation": "Toegekend", "is_final": False}
    )
    assert response.status_code == 201
    assert response.json()["status"] == {"code": "besloten", "name": "Besloten"}
    case.refresh_from_db()
    assert case.status.code == "besloten" and case.closed_at is not None

    history = own.get(f"/api/v1/cases/{case.pk}/statuses").json()
    assert [h["status"]["code"] for h in history] == ["ontvangen", "besloten"]
    assert history[1]["explanation"] == "Toegekend"
    bad = own.post(f"/api/v1/cases/{case.pk}/statuses", {"status": "bestaat-niet"})
    assert bad.status_code == 422  # closed case: no further statuses


def test_unknown_status_code_is_a_field_error(client_with_scopes):
    case = make_case()
    own, _ = client_with_scopes(["cases:write"], organisation=case.organisation)
    response = own.post(f"/api/v1/cases/{case.pk}/statuses", {"status": "bestaat-niet"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


@pytest.mark.parametrize("role", ["agent", "counter_clerk", "supervisor"])
def test_people_cannot_record_case_status(user_with_role, role):
    http, _ = user_with_role(role)
    case = make_case()
    assert http.post(f"/api/v1/cases/{case.pk}/statuses", {"status": "in-behandeling"}).status_code == 403


@pytest.mark.parametrize(
    ("role", "confidentiality", "assurance", "expected"),
    [
        ("agent", Confidentiality.NORMAL, "low", ("citizen", 200)),
        ("agent", Confidentiality.CONFIDENTIAL, "low", ("existence", 404)),
        ("agent", Confidentiality.CONFIDENTIAL, "high", ("citizen", 200)),
        ("counter_clerk", Confidentiality.NORMAL, "high", ("full", 200)),
        ("supervisor", Confidentiality.CONFIDENTIAL, "low", ("full", 200)),
        ("agent", Confidentiality.SECRET, "high", (None, 404)),
        ("supervisor", Confidentiality.SECRET, "high", ("existence", 404)),
    ],
)
def test_case_detail_and_history_per_role_and_confidentiality(
    user_with_role, role, confidentiality, assurance, expected
):
    http, _ = user_with_role(role)
    case = make_case(confidentiality=confidentiality)
    contact = _contact(case.party, assurance=assurance)
    detail, history_status = expected
    response = http.get(f"/api/v1/cases/{case.pk}", _purpose(contact))
    if detail is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response.json()["detail"] == detail
    history = http.get(f"/api/v1/cases/{case.pk}/statuses", _purpose(contact))
    assert history.status_code == history_status


def _person_with_postcode(postcode="1234 AB"):
    party = PersonFactory(date_of_birth=date(1980, 5, 17))
    Address.objects.create(
        party=party, kind=Address.Kind.RESIDENTIAL, street="Dorpsstraat", house_number=1, postcode=postcode, city="X"
    )
    return party


def test_lookup_by_reference_for_agents_and_clients(user_with_role, client_with_scopes):
    party = _person_with_postcode()
    case = make_case(party=party, reference="Z2026001")
    agent, _ = user_with_role("agent")
    right = agent.post("/api/v1/cases/lookup", {"reference": "Z2026001", "postcode_digits": "1234"})
    assert right.status_code == 200
    assert right.json()["status_text"] == "Wij hebben uw aanvraag ontvangen."
    wrong = agent.post("/api/v1/cases/lookup", {"reference": "Z2026001", "date_of_birth": "1980-05-18"})
    assert wrong.status_code == 404
    assert agent.post("/api/v1/cases/lookup", {"reference": "Z2026001"}).status_code == 400

    own, _ = client_with_scopes(["cases:read"], organisation=case.organisation)
    other, _ = client_with_scopes(["cases:read"])
    no_scope, _ = client_with_scopes(["contacts:read"])
    body = {"reference": "Z2026001", "postcode_digits": "1234"}
    assert own.post("/api/v1/cases/lookup", body).json()["detail"] == "full"
    assert other.post("/api/v1/cases/lookup", body).status_code == 404
    assert no_scope.post("/api/v1/cases/lookup", body).status_code == 403


def test_lookup_locks_out_after_wrong_attempts_even_with_the_right_factor(user_with_role, settings, monkeypatch):
    from casemanagement import selectors

    monkeypatch.setattr(selectors, "LOOKUP_MAX_ATTEMPTS", 3)
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026001")
    agent, _ = user_with_role("agent")
    for _ in range(3):
        response = agent.post("/api/v1/cases/lookup", {"reference": "Z2026001", "postcode_digits": "0000"})
        assert response.status_code == 404
    locked = agent.post("/api/v1/cases/lookup", {"reference": "Z2026001", "postcode_digits": "1234"})
    assert locked.status_code == 429
    assert locked.json()["code"] == "lookup_locked"


def test_citizen_door_variant_shows_the_citizen_view_whatever_the_relaying_organisation(client_with_scopes):
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026001", confidentiality=Confidentiality.CONFIDENTIAL)
    door, _ = client_with_scopes(["cases:read"])  # the phone menu's system, another organisation
    response = door.post(
        "/api/v1/cases/citizen-lookup", {"reference": "Z2026001", "postcode_digits": "1234", "caller": "+31612345678"}
    )
    assert response.status_code == 200
    assert response.json()["detail"] == "citizen"
    assert response.json()["status_text"] == "Wij hebben uw aanvraag ontvangen."


def test_citizen_door_variant_is_throttled_per_caller(client_with_scopes, monkeypatch):
    monkeypatch.setitem(CallerRateThrottle.THROTTLE_RATES, "sensitive", "2/min")
    party = _person_with_postcode()
    make_case(party=party, reference="Z2026001")
    door, _ = client_with_scopes(["cases:read"])
    body = {"reference": "Z2026001", "postcode_digits": "1234", "caller": "+31612345678"}
    assert [door.post("/api/v1/cases/citizen-lookup", body).status_code for _ in range(3)] == [200, 200, 429]
    reads = ProcessingRecord.objects.filter(action="read", outcome="success", object_type="case")
    assert reads.count() == 2  # the throttled call read nothing
    # Another caller relayed by the same door has a budget of their own.
    other = {**body, "caller": "+31687654321"}
    assert door.post("/api/v1/cases/citizen-lookup", other).status_code == 200


def test_case_types_list(user_with_role):
    http, _ = user_with_role("agent")
    CaseTypeFactory(code="a-type")
    body = http.get("/api/v1/case-types").json()
    assert body["results"][0]["code"] == "a-type"
    assert [s["code"] for s in body["results"][0]["statuses"]] == ["ontvangen", "in-behandeling", "besloten"]


def test_second_line_opens_a_case_of_its_own_case_type_by_bsn(client_with_scopes):
    case_type = CaseTypeFactory(code="eigen-type")
    foreign_type = CaseTypeFactory(code="ander-type")
    party = PersonFactory()
    http, _ = client_with_scopes(["cases:read", "cases:write"], organisation=case_type.organisation)
    response = http.post(
        "/api/v1/cases",
        {"case_type": "eigen-type", "bsn": party.bsn, "reference": "B-1", "confidentiality": "confidential"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["reference"], body["detail"], body["confidentiality"]) == ("B-1", "full", "confidential")
    assert body["status"]["code"] == "ontvangen"
    assert party.bsn not in response.content.decode()
    assert http.post("/api/v1/cases", {"case_type": "ander-type", "party": party.pk}).status_code == 400
    assert (
        http.post("/api/v1/cases", {"case_type": "eigen-type", "party": party.pk, "reference": "B-1"}).status_code
        == 409
    )
    assert http.post("/api/v1/cases", {"case_type": "eigen-type"}).status_code == 400
    assert foreign_type.cases.count() == 0


@pytest.mark.parametrize("role", ["agent", "supervisor", "functional_admin"])
def test_people_cannot_open_suspend_or_extend_cases(user_with_role, role):
    http, _ = user_with_role(role)
    case = make_case()
    assert http.post("/api/v1/cases", {"case_type": case.case_type.code, "party": case.party_id}).status_code == 403
    assert http.post(f"/api/v1/cases/{case.pk}/suspension", {"reason": "x"}).status_code == 403
    assert http.post(f"/api/v1/cases/{case.pk}/extension", {"days": 1, "reason": "x"}).status_code == 403


def test_second_line_suspends_resumes_and_extends_its_own_case_only(client_with_scopes):
    case = make_case()
    own, _ = client_with_scopes(["cases:write"], organisation=case.organisation)
    foreign, _ = client_with_scopes(["cases:write"])
    assert foreign.post(f"/api/v1/cases/{case.pk}/suspension", {"reason": "x"}).status_code == 404
    suspended = own.post(f"/api/v1/cases/{case.pk}/suspension", {"reason": "Wacht op stukken"})
    assert suspended.status_code == 200
    assert (suspended.json()["is_suspended"], suspended.json()["suspension_reason"]) == (True, "Wacht op stukken")
    assert own.delete(f"/api/v1/cases/{case.pk}/suspension").json()["is_suspended"] is False
    extended = own.post(f"/api/v1/cases/{case.pk}/extension", {"days": 14, "reason": "Advies"})
    assert extended.status_code == 200
    assert extended.json()["is_extended"] is True
    assert own.post(f"/api/v1/cases/{case.pk}/extension", {"days": 1, "reason": "nog eens"}).status_code == 422


def _queries(http, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(path, params or {})
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def test_status_history_query_count_does_not_grow_with_statuses(client_with_scopes):
    from casemanagement.services import case_status_record

    case_type = CaseTypeFactory(statuses=[(f"stap-{i}", f"Stap {i}", f"Tekst {i}", i == 21) for i in range(1, 22)])
    short, long = make_case(case_type=case_type), make_case(case_type=case_type)
    case_status_record(case=short, status_code="stap-2", actor=SYSTEM)
    for i in range(2, 21):
        case_status_record(case=long, status_code=f"stap-{i}", actor=SYSTEM)
    http, _ = client_with_scopes(["cases:read"], organisation=case_type.organisation)
    _queries(http, f"/api/v1/cases/{short.pk}/statuses")  # the first call records the token's use
    few, few_body = _queries(http, f"/api/v1/cases/{short.pk}/statuses")
    many, many_body = _queries(http, f"/api/v1/cases/{long.pk}/statuses")
    assert (len(few_body), len(many_body)) == (2, 20)
    assert few == many


def test_case_types_query_count_does_not_grow(user_with_role):
    http, _ = user_with_role("functional_admin")
    for _ in range(2):
        CaseTypeFactory()
    _queries(http, "/api/v1/case-types")
    few, _ = _queries(http, "/api/v1/case-types")
    for _ in range(18):
        CaseTypeFactory()
    many, body = _queries(http, "/api/v1/case-types", {"page_size": 100})
    assert body["count"] == 20
    assert few == many


def test_malformed_party_filter_is_a_400_not_a_crash(user_with_role):
    http, _ = user_with_role("agent")
    for value in ("1.5", "abc", "-"):
        assert http.get("/api/v1/cases", {"party": value}).status_code == 400
        assert http.get("/api/v1/contact-moments", {"party": value}).status_code == 400


def test_organisation_list_of_a_party_is_open_first_and_its_count_is_capped(client_with_scopes, monkeypatch):
    # Without `party` an organisation reads its feed by cursor instead (tests/casemanagement/test_case_feed.py).
    from casemanagement.api import pagination
    from casemanagement.services import case_status_record

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    case_type = CaseTypeFactory()
    party = PersonFactory()
    closed = make_case(case_type=case_type, party=party, days_ago=5)
    case_status_record(case=closed, status_code="besloten", actor=SYSTEM)
    later = make_case(case_type=case_type, party=party, days_ago=1)
    sooner = make_case(case_type=case_type, party=party, days_ago=3)
    http, _ = client_with_scopes(["cases:read"], organisation=case_type.organisation)
    body = http.get("/api/v1/cases", {"party": party.pk}).json()
    assert [r["id"] for r in body["results"]] == [sooner.pk, later.pk, closed.pk]
    make_case(case_type=case_type, party=party)
    assert http.get("/api/v1/cases", {"party": party.pk, "page_size": 2}).json()["count"] == 3  # capped: at least 3


def test_served_case_rows_have_exactly_the_documented_fields(client_with_scopes):
    from casemanagement.api.serializers import CaseSummarySerializer

    case = make_case()
    http, _ = client_with_scopes(["cases:read"], organisation=case.organisation)
    [row] = http.get("/api/v1/cases").json()["results"]
    documented = CaseSummarySerializer()
    assert set(row) == set(documented.fields)
    assert set(row["organisation"]) == set(documented.fields["organisation"].fields)
    assert set(row["status"]) == set(documented.fields["status"].fields)
    assert set(http.get(f"/api/v1/cases/{case.pk}").json()) == set(documented.fields)
