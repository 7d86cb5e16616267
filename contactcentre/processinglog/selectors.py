"""Reads of the processing log: what was done with one person's data."""

from django.db.models import QuerySet

from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym


def processing_records_for_party(*, party_id: int) -> QuerySet[ProcessingRecord]:
    """Newest first; the subject index makes this one indexed range scan."""
    return ProcessingRecord.objects.filter(subject=subject_pseudonym(party_id)).order_by("-occurred_at", "-id")
