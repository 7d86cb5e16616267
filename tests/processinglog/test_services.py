"""The processing-log helper and the purpose rule."""

import pytest

from contactcentre.api.logging import current_trace_id
from contactcentre.errors import AccessDenied
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.processinglog.services import processing_log_record, purpose_is_valid, purpose_require
from contactcentre.registry.citizen import CitizenPrincipal
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_n_people_give_n_records_with_pseudonymous_subjects():
    people = PersonFactory.create_batch(4)
    agent = UserFactory(username="anna")
    token = current_trace_id.set("a" * 32)
    try:
        processing_log_record(
            actor=agent,
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
    citizen = CitizenPrincipal(party_id=person.pk, assurance="substantial")
    for actor in (client, citizen, None):
        processing_log_record(actor=actor, action="read", object_type="x", party_ids=[person.pk], purpose="p")
    rows = list(ProcessingRecord.objects.order_by("id").values_list("actor_type", "actor_id", "organisation_code"))
    assert rows == [
        ("api_client", f"client:{client.pk}", client.organisation.code),
        ("citizen", f"citizen:{subject_pseudonym(person.pk)}", ""),
        ("system", "system", ""),
    ]


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
    assert purpose_is_valid(actor=UserFactory(), purpose=purpose, purpose_reference=reference) is valid


def test_citizen_acts_for_themselves_only():
    citizen = CitizenPrincipal(party_id=1, assurance="substantial")
    assert purpose_is_valid(actor=citizen, purpose="", purpose_reference="") is True
    assert purpose_is_valid(actor=citizen, purpose="contact", purpose_reference="cm-1") is False


def test_purpose_require_logs_denied_per_person_and_raises_403():
    person = PersonFactory()
    with pytest.raises(AccessDenied) as error:
        purpose_require(
            actor=UserFactory(),
            purpose="",
            purpose_reference="",
            action="read",
            object_type="party_base_data",
            party_ids=[person.pk],
        )
    assert (error.value.status, error.value.code) == (403, "purpose_required")
    assert list(ProcessingRecord.objects.values_list("subject", "outcome", "purpose")) == [
        (subject_pseudonym(person.pk), "denied", "none")
    ]


@pytest.fixture
def contact_checker():
    """A stand-in for the interactions app's check: only reference "cm-open" is a contact at hand."""
    from contactcentre.processinglog.services import (
        purpose_reference_checker_register,
        purpose_reference_checker_unregister,
    )

    calls = []

    def check(batch, *, actor, reference, party_ids):
        calls.append((actor.pk, reference, party_ids))
        return lambda: reference == "cm-open"

    real = purpose_reference_checker_register(purpose="contact", check=check)
    yield calls
    purpose_reference_checker_unregister(purpose="contact")
    if real is not None:
        purpose_reference_checker_register(purpose="contact", check=real)


def test_a_registered_checker_decides_whether_the_reference_is_real(contact_checker):
    person = PersonFactory()
    agent = UserFactory()
    call = {"actor": agent, "purpose": "contact", "action": "read", "object_type": "x", "party_ids": [person.pk]}
    assert purpose_require(purpose_reference="cm-open", **call) == "contact"
    with pytest.raises(AccessDenied) as error:
        purpose_require(purpose_reference="cm-closed", **call)
    assert error.value.code == "purpose_reference_invalid"
    assert contact_checker == [(agent.pk, "cm-open", [person.pk]), (agent.pk, "cm-closed", [person.pk])]
    assert list(ProcessingRecord.objects.values_list("outcome", "purpose_reference")) == [("denied", "cm-closed")]
    # Other purposes are not affected by the contact checker.
    assert purpose_require(**(call | {"purpose": "case"}), purpose_reference="Z-1") == "case"


@pytest.mark.django_db(transaction=True)  # autocommit, as in a request: where BEGIN/COMMIT would show
def test_one_person_is_one_insert_with_the_same_fields_as_a_bulk_write():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one, two = PersonFactory.create_batch(2)
    agent = UserFactory(username="bert")
    common = {"actor": agent, "action": "read", "object_type": "case", "purpose": "contact", "purpose_reference": "7"}
    with CaptureQueriesContext(connection) as queries:
        processing_log_record(party_ids=[one.pk], object_id="3", **common)
    assert [q["sql"].split()[0] for q in queries] == ["INSERT"]  # no BEGIN/SAVEPOINT/COMMIT around it
    processing_log_record(party_ids=[one.pk, two.pk], object_id="3", **common)
    fields = [f.attname for f in ProcessingRecord._meta.concrete_fields if f.attname not in ("id", "occurred_at")]
    rows = list(ProcessingRecord.objects.order_by("id").values(*fields))
    assert rows[0] == rows[1]
    assert rows[2]["subject"] == subject_pseudonym(two.pk)
