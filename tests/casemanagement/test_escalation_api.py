"""The escalation API: the second line's (organisations' tokens: only their own escalations, 404 on
another's) and the first line's (staff handling the contact): the role and scope matrix, idempotent
transitions, forwarding with the citizen told, a preview that writes nothing, the purpose check, the
contact history per consent, and list query counts constant in the number of escalations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casemanagement.escalations import escalation_create
from casemanagement.models import (
    Escalation,
    EscalationDelivery,
    EscalationEvent,
    RoutingRule,
    SecondLineEndpoint,
)
from contactcentre.interactions.models import ContactMoment, Notification
from contactcentre.interactions.services import contact_moment_record
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import DataSourceRule
from tests.casemanagement.factories import CaseTypeFactory, PersonFactory
from tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

ROLES = ["agent", "counter_clerk", "supervisor", "functional_admin"]
FIRST_LINE = {"agent", "counter_clerk", "supervisor"}
SECOND_LINE_READ = {"list", "detail"}
SECOND_LINE_WRITE = {"acknowledge", "accept", "start", "resolve", "return", "forward"}
FIRST_LINE_ONLY = {"staff list", "staff detail", "preview", "create", "base-data request", "completion"}


@pytest.fixture
def world():
    home, other = OrganisationFactory(code="uwv-x"), OrganisationFactory(code="svb-y")
    RoutingRule.objects.create(name="Alles naar X", is_default=True, organisation=home, order=999, queue="post")
    agent = UserFactory(role="agent")
    person = PersonFactory()
    return {"home": home, "other": other, "agent": agent, "person": person}


def _contact(user, person):
    contact, _ = contact_moment_record(
        channel="phone", actor=staff(user), agent=user, party=person, assurance="low", question="Mijn uitkering?"
    )
    return contact


def _escalate(world, *, share_history=False, user=None, person=None):
    user = user or world["agent"]
    contact = _contact(user, person or world["person"])
    return escalation_create(
        contact=contact, actor=staff(user), question="Waar blijft mijn uitkering?", share_history=share_history
    )


def _call(http, method, path, body=None):
    if method == "get":
        return http.get(path)
    return http.post(path, body or {}, format="json")


def _second_line_requests(reference, other_code):
    base = f"/api/v1/escalations/{reference}"
    return [
        ("list", "get", "/api/v1/escalations", None),
        ("detail", "get", base, None),
        ("acknowledge", "post", f"{base}/acknowledge", None),
        ("accept", "post", f"{base}/accept", None),
        ("start", "post", f"{base}/start", None),
        ("resolve", "post", f"{base}/resolve", {"resolution_text": "Uw uitkering is betaald."}),
        ("return", "post", f"{base}/return", {"note": "Niet voor ons."}),
        ("forward", "post", f"{base}/forward", {"organisation": other_code, "note": "Bevoegd is Y."}),
    ]


def _first_line_requests(world, user):
    contact = _contact(user, world["person"])
    escalation = escalation_create(contact=contact, actor=staff(user), question="Vraag")
    case_type = CaseTypeFactory(organisation=world["home"], first_line_capable=True)
    DataSourceRule.objects.get_or_create(attribute="iban", defaults={"source_organisation": world["home"]})
    purpose = f"purpose=contact&purpose_reference={contact.pk}"
    person = world["person"].pk
    return [
        ("staff list", "get", f"/api/v1/escalations?party={person}&{purpose}", None),
        ("staff detail", "get", f"/api/v1/escalations/{escalation.reference}?{purpose}", None),
        ("preview", "post", "/api/v1/escalations/preview", {"contact_moment": contact.pk, "question": "Vraag"}),
        ("create", "post", "/api/v1/escalations", {"contact_moment": contact.pk, "question": "Vraag"}),
        (
            "base-data request",
            "post",
            f"/api/v1/parties/{person}/base-data-requests",
            {"contact_moment": contact.pk, "attribute": "iban", "value": "NL91ABNA0417164300", "reason": "x"},
        ),
        (
            "completion",
            "post",
            "/api/v1/first-line/completions",
            {"contact_moment": contact.pk, "case_type": case_type.code},
        ),
    ], escalation


# --- who gets in ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(user_with_role, world, role):
    http, user = user_with_role(role)
    requests, escalation = _first_line_requests(world, user)
    requests += _second_line_requests(escalation.reference, world["other"].code)[2:]  # organisations only
    for name, method, path, body in requests:
        response = _call(http, method, path, body)
        if role in FIRST_LINE and name in FIRST_LINE_ONLY:
            assert response.status_code in (200, 201), (name, response.status_code, response.content[:300])
        else:
            assert response.status_code == 403, (name, response.status_code)


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [
        (["escalations:read"], SECOND_LINE_READ),
        (["escalations:write"], SECOND_LINE_WRITE),
        (["escalations:read", "escalations:write"], SECOND_LINE_READ | SECOND_LINE_WRITE),
        (["cases:read", "cases:write", "contacts:write"], set()),
        ([], set()),
    ],
)
def test_scope_matrix(client_with_scopes, world, scopes, allowed):
    http, _ = client_with_scopes(scopes, organisation=world["home"])
    first_line, _escalation = _first_line_requests(world, world["agent"])
    for name, method, path, body in first_line:  # the first line's writes: never for a token
        if method == "get":
            continue  # the same list and detail as the second line's, below
        assert _call(http, method, path, body).status_code == 403, name
    for name, method, path, body in _second_line_requests(_escalate(world).reference, world["other"].code):
        response = _call(http, method, path, body)
        if name in allowed:
            assert response.status_code != 403, (name, response.status_code, response.content[:300])
            assert response.status_code < 500, name
        else:
            assert response.status_code == 403, (name, response.status_code)


def test_another_organisations_token_gets_404_on_everything_and_never_sees_it(client_with_scopes, world):
    escalation = _escalate(world)
    http, _ = client_with_scopes(["escalations:read", "escalations:write"], organisation=world["other"])
    for name, method, path, body in _second_line_requests(escalation.reference, world["home"].code)[1:]:
        response = _call(http, method, path, body)
        assert response.status_code == 404, (name, response.status_code)
        assert response["Content-Type"].startswith("application/problem+json")
    listed = http.get("/api/v1/escalations").json()
    assert listed["count"] == 0 and listed["results"] == []
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.DELIVERED and escalation.organisation == world["home"]


def test_the_organisation_lists_its_own_newest_first_and_filters_by_state(client_with_scopes, world):
    first, second, third = _escalate(world), _escalate(world), _escalate(world)
    http, _ = client_with_scopes(["escalations:read", "escalations:write"], organisation=world["home"])
    assert http.post(f"/api/v1/escalations/{third.reference}/accept", {}, format="json").status_code == 200
    body = http.get("/api/v1/escalations").json()
    assert [row["reference"] for row in body["results"]] == [third.reference, second.reference, first.reference]
    accepted = http.get("/api/v1/escalations", {"state": "accepted"}).json()["results"]
    assert [row["reference"] for row in accepted] == [third.reference]
    assert http.get("/api/v1/escalations", {"state": "nonsense"}).status_code == 400
    logged = ProcessingRecord.objects.filter(object_type="escalation", purpose="second_line", action="read")
    assert logged.exists()


# --- the second line's moves ----------------------------------------------------------------------------


def test_transitions_are_idempotent(client_with_scopes, world):
    escalation = _escalate(world)
    http, _ = client_with_scopes(["escalations:read", "escalations:write"], organisation=world["home"])
    base = f"/api/v1/escalations/{escalation.reference.lower()}"
    for _attempt in range(2):
        response = http.post(f"{base}/accept", {}, format="json")
        assert response.status_code == 200 and response.json()["state"] == "accepted"
    for _attempt in range(2):
        response = http.post(f"{base}/start", {}, format="json")
        assert response.status_code == 200 and response.json()["state"] == "in_progress"
    for _attempt in range(2):
        response = http.post(f"{base}/resolve", {"resolution_text": "Betaald op 1 mei."}, format="json")
        assert response.status_code == 200 and response.json()["state"] == "resolved"
    states = list(EscalationEvent.objects.filter(escalation=escalation).values_list("state", flat=True))
    assert states == ["new", "delivered", "accepted", "in_progress", "resolved"]
    assert Notification.objects.filter(dedupe_key__startswith="escalation-resolved").count() == 1
    timeline = http.get(base).json()["events"]
    assert [event["state"] for event in timeline] == states
    # Not a move the state machine allows: a clean 4xx, the state unchanged.
    assert http.post(f"{base}/accept", {}, format="json").status_code == 422
    assert http.post(f"{base}/resolve", {}, format="json").status_code == 400


def test_return_needs_a_reason_and_goes_back_to_the_first_line(client_with_scopes, world):
    escalation = _escalate(world)
    http, _ = client_with_scopes(["escalations:write"], organisation=world["home"])
    path = f"/api/v1/escalations/{escalation.reference}/return"
    assert http.post(path, {}, format="json").status_code == 400
    response = http.post(path, {"note": "Hoort bij de gemeente."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "returned"
    assert response.json()["events"][-1]["note"] == "Hoort bij de gemeente."


def test_forward_moves_it_and_tells_the_citizen_once(client_with_scopes, world):
    escalation = _escalate(world)
    home, _ = client_with_scopes(["escalations:read", "escalations:write"], organisation=world["home"])
    other, _ = client_with_scopes(["escalations:read", "escalations:write"], organisation=world["other"])
    path = f"/api/v1/escalations/{escalation.reference}/forward"
    assert home.post(path, {"organisation": "onbekend"}, format="json").status_code == 400
    response = home.post(path, {"organisation": world["other"].code, "note": "Bevoegd is Y."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "reference": escalation.reference,
        "state": "forwarded",
        "forwarded_to": {"code": world["other"].code, "name": world["other"].name},
    }
    told = Notification.objects.filter(party=world["person"], dedupe_key__startswith="escalation-forwarded")
    assert told.count() == 1
    assert world["other"].name in told.get().body and escalation.reference in told.get().body
    # It is now the other organisation's: gone for the first, listed for the second, with its delivery.
    assert home.get(f"/api/v1/escalations/{escalation.reference}").status_code == 404
    assert home.post(path, {"organisation": world["other"].code}, format="json").status_code == 404
    assert [row["reference"] for row in other.get("/api/v1/escalations").json()["results"]] == [escalation.reference]
    assert EscalationDelivery.objects.filter(escalation=escalation, organisation=world["other"]).exists()
    assert told.count() == 1


def test_a_forward_retried_with_its_idempotency_key_answers_the_same(client_with_scopes, world):
    escalation = _escalate(world)
    http, _ = client_with_scopes(["escalations:write"], organisation=world["home"])
    path = f"/api/v1/escalations/{escalation.reference}/forward"
    body = {"organisation": world["other"].code, "note": "Bevoegd is Y."}
    answers = [http.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="forward-1") for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert Notification.objects.filter(dedupe_key__startswith="escalation-forwarded").count() == 1
    assert EscalationEvent.objects.filter(escalation=escalation, state="forwarded").count() == 1


def test_a_pull_endpoint_acknowledges_its_delivery(client_with_scopes, world):
    SecondLineEndpoint.objects.create(organisation=world["home"], delivery=SecondLineEndpoint.Delivery.PULL)
    escalation = _escalate(world)
    assert escalation.deliveries.get().status == EscalationDelivery.Status.PENDING
    http, _ = client_with_scopes(["escalations:read", "escalations:write"], organisation=world["home"])
    for _attempt in range(2):
        response = http.post(f"/api/v1/escalations/{escalation.reference}/acknowledge", format="json")
        assert response.status_code == 200 and response.json()["state"] == "delivered"
        assert [d["status"] for d in response.json()["deliveries"]] == ["delivered"]
    assert EscalationEvent.objects.filter(escalation=escalation, state="delivered").count() == 1


def test_contact_history_is_shown_to_the_organisation_only_with_consent(client_with_scopes, world):
    shared, private = _escalate(world, share_history=True), _escalate(world, share_history=False)
    http, _ = client_with_scopes(["escalations:read"], organisation=world["home"])
    history = http.get(f"/api/v1/escalations/{shared.reference}").json()["contact_history"]
    assert len(history) == 2 and {row["question"] for row in history} == {"Mijn uitkering?"}
    assert "agent_username" not in history[0]
    assert http.get(f"/api/v1/escalations/{private.reference}").json()["contact_history"] is None
    logged = ProcessingRecord.objects.filter(object_type="contact_history", purpose="second_line")
    assert list(logged.values_list("purpose_reference", flat=True)) == [shared.reference]


def test_the_consented_history_is_every_contact_of_the_person_in_constant_queries(client_with_scopes, world):
    http, client = client_with_scopes(["escalations:read"], organisation=world["home"])
    shared = _escalate(world, share_history=True)
    path = f"/api/v1/escalations/{shared.reference}"
    http.get(path)  # warm up (authentication caches)

    def read():
        with CaptureQueriesContext(connection) as captured:
            response = http.get(path)
        assert response.status_code == 200
        return len(captured), response.json()["contact_history"]

    few, _history = read()
    for _ in range(12):
        _contact(world["agent"], world["person"])
    _contact(world["agent"], PersonFactory())  # someone else's
    many, history = read()
    assert many == few
    expected = ContactMoment.objects.filter(party=world["person"]).order_by("-started_at", "-id")
    assert [(row["id"], row["question"]) for row in history] == list(expected.values_list("id", "question"))
    assert len(history) == 13
    opened = ProcessingRecord.objects.filter(object_type="contact_history", actor_id=f"client:{client.pk}")
    assert set(opened.values_list("purpose", "purpose_reference", "outcome")) == {
        ("second_line", shared.reference, "success")
    }


def test_list_queries_are_constant_in_the_number_of_escalations(client_with_scopes, world):
    http, _ = client_with_scopes(["escalations:read"], organisation=world["home"])
    _escalate(world)
    http.get("/api/v1/escalations")  # warm up (authentication caches)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert http.get("/api/v1/escalations").status_code == 200
        return len(captured)

    few = queries()
    for _ in range(5):
        _escalate(world, person=PersonFactory())
    assert queries() == few


# --- the first line's ---------------------------------------------------------------------------------


def test_preview_explains_the_route_and_writes_nothing(user_with_role, world):
    http, user = user_with_role("agent")
    contact = _contact(user, world["person"])
    tables = [Escalation, EscalationEvent, EscalationDelivery, ProcessingRecord, Notification]
    before = [model.objects.count() for model in tables]
    response = http.post("/api/v1/escalations/preview", {"contact_moment": contact.pk, "question": "Uitkering"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organisation"]["code"] == world["home"].code and body["queue"] == "post"
    assert body["rule"] == "Alles naar X" and "Standaardregel" in body["explanation"]
    assert body["first_response_due"] <= body["resolution_due"]
    assert [model.objects.count() for model in tables] == before


def test_escalate_creates_it_routed_with_its_delivery(user_with_role, world):
    http, user = user_with_role("agent")
    contact = _contact(user, world["person"])
    response = http.post(
        "/api/v1/escalations",
        {"contact_moment": contact.pk, "question": "Uitkering", "context": "Al gebeld", "share_history": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"]["code"] == world["home"].code and body["share_history"] is True
    assert body["state"] == "delivered"  # the built-in worklist has it at once
    assert [event["state"] for event in body["events"]] == ["new", "delivered"]
    assert body["contact_history"] is None  # staff read the customer view, not this
    assert Escalation.objects.get(reference=body["reference"]).contact_moment == contact


def test_escalate_by_someone_not_handling_the_contact_is_refused_and_logged(user_with_role, world):
    contact = _contact(world["agent"], world["person"])
    http, other = user_with_role("agent")
    response = http.post("/api/v1/escalations", {"contact_moment": contact.pk, "question": "Vraag"}, format="json")
    assert response.status_code == 403, response.content
    assert not Escalation.objects.exists()
    denied = ProcessingRecord.objects.filter(actor_id=f"user:{other.pk}", outcome="denied")
    assert denied.filter(object_type="escalation").exists()


def test_preview_by_someone_not_handling_the_contact_is_refused(user_with_role, world):
    contact = _contact(world["agent"], world["person"])
    http, _ = user_with_role("agent")
    response = http.post("/api/v1/escalations/preview", {"contact_moment": contact.pk, "question": "Vraag"})
    assert response.status_code == 403


def test_validation_of_the_first_line_bodies(user_with_role, world):
    http, user = user_with_role("agent")
    contact = _contact(user, world["person"])
    assert http.post("/api/v1/escalations", {"contact_moment": 10**9, "question": "x"}).status_code == 400
    bad_article = {"contact_moment": contact.pk, "question": "x", "articles": ["kb-bestaat-niet"]}
    assert http.post("/api/v1/escalations", bad_article, format="json").status_code == 400
    bad_type = {"contact_moment": contact.pk, "question": "x", "case_type": "bestaat-niet"}
    assert http.post("/api/v1/escalations/preview", bad_type, format="json").status_code == 400
    other_person = PersonFactory()
    path = f"/api/v1/parties/{other_person.pk}/base-data-requests"
    wrong_party = {"contact_moment": contact.pk, "attribute": "iban", "value": "x"}
    assert http.post(path, wrong_party, format="json").status_code == 400


def test_a_refused_base_data_change_is_sent_to_its_source_in_one_call(user_with_role, world):
    DataSourceRule.objects.update_or_create(attribute="iban", defaults={"source_organisation": world["other"]})
    http, user = user_with_role("agent")
    contact = _contact(user, world["person"])
    response = http.post(
        f"/api/v1/parties/{world['person'].pk}/base-data-requests",
        {"contact_moment": contact.pk, "attribute": "iban", "value": "NL91ABNA0417164300", "reason": "Nieuw"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"]["code"] == world["other"].code
    assert body["requested_attribute"] == "iban" and body["requested_value"] == "NL91ABNA0417164300"


def test_a_first_line_capable_case_is_completed_without_an_escalation(user_with_role, world):
    http, user = user_with_role("agent")
    contact = _contact(user, world["person"])
    capable = CaseTypeFactory(organisation=world["home"], first_line_capable=True)
    response = http.post(
        "/api/v1/first-line/completions", {"contact_moment": contact.pk, "case_type": capable.code}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_open"] is False
    not_capable = CaseTypeFactory(organisation=world["home"])
    response = http.post(
        "/api/v1/first-line/completions", {"contact_moment": contact.pk, "case_type": not_capable.code}, format="json"
    )
    assert response.status_code == 422
    assert not Escalation.objects.exists()


def test_escalate_takes_a_fixed_number_of_queries(user_with_role, world, django_assert_num_queries):
    """The session's user, the contact, the purpose check; the creation in a savepoint (the escalation,
    its timeline entry, its delivery, which the worklist marks delivered at once - two updates and a
    second entry - and its processing-log record); then the answer: the escalation, its timeline,
    deliveries, articles and attachments, and the hand-out's processing-log record."""
    http, user = user_with_role("agent")
    first = _contact(user, world["person"])
    assert (
        http.post("/api/v1/escalations", {"contact_moment": first.pk, "question": "Vraag"}, format="json").status_code
        == 201
    )
    contact = _contact(user, world["person"])
    with django_assert_num_queries(18):
        response = http.post("/api/v1/escalations", {"contact_moment": contact.pk, "question": "Vraag"}, format="json")
    assert response.status_code == 201, response.content
