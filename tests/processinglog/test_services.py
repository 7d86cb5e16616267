"""The processing-log helper and the purpose rule."""

import pytest

from contactcentre.errors import AccessDenied
from contactcentre.principal import SYSTEM, Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.processinglog.services import processing_log_record, purpose_grant
from contactcentre.tracing import current_trace_id
from tests.factories import PersonFactory, UserFactory, organisation, staff

pytestmark = pytest.mark.django_db


def test_n_people_give_n_records_with_pseudonymous_subjects():
    people = PersonFactory.create_batch(4)
    agent = UserFactory(username="anna")
    token = current_trace_id.set("a" * 32)
    try:
        processing_log_record(
            actor=staff(agent),
            action="read",
            object_type="party_base_data",
            party_ids=[p.pk for p in people] + [people[0].pk],
            purpose="contact",
            purpose_reference="cm-1",
        )
    finally:
        current_trace_id.reset(token)
    records = ProcessingRecord.objects.order_by("id")
    assert [r.subject for r in records] == [subject_pseudonym(p.pk) for p in people]
    for record, person in zip(records, people, strict=True):
        assert person.bsn not in record.subject
        assert str(person.pk) != record.subject
        assert (record.actor_type, record.actor_id, record.actor_label, record.trace_id) == (
            "user",
            f"user:{agent.pk}",
            "anna",
            "a" * 32,
        )


def test_actor_kinds_are_recorded(client_with_scopes):
    person = PersonFactory()
    _http, client = client_with_scopes(["parties:read"])
    citizen = Principal.citizen(party_id=person.pk, assurance="substantial")
    for actor in (organisation(client), citizen, SYSTEM):
        processing_log_record(actor=actor, action="read", object_type="x", party_ids=[person.pk], purpose="p")
    rows = list(ProcessingRecord.objects.order_by("id").values_list("actor_type", "actor_id", "organisation_code"))
    assert rows == [
        ("api_client", f"client:{client.pk}", client.organisation.code),
        ("citizen", f"citizen:{subject_pseudonym(person.pk)}", ""),
        ("system", "system", ""),
    ]


def _grant(principal, purpose, reference, party_ids=(), **extra):
    return purpose_grant(
        principal=principal,
        purpose=purpose,
        reference=reference,
        action="read",
        object_type="party_base_data",
        party_ids=party_ids,
        **extra,
    )


@pytest.mark.parametrize(
    ("purpose", "reference", "valid"),
    [
        ("contact", "cm-1", True),
        ("case", "Z-2026-1", True),
        ("second_line", "esc-9", True),
        ("supervision", "audit-3", True),
        ("contact", "", False),
        ("contact", "   ", False),
        ("", "cm-1", False),
        ("self_service", "", False),
        ("nieuwsgierig", "x", False),
    ],
)
def test_staff_must_state_a_purpose_and_its_reference(purpose, reference, valid):
    agent = staff(UserFactory())
    if valid:
        grant = _grant(agent, purpose, reference)
        assert (grant.purpose, grant.reference, grant.principal) == (purpose, reference, agent)
    else:
        with pytest.raises(AccessDenied):
            _grant(agent, purpose, reference)


def test_citizen_acts_for_themselves_only_capped_at_their_sign_in():
    citizen = Principal.citizen(party_id=1, assurance="substantial")
    grant = _grant(citizen, "", "", party_ids=[1])
    assert (grant.purpose, grant.party_ids, grant.assurance_cap) == ("self_service", (1,), "substantial")
    with pytest.raises(AccessDenied):
        _grant(citizen, "contact", "cm-1")


def test_an_organisation_reading_only_its_own_records_needs_no_reference(client_with_scopes):
    _http, client = client_with_scopes(["cases:read"])
    grant = _grant(organisation(client), "", "", organisation_scoped=True)
    assert (grant.purpose, grant.reference) == ("case", f"api:{client.pk}")
    with pytest.raises(AccessDenied):  # not scoped: it states a purpose like anyone else
        _grant(organisation(client), "", "")


