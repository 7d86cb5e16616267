"""Issue 15, points 4 and 5: identity assurance comes from what the door verified, never from a
parameter; a contact opens a person's data for the staff member handling it (a supervisor states a
reason); guessing references is limited."""

import pytest

from contactcentre.interactions.models import ContactMoment, WorkItem
from contactcentre.interactions.services import contact_moment_record
from contactcentre.interactions.work_items import supervision_lockouts_collect
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import BankAccount
from tests.factories import PersonFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

OPEN = "/api/v1/first-line/contacts"


def _view(http, party, purpose, reference):
    return http.get(f"/api/v1/parties/{party.pk}/customer-view", {"purpose": purpose, "purpose_reference": reference})


def _open(http, party, channel="phone", **extra):
    body = {"channel": channel, "identity_claim": {"kind": "bsn", "value": party.bsn}, **extra}
    response = http.post(OPEN, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["contact"]["id"]


@pytest.fixture
def person():
    party = PersonFactory()
    BankAccount.objects.create(party=party, iban="NL91ABNA0417164300", is_default=True)
    return party


def test_an_agent_cannot_claim_a_higher_assurance(user_with_role, person):
    http, _ = user_with_role("agent")
    contact = _open(http, person, assurance="high")
    assert ContactMoment.objects.get(pk=contact).assurance == "low"
    view = _view(http, person, "contact", contact).json()
    assert view["assurance"] == "low"
    assert "NL91ABNA0417164300" not in str(view)  # the IBAN is hidden or masked at low assurance


def test_only_a_document_checked_at_the_counter_raises_a_visit_to_high(user_with_role, person):
    clerk_http, _ = user_with_role("counter_clerk")
    visit = _open(clerk_http, person, channel="counter")
    check = f"/api/v1/contact-moments/{visit}/identity-check"
    assert clerk_http.post(check, {"document": "paspoort-123"}, format="json").status_code == 400
    answer = clerk_http.post(check, {"document": "passport"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["assurance"] == "high"
    stored = ContactMoment.objects.get(pk=visit)
    assert (stored.identity_document, stored.assurance, stored.identity_checked_at is not None) == (
        "passport",
        "high",
        True,
    )
    assert _view(clerk_http, person, "contact", visit).json()["assurance"] == "high"

    agent_http, _ = user_with_role("agent")  # agents do not check documents
    call = _open(agent_http, person)
    assert (
        agent_http.post(f"/api/v1/contact-moments/{call}/identity-check", {"document": "passport"}).status_code == 403
    )
    other_clerk, _ = user_with_role("counter_clerk")  # nor does a clerk for someone else's visit
    refused = other_clerk.post(check, {"document": "identity_card"}, format="json")
    assert refused.status_code == 422
    phone_visit = _open(clerk_http, person, channel="phone")  # nor at a door that is not the counter
    assert (
        clerk_http.post(f"/api/v1/contact-moments/{phone_visit}/identity-check", {"document": "passport"}).status_code
        == 422
    )


def test_a_citizen_door_records_the_digid_level_and_the_system_what_it_verified(person):
    citizen = Principal.citizen(party_id=person.pk, assurance="substantial")
    by_citizen, _ = contact_moment_record(channel="web", actor=citizen, party=person, assurance="high")
    assert by_citizen.assurance == "substantial"
    by_agent, _ = contact_moment_record(
        channel="phone", actor=staff(UserFactory(role="agent")), party=person, assurance="substantial"
    )
    assert by_agent.assurance == "low"


def test_a_contact_opens_data_only_for_the_staff_member_handling_it(user_with_role, person):
    agent_http, _ = user_with_role("agent")
    contact = _open(agent_http, person)
    assert _view(agent_http, person, "contact", contact).status_code == 200
    for role in ("counter_clerk", "supervisor", "agent"):
        other, _ = user_with_role(role)
        refused = _view(other, person, "contact", contact)
        assert refused.status_code == 403, role
        assert refused.json()["code"] == "purpose_reference_invalid"
        # nor may they close it; a supervisor may (a contact left open by someone who went home)
        closed = other.post(f"/api/v1/contact-moments/{contact}/close", {"outcome": "answered"}, format="json")
        assert closed.status_code == (200 if role == "supervisor" else 403), role
        if role == "supervisor":
            break


def test_a_supervisor_looks_only_with_a_stated_reason_and_it_is_logged(user_with_role, person):
    supervisor, boss = user_with_role("supervisor")
    assert _view(supervisor, person, "supervision", "klacht").status_code == 403  # not a reason
    reason = "klacht 2026-118 over behandeling"
    assert _view(supervisor, person, "supervision", reason).status_code == 200
    record = ProcessingRecord.objects.filter(object_type="customer_view", outcome="success").get()
    assert (record.purpose, record.purpose_reference, record.actor_id) == ("supervision", reason, f"user:{boss.pk}")
    agent, _ = user_with_role("agent")
    assert _view(agent, person, "supervision", reason).status_code == 403


def test_guessing_references_locks_the_guesser_out_and_tells_the_supervisors(user_with_role, person, settings):
    from contactcentre.processinglog import services

    guesser, user = user_with_role("agent")
    own = _open(guesser, person)
    for guess in range(services.WRONG_REFERENCES_MAX):
        assert _view(guesser, person, "contact", 10_000 + guess).status_code == 403
    locked = _view(guesser, person, "contact", own)  # even a right reference, for a while
    assert locked.status_code == 429
    assert locked.json()["code"] == "purpose_locked"
    alert = ProcessingRecord.objects.get(object_type="purpose_lockout")
    assert (alert.actor_id, alert.outcome) == (f"user:{user.pk}", "denied")
    assert supervision_lockouts_collect() == 1
    assert supervision_lockouts_collect() == 0  # once per lock-out
    signal = WorkItem.objects.get(queue__code="supervision")
    assert (signal.kind, signal.priority, signal.title) == (
        "supervision",
        WorkItem.Priority.URGENT,
        f"Geblokkeerd na onjuiste verwijzingen: {user.username}",
    )
    colleague, _ = user_with_role("agent")  # others are not locked out
    assert _view(colleague, person, "contact", _open(colleague, person)).status_code == 200
