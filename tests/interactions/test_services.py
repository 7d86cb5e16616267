from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from contactcentre.errors import RuleViolation, ValidationFailed
from contactcentre.interactions.models import CallbackRequest, ContactMoment
from contactcentre.interactions.services import (
    callback_request_create,
    callback_request_update,
    contact_moment_close,
    contact_moment_record,
    work_queue_ensure,
)
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from lifeevents.models import Article, LifeEvent
from tests.casemanagement.factories import PersonFactory
from tests.factories import OrganisationFactory, UserFactory, organisation, staff

pytestmark = pytest.mark.django_db


def test_record_a_contact_logs_it_for_the_person():
    party = PersonFactory()
    agent = UserFactory(role="agent")
    contact, created = contact_moment_record(
        channel="phone",
        actor=staff(agent),
        agent=agent,
        party=party,
        assurance="low",
        question="Waar blijft mijn toeslag?",
    )
    assert created
    assert (contact.channel, contact.direction, contact.assurance, contact.agent) == ("phone", "inbound", "low", agent)
    assert contact.is_open
    record = ProcessingRecord.objects.get()
    assert (record.action, record.object_type, record.purpose, record.purpose_reference) == (
        "create",
        "contact_moment",
        "contact",
        str(contact.pk),
    )
    assert record.subject == subject_pseudonym(party.pk)


def test_anonymous_contact_has_no_assurance_and_writes_no_log():
    contact, _ = contact_moment_record(channel="web", actor=SYSTEM, assurance="high", question="Openingstijden?")
    assert (contact.party_id, contact.assurance, contact.identified_by) == (None, "", "")
    assert ProcessingRecord.objects.count() == 0


def test_the_same_external_id_makes_one_contact_per_channel():
    party = PersonFactory()
    first, created_first = contact_moment_record(channel="phone", actor=SYSTEM, party=party, external_id="CA123")
    again, created_again = contact_moment_record(channel="phone", actor=SYSTEM, party=party, external_id=" CA123 ")
    other_channel, created_other = contact_moment_record(channel="sms", actor=SYSTEM, party=party, external_id="CA123")
    assert (created_first, created_again, created_other) == (True, False, True)
    assert again.pk == first.pk
    assert other_channel.pk != first.pk
    assert ContactMoment.objects.count() == 2
    assert ProcessingRecord.objects.filter(action="create").count() == 2  # the repeat wrote nothing


def test_a_racing_duplicate_reads_the_winner_instead_of_failing():
    """Both deliveries pass the existence check; the unique constraint decides, the loser reads the winner."""
    winner, _ = contact_moment_record(channel="email", actor=SYSTEM, external_id="<msg-1@example.org>")
    real_filter = ContactMoment.objects.filter
    calls = {"n": 0}

    def first_check_misses(*args, **kwargs):
        calls["n"] += 1
        qs = real_filter(*args, **kwargs)
        return qs.none() if calls["n"] == 1 else qs

    with mock.patch.object(ContactMoment.objects, "filter", side_effect=first_check_misses):
        loser, created = contact_moment_record(channel="email", actor=SYSTEM, external_id="<msg-1@example.org>")
    assert (created, loser.pk) == (False, winner.pk)
    assert ContactMoment.objects.count() == 1


def test_record_validates_channel_direction_and_assurance():
    for kwargs in ({"channel": "pigeon"}, {"channel": "phone", "direction": "sideways"}):
        with pytest.raises(ValidationFailed):
            contact_moment_record(actor=SYSTEM, **kwargs)
    with pytest.raises(ValidationFailed):
        contact_moment_record(channel="phone", actor=SYSTEM, party=PersonFactory(), assurance="very")
    assert ContactMoment.objects.count() == 0


def test_client_contacts_are_marked_with_its_organisation(client_with_scopes):
    org = OrganisationFactory()
    _, client = client_with_scopes(["contacts:write"], organisation=org)
    contact, _ = contact_moment_record(channel="email", actor=organisation(client))
    assert contact.organisation == org and contact.agent is None