def test_a_purpose_outside_the_allowed_ones_is_refused():
    with pytest.raises(AccessDenied) as error:
        _grant(staff(UserFactory()), "supervision", "audit-3", purposes=("contact", "case"))
    assert error.value.code == "purpose_required"


def test_a_refusal_logs_denied_per_person_and_raises_403():
    person = PersonFactory()
    with pytest.raises(AccessDenied) as error:
        _grant(staff(UserFactory()), "", "", party_ids=[person.pk])
    assert (error.value.status, error.value.code) == (403, "purpose_required")
    assert list(ProcessingRecord.objects.values_list("subject", "outcome", "purpose")) == [
        (subject_pseudonym(person.pk), "denied", "none")
    ]


@pytest.fixture
def contact_checker(monkeypatch):
    """A stand-in for the interactions app's check: only reference "cm-open" is a contact at hand."""
    calls = []

    def check(*, principal, reference, party_ids):
        calls.append((principal.user_id, reference, party_ids))
        return "substantial" if reference == "cm-open" else None

    monkeypatch.setattr("contactcentre.processinglog.services._reference_checkers", lambda: {"contact": check})
    return calls


def test_the_declared_checker_decides_whether_the_reference_is_real_and_caps_assurance(contact_checker):
    person = PersonFactory()
    agent = UserFactory()
    grant = _grant(staff(agent), "contact", "cm-open", party_ids=[person.pk])
    assert (grant.purpose, grant.assurance_cap) == ("contact", "substantial")
    with pytest.raises(AccessDenied) as error:
        _grant(staff(agent), "contact", "cm-closed", party_ids=[person.pk])
    assert error.value.code == "purpose_reference_invalid"
    assert contact_checker == [(agent.pk, "cm-open", (person.pk,)), (agent.pk, "cm-closed", (person.pk,))]
    assert list(ProcessingRecord.objects.values_list("outcome", "purpose_reference")) == [("denied", "cm-closed")]
    # Other purposes are not affected by the contact checker.
    assert _grant(staff(agent), "case", "Z-1", party_ids=[person.pk]).purpose == "case"


def test_the_apps_declare_the_checkers_of_contact_and_case(monkeypatch):
    monkeypatch.undo()  # the real declarations, not this layer's stand-in
    from contactcentre.processinglog.services import _reference_checkers

    checkers = _reference_checkers()
    assert {purpose: f"{check.__module__}.{check.__name__}" for purpose, check in checkers.items()} == {
        "contact": "contactcentre.interactions.purposes.contact_reference_check",
        "case": "casemanagement.purposes.case_reference_check",
        "second_line": "casemanagement.purposes.second_line_reference_check",
        "supervision": "contactcentre.processinglog.purposes.supervision_reason_check",
    }


@pytest.mark.django_db(transaction=True)  # autocommit, as in a request: where BEGIN/COMMIT would show
def test_one_person_is_one_insert_with_the_same_fields_as_a_bulk_write():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one, two = PersonFactory.create_batch(2)
    agent = UserFactory(username="bert")
    common = {
        "actor": staff(agent),
        "action": "read",
        "object_type": "case",
        "purpose": "contact",
        "purpose_reference": "7",
    }
    with CaptureQueriesContext(connection) as queries:
        processing_log_record(party_ids=[one.pk], object_id="3", **common)
    assert [q["sql"].split()[0] for q in queries] == ["INSERT"]  # no BEGIN/SAVEPOINT/COMMIT around it
    processing_log_record(party_ids=[one.pk, two.pk], object_id="3", **common)
    fields = [f.attname for f in ProcessingRecord._meta.concrete_fields if f.attname not in ("id", "occurred_at")]
    rows = list(ProcessingRecord.objects.order_by("id").values(*fields))
    assert rows[0] == rows[1]
    assert rows[2]["subject"] == subject_pseudonym(two.pk)
