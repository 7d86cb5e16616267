import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcentre.interactions.models import CallbackRequest, ContactMoment
from contactcentre.interactions.services import callback_request_create, contact_moment_record, work_queue_ensure
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from lifeevents.models import Article
from tests.casemanagement.factories import PersonFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _purpose(contact):
    return {"purpose": "contact", "purpose_reference": str(contact.pk)}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/contact-moments?party=1"),
        ("post", "/api/v1/contact-moments"),
        ("get", "/api/v1/contact-moments/1"),
        ("post", "/api/v1/contact-moments/1/close"),
        ("get", "/api/v1/callback-requests"),
        ("post", "/api/v1/callback-requests"),
        ("post", "/api/v1/callback-requests/1/status"),
    ],
)
def test_anonymous_is_refused(api, method, path):
    assert getattr(api, method)(path).status_code in (401, 403)


def test_agent_records_a_contact_and_a_duplicate_external_id_returns_it(user_with_role):
    http, user = user_with_role("agent")
    party = PersonFactory()
    body = {"channel": "phone", "party": party.pk, "assurance": "low", "external_id": "CA1", "question": "Status?"}
    first = http.post("/api/v1/contact-moments", body)
    again = http.post("/api/v1/contact-moments", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["agent"] == user.username
    assert ContactMoment.objects.count() == 1


def test_mass_assignment_of_read_only_fields_is_ignored(user_with_role):
    http, _ = user_with_role("agent")
    response = http.post(
        "/api/v1/contact-moments",
        {"channel": "web", "outcome": "answered", "ended_at": "2020-01-01T00:00:00Z", "agent": "someone", "id": 999},
    )
    assert response.status_code == 201
    contact = ContactMoment.objects.get()
    assert (contact.outcome, contact.ended_at, contact.pk == 999) == ("", None, False)


def test_contact_list_of_a_party_needs_a_purpose(user_with_role):
    http, _ = user_with_role("agent")
    party = PersonFactory()
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party)
    contact_moment_record(channel="phone", actor=SYSTEM, party=PersonFactory())
    assert http.get("/api/v1/contact-moments").status_code == 400
    assert http.get("/api/v1/contact-moments", {"party": party.pk}).status_code == 403
    response = http.get("/api/v1/contact-moments", {"party": party.pk, **_purpose(contact)})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [contact.pk]
    assert ProcessingRecord.objects.filter(action="read", object_type="contact_moment", outcome="success").count() == 1
    assert ProcessingRecord.objects.filter(outcome="denied").count() == 1


def _list_queries(http, party, purpose_contact):
    with CaptureQueriesContext(connection) as ctx:
        response = http.get(
            "/api/v1/contact-moments", {"party": party.pk, "page_size": 100, **_purpose(purpose_contact)}
        )
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_contact_list_query_count_does_not_grow_with_contacts(user_with_role):
    http, _ = user_with_role("agent")
    org = OrganisationFactory()
    article = Article.objects.create(external_id="kb-1", question="q", answer="a", short_answer="s", organisation=org)
    few, many = PersonFactory(), PersonFactory()
    for party, n in ((few, 2), (many, 20)):
        for i in range(n):
            contact, _ = contact_moment_record(channel=["phone", "sms", "email"][i % 3], actor=SYSTEM, party=party)
            contact.articles.add(article)
    few_contact = ContactMoment.objects.filter(party=few).first()
    many_contact = ContactMoment.objects.filter(party=many).first()
    _list_queries(http, few, few_contact)  # warm the session user's permission cache
    assert _list_queries(http, few, few_contact)[0] == _list_queries(http, many, many_contact)[0]
    assert _list_queries(http, many, many_contact)[1] == 20


def test_filters_on_channel_and_outcome(user_with_role):
    http, _ = user_with_role("agent")
    party = PersonFactory()
    phone, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party)
    sms, _ = contact_moment_record(channel="sms", actor=SYSTEM, party=party)
    params = {"party": party.pk, **_purpose(phone)}
    assert [r["id"] for r in http.get("/api/v1/contact-moments", {**params, "channel": "sms"}).json()["results"]] == [
        sms.pk
    ]
    assert http.get("/api/v1/contact-moments", {**params, "channel": "pigeon"}).status_code == 400


def test_client_sees_only_contacts_its_organisation_recorded(client_with_scopes):
    party = PersonFactory()
    http, client = client_with_scopes(["contacts:read", "contacts:write"])
    created = http.post("/api/v1/contact-moments", {"channel": "email", "party": party.pk, "external_id": "m1"})
    assert created.status_code == 201
    first_line, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party)
    rows = http.get("/api/v1/contact-moments", {"party": party.pk}).json()["results"]
    assert [r["id"] for r in rows] == [created.json()["id"]]
    assert http.get(f"/api/v1/contact-moments/{first_line.pk}").status_code == 404
    assert http.post(f"/api/v1/contact-moments/{first_line.pk}/close", {"outcome": "answered"}).status_code == 404
    # Another organisation reusing a first-line event id learns nothing about that contact.
    contact_moment_record(channel="sms", actor=SYSTEM, party=party, external_id="SM1")
    clash = http.post("/api/v1/contact-moments", {"channel": "sms", "external_id": "SM1"})
    assert clash.status_code == 400
    assert "id" not in clash.json()


