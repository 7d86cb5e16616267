"""The same e-mail arriving at the same moment several times (the IMAP poller and a mail server's push,
a poll retried after a crash): one message, one contact, one work item; the same broken message one
quarantine (PostgreSQL only: SQLite serialises writers, so there is no race to show)."""

import pytest
from django.db import connection

from channels_app.email.intake import Outcome, email_intake
from channels_app.email.models import EmailMessage, QuarantinedEmail
from contactcentre.interactions.models import ContactMoment, WorkItem
from contactcentre.interactions.services import work_queue_ensure
from tests.channels_app import email_corpus as corpus
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]
DELIVERIES = 6


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _race(raw: bytes) -> list:
    sources = [EmailMessage.Source.IMAP, EmailMessage.Source.PUSH] * (DELIVERIES // 2)
    return at_once(lambda n: email_intake(raw=raw, source=sources[n]), DELIVERIES)


def test_one_message_delivered_six_times_at_once_is_one_message_contact_and_work_item(person):
    work_queue_ensure(code="email", name="E-mail")
    results = _race(corpus.with_attachments())

    assert sorted(result.outcome for result in results) == [Outcome.DUPLICATE] * 5 + [Outcome.IMPORTED]
    assert {result.message.pk for result in results} == {EmailMessage.objects.get().pk}
    assert ContactMoment.objects.count() == 1
    assert WorkItem.objects.count() == 1
    assert EmailMessage.objects.get().attachments.count() == 3


def test_one_broken_message_delivered_six_times_at_once_is_one_quarantine(db):
    results = _race(corpus.BOUNDARY_MISSING)

    assert [result.outcome for result in results] == [Outcome.QUARANTINED] * DELIVERIES
    assert sorted(result.created for result in results) == [False] * 5 + [True]
    assert {result.quarantine.pk for result in results} == {QuarantinedEmail.objects.get().pk}
