from datetime import timedelta

import pytest
from django.utils import timezone

from contactcentre.interactions.models import CallbackRequest, ContactMoment
from contactcentre.interactions.services import (
    callback_request_create,
    contact_moment_record,
    contact_moments_purge,
    work_queue_ensure,
)
from contactcentre.interactions.tasks import purge_contact_moments
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from tests.casemanagement.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_purge_deletes_expired_contacts_logs_it_and_a_second_run_changes_nothing(settings):
    settings.CONTACT_MOMENT_RETENTION_DAYS = 30
    old_party, recent_party = PersonFactory(), PersonFactory()
    old, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=old_party)
    anonymous_old, _ = contact_moment_record(channel="web", actor=SYSTEM)
    recent, _ = contact_moment_record(channel="sms", actor=SYSTEM, party=recent_party)
    callback = callback_request_create(
        queue=work_queue_ensure(code="kcc", name="KCC"), phone_number="0612345678", question="x", actor=SYSTEM
    )
    CallbackRequest.objects.filter(pk=callback.pk).update(contact_moment=old)
    ContactMoment.objects.filter(pk__in=[old.pk, anonymous_old.pk]).update(
        started_at=timezone.now() - timedelta(days=31)
    )

    assert contact_moments_purge() == 2
    assert list(ContactMoment.objects.values_list("pk", flat=True)) == [recent.pk]
    callback.refresh_from_db()
    assert callback.contact_moment is None  # the callback stays, without its contact
    [record] = ProcessingRecord.objects.filter(action="delete")
    assert (record.subject, record.purpose, record.actor_type) == (subject_pseudonym(old_party.pk), "system", "system")

    assert purge_contact_moments() == 0
    assert ProcessingRecord.objects.filter(action="delete").count() == 1
    assert ContactMoment.objects.count() == 1


def test_a_contact_an_escalation_still_needs_is_kept_and_the_rest_purged(settings):
    from tests.casemanagement.second_line import second_line_setup

    settings.CONTACT_MOMENT_RETENTION_DAYS = 30
    line = second_line_setup(delivery="worklist")
    escalated = line.escalate().contact_moment
    plain, _ = contact_moment_record(channel="web", actor=SYSTEM)
    ContactMoment.objects.update(started_at=timezone.now() - timedelta(days=31))

    assert contact_moments_purge() == 1  # the escalated contact stays as long as its escalation
    assert list(ContactMoment.objects.values_list("pk", flat=True)) == [escalated.pk]
    assert not ContactMoment.objects.filter(pk=plain.pk).exists()
    assert contact_moments_purge() == 0