def test_close_records_outcome_end_and_knowledge_once():
    event = LifeEvent.objects.create(slug="verhuizen", name="Verhuizen")
    article = Article.objects.create(
        external_id="kb-0001", question="q", answer="a", short_answer="s", organisation=OrganisationFactory()
    )
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=PersonFactory())
    contact_moment_close(
        contact=contact,
        outcome="answered",
        answer="Uitgelegd hoe het werkt.",
        actor=SYSTEM,
        life_event=event,
        articles=[article],
    )
    contact.refresh_from_db()
    assert (contact.outcome, contact.answer, contact.life_event) == ("answered", "Uitgelegd hoe het werkt.", event)
    assert contact.ended_at is not None
    assert list(contact.articles.all()) == [article]
    with pytest.raises(RuleViolation):
        contact_moment_close(contact=contact, outcome="abandoned", actor=SYSTEM)
    contact.refresh_from_db()
    assert contact.outcome == "answered"


def test_close_refuses_unknown_outcome_and_end_before_start():
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM)
    with pytest.raises(ValidationFailed):
        contact_moment_close(contact=contact, outcome="magic", actor=SYSTEM)
    with pytest.raises(ValidationFailed):
        contact_moment_close(
            contact=contact, outcome="answered", actor=SYSTEM, ended_at=contact.started_at - timedelta(1)
        )
    contact.refresh_from_db()
    assert contact.is_open


def test_callback_request_normalises_the_number_and_closes_the_contact():
    queue = work_queue_ensure(code="kcc", name="KCC")
    party = PersonFactory()
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party)
    callback = callback_request_create(
        queue=queue, phone_number="06 1234 5678", question="Uitleg beschikking", contact_moment=contact, actor=SYSTEM
    )
    assert (callback.phone_number, callback.party, callback.status) == ("+31612345678", party, "open")
    contact.refresh_from_db()
    assert contact.outcome == "callback_requested" and contact.ended_at is not None
    assert ProcessingRecord.objects.filter(object_type="callback_request", action="create").count() == 1


def test_callback_request_validation():
    queue = work_queue_ensure(code="kcc", name="KCC")
    now = timezone.now()
    cases = [
        {"phone_number": "12", "question": "x"},
        {"phone_number": "0612345678", "question": " "},
        {"phone_number": "0612345678", "question": "x", "call_after": now, "call_before": now},
    ]
    for kwargs in cases:
        with pytest.raises(ValidationFailed):
            callback_request_create(queue=queue, actor=SYSTEM, **kwargs)
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=PersonFactory())
    with pytest.raises(ValidationFailed):
        callback_request_create(
            queue=queue,
            phone_number="0612345678",
            question="x",
            party=PersonFactory(),
            contact_moment=contact,
            actor=SYSTEM,
        )
    queue.is_active = False
    queue.save()
    with pytest.raises(RuleViolation):
        callback_request_create(queue=queue, phone_number="0612345678", question="x", actor=SYSTEM)
    assert CallbackRequest.objects.count() == 0


def test_callback_lifecycle():
    queue = work_queue_ensure(code="kcc", name="KCC")
    agent = UserFactory(role="agent")
    callback = callback_request_create(queue=queue, phone_number="0612345678", question="x", actor=SYSTEM)
    callback = callback_request_update(callback=callback, status="in_progress", actor=staff(agent))
    assert (callback.status, callback.assigned_to) == ("in_progress", agent)
    callback = callback_request_update(callback=callback, status="done", result="Uitgelegd", actor=staff(agent))
    assert callback.completed_at is not None and callback.result == "Uitgelegd"
    with pytest.raises(RuleViolation):
        callback_request_update(callback=callback, status="open", actor=staff(agent))


def test_impossible_moments_are_refused():
    from datetime import datetime

    from django.utils import timezone as tz

    for started_at in (datetime(54, 11, 5, tzinfo=tz.get_current_timezone()), tz.now() + timedelta(hours=1)):
        with pytest.raises(ValidationFailed) as error:
            contact_moment_record(channel="post", actor=SYSTEM, started_at=started_at)
        assert "started_at" in error.value.field_errors
    contact, _ = contact_moment_record(channel="post", actor=SYSTEM, started_at=tz.now() - timedelta(days=30))
    with pytest.raises(ValidationFailed):
        contact_moment_close(contact=contact, outcome="answered", actor=SYSTEM, ended_at=tz.now() + timedelta(days=1))
    assert ContactMoment.objects.count() == 1
