"""Reads of the processing log: what was done with one person's data."""

from django.db.models import QuerySet

from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym


def processing_records_for_party(*, party_id: int) -> QuerySet[ProcessingRecord]:
    """Newest first; the subject index makes this one indexed range scan."""
    return ProcessingRecord.objects.filter(subject=subject_pseudonym(party_id)).order_by("-occurred_at", "-id")


LOCKOUT = "purpose_lockout"


def purpose_lockouts_since(*, since) -> QuerySet[ProcessingRecord]:
    """Who was locked out of opening people's data after too many wrong references, oldest first."""
    return ProcessingRecord.objects.filter(object_type=LOCKOUT, occurred_at__gte=since).order_by("occurred_at", "id")
