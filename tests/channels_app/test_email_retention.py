"""Retention: e-mail messages, their files and quarantined mail go when contact moments do; the
deletion is logged per person; a second run changes nothing."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from channels_app.email.intake import email_intake
from channels_app.email.models import EmailAttachment, EmailMessage, EmailThread, QuarantinedEmail
from channels_app.email.retention import email_purge
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from tests.channels_app import email_corpus as corpus

pytestmark = pytest.mark.django_db
PUSH = EmailMessage.Source.PUSH


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_expired_mail_and_its_files_are_deleted_and_logged_and_recent_mail_stays(
    person, settings, django_capture_on_commit_callbacks
):
    settings.CONTACT_MOMENT_RETENTION_DAYS = 30
    old = email_intake(raw=corpus.with_attachments(), source=PUSH).message
    quarantined = email_intake(raw=corpus.NO_SENDER, source=PUSH).quarantine
    recent = email_intake(raw=corpus.plain(), source=PUSH).message
    files = [Path(a.file.path) for a in EmailAttachment.objects.exclude(file="")] + [Path(quarantined.raw.path)]
    long_ago = timezone.now() - timedelta(days=31)
    EmailMessage.objects.filter(pk=old.pk).update(created_at=long_ago)
    EmailThread.objects.filter(pk=old.thread_id).update(created_at=long_ago)
    QuarantinedEmail.objects.update(received_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert email_purge() == {"messages": 1, "threads": 1, "quarantined": 1}

    assert list(EmailMessage.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(EmailThread.objects.values_list("pk", flat=True)) == [recent.thread_id]
    assert not EmailAttachment.objects.exists() and not QuarantinedEmail.objects.exists()
    assert len(files) == 3 and not any(path.exists() for path in files)
    deleted = ProcessingRecord.objects.get(action="delete", object_type="email_message")
    assert (deleted.subject, deleted.purpose, deleted.purpose_reference) == (
        subject_pseudonym(person.pk),
        "system",
        "retention",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert email_purge() == {"messages": 0, "threads": 0, "quarantined": 0}
    assert ProcessingRecord.objects.filter(action="delete").count() == 1
