"""Retention of the e-mail door: messages, their attachments and quarantined mail are kept as long as
contact moments (CONTACT_MOMENT_RETENTION_DAYS), then deleted with their files, in batches; the
deletion is logged once per person per batch. A second run finds nothing."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from channels_app.email.models import EmailAttachment, EmailMessage, EmailThread, QuarantinedEmail
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record

PURGE_BATCH = 500


def email_purge(*, now: datetime | None = None) -> dict[str, int]:
    """{"messages": n, "threads": n, "quarantined": n} deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CONTACT_MOMENT_RETENTION_DAYS)
    counts = {"messages": 0, "threads": 0, "quarantined": 0}
    while batch := list(
        EmailMessage.objects.filter(created_at__lt=cutoff).values_list("pk", "thread__party_id")[:PURGE_BATCH]
    ):
        ids = [pk for pk, _ in batch]
        files = list(EmailAttachment.objects.filter(message_id__in=ids).values_list("file", flat=True))
        with transaction.atomic():
            EmailMessage.objects.filter(pk__in=ids).delete()
            processing_log_record(
                actor=SYSTEM,
                action=ProcessingRecord.Action.DELETE,
                object_type="email_message",
                party_ids=[party_id for _, party_id in batch if party_id is not None],
                purpose=Purpose.SYSTEM,
                purpose_reference="retention",
            )
            transaction.on_commit(lambda files=files: _delete_files(files))
        counts["messages"] += len(batch)
    counts["threads"], _ = EmailThread.objects.filter(created_at__lt=cutoff, messages__isnull=True).delete()
    while batch := list(QuarantinedEmail.objects.filter(received_at__lt=cutoff).values_list("pk", "raw")[:PURGE_BATCH]):
        with transaction.atomic():
            QuarantinedEmail.objects.filter(pk__in=[pk for pk, _ in batch]).delete()
            transaction.on_commit(lambda files=[name for _, name in batch]: _delete_files(files))
        counts["quarantined"] += len(batch)
    return counts


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