def test_client_without_scope_is_refused(client_with_scopes):
    reader, _ = client_with_scopes(["contacts:read"])
    cases_only, _ = client_with_scopes(["cases:read"])
    assert reader.post("/api/v1/contact-moments", {"channel": "web"}).status_code == 403
    assert cases_only.get("/api/v1/contact-moments").status_code == 403
    assert cases_only.get("/api/v1/callback-requests").status_code == 403


def test_close_a_contact_with_its_outcome(user_with_role):
    http, _ = user_with_role("counter_clerk")
    contact, _ = contact_moment_record(channel="counter", actor=SYSTEM, party=PersonFactory())
    response = http.post(f"/api/v1/contact-moments/{contact.pk}/close", {"outcome": "data_changed", "answer": "IBAN"})
    assert response.status_code == 200
    assert (response.json()["outcome"], response.json()["answer"]) == ("data_changed", "IBAN")
    assert response.json()["ended_at"] is not None
    again = http.post(f"/api/v1/contact-moments/{contact.pk}/close", {"outcome": "answered"})
    assert again.status_code == 422


def test_contact_detail_defaults_to_itself_as_purpose(user_with_role):
    http, _ = user_with_role("agent")
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=PersonFactory())
    assert http.get(f"/api/v1/contact-moments/{contact.pk}").status_code == 200
    record = ProcessingRecord.objects.get(action="read")
    assert (record.purpose, record.purpose_reference) == ("contact", str(contact.pk))


@pytest.mark.parametrize("role", ["functional_admin"])
def test_roles_without_contact_permissions_are_refused(user_with_role, role):
    http, _ = user_with_role(role)
    assert http.post("/api/v1/contact-moments", {"channel": "web"}).status_code == 403
    assert http.get("/api/v1/callback-requests").status_code == 403


def test_callback_requests_create_list_and_take(user_with_role):
    http, user = user_with_role("agent")
    queue = work_queue_ensure(code="kcc", name="KCC")
    party = PersonFactory()
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party)
    response = http.post(
        "/api/v1/callback-requests",
        {"queue": "kcc", "contact_moment": contact.pk, "phone_number": "0612345678", "question": "Uitleg"},
    )
    assert response.status_code == 201
    assert (response.json()["party"], response.json()["phone_number"]) == (party.pk, "+31612345678")
    callback_request_create(
        queue=work_queue_ensure(code="other", name="Ander"), phone_number="0612345679", question="y", actor=SYSTEM
    )

    listed = http.get("/api/v1/callback-requests", {"queue": "kcc", "status": "open"}).json()["results"]
    assert [r["id"] for r in listed] == [response.json()["id"]]
    taken = http.post(f"/api/v1/callback-requests/{listed[0]['id']}/status", {"status": "in_progress"})
    assert (taken.status_code, taken.json()["assigned_to"]) == (200, user.username)
    assert http.post(f"/api/v1/callback-requests/{listed[0]['id']}/status", {"status": "bogus"}).status_code == 400
    assert queue.callback_requests.get().status == CallbackRequest.Status.IN_PROGRESS


def test_callback_list_query_count_is_constant(user_with_role):
    http, _ = user_with_role("agent")
    queue = work_queue_ensure(code="kcc", name="KCC")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert http.get("/api/v1/callback-requests", {"queue": "kcc", "page_size": 100}).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        callback_request_create(
            queue=queue, phone_number="0612345678", question="x", party=PersonFactory(), actor=SYSTEM
        )
    count()
    few = count()
    for _ in range(18):
        callback_request_create(
            queue=queue, phone_number="0612345678", question="x", party=PersonFactory(), actor=SYSTEM
        )
    assert count() == few


def test_contact_records_life_event_and_articles_used(user_with_role):
    from lifeevents.models import LifeEvent

    http, _ = user_with_role("agent")
    org = OrganisationFactory()
    LifeEvent.objects.create(slug="verhuizen", name="Verhuizen")
    Article.objects.create(external_id="kb-0001", question="q", answer="a", short_answer="s", organisation=org)
    Article.objects.create(external_id="kb-0002", question="q", answer="a", short_answer="s", organisation=org)
    created = http.post(
        "/api/v1/contact-moments",
        {"channel": "webchat", "life_event": "verhuizen", "articles": ["kb-0001"]},
        format="json",
    ).json()
    assert (created["life_event"], created["articles"]) == ("verhuizen", ["kb-0001"])
    closed = http.post(
        f"/api/v1/contact-moments/{created['id']}/close",
        {"outcome": "answered", "articles": ["kb-0002"]},
        format="json",
    ).json()
    assert sorted(closed["articles"]) == ["kb-0001", "kb-0002"]
    unknown = http.post("/api/v1/contact-moments", {"channel": "web", "articles": ["kb-9999"]}, format="json")
    assert unknown.status_code == 400


def test_only_supervisors_assign_a_callback_to_someone_else(user_with_role):
    queue = work_queue_ensure(code="kcc", name="KCC")
    callback = callback_request_create(queue=queue, phone_number="0612345678", question="x", actor=SYSTEM)
    agent_http, agent = user_with_role("agent")
    supervisor_http, _ = user_with_role("supervisor")
    url = f"/api/v1/callback-requests/{callback.pk}/status"
    refused = agent_http.post(url, {"status": "in_progress", "assigned_to": agent.username})
    assert refused.status_code == 403
    assigned = supervisor_http.post(url, {"status": "in_progress", "assigned_to": agent.username})
    assert (assigned.status_code, assigned.json()["assigned_to"]) == (200, agent.username)
