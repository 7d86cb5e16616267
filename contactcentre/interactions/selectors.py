"""Reads for contacts. Querysets are scoped to what the principal may see; the functions that hand
out a person's contacts write the processing-log record."""

from collections.abc import Iterable

from django.db.models import QuerySet

from contactcentre.interactions.models import CallbackRequest, ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record

PURPOSE_CONTACT = Purpose.CONTACT
CONTACT_HISTORY_LIMIT = 20


def _is_client(principal) -> bool:
    return getattr(principal, "is_api_client", False)


def contact_moments_visible(*, principal) -> QuerySet[ContactMoment]:
    """First-line people see every contact; an organisation's system only those it recorded itself."""
    qs = ContactMoment.objects.select_related("agent", "organisation", "life_event").prefetch_related("articles")
    if _is_client(principal):
        return qs.filter(organisation_id=principal.organisation_id)
    if principal.has_perm("interactions.view_contactmoment"):
        return qs
    return qs.none()


def contact_moments_of_party(*, party_id: int, principal) -> QuerySet[ContactMoment]:
    return contact_moments_visible(principal=principal).filter(party_id=party_id).order_by("-started_at", "-id")


def callback_requests_visible(*, principal) -> QuerySet[CallbackRequest]:
    qs = CallbackRequest.objects.select_related("queue", "assigned_to")
    if _is_client(principal):
        return qs.none()  # callbacks are first-line work
    if principal.has_perm("interactions.view_callbackrequest"):
        return qs
    return qs.none()


def open_callbacks_of_party(*, party_id: int, principal) -> QuerySet[CallbackRequest]:
    return callback_requests_visible(principal=principal).filter(
        party_id=party_id, status__in=CallbackRequest.OPEN_STATUSES
    )


def rows_read_log(
    *, rows: Iterable, actor, object_type: str, purpose: str = PURPOSE_CONTACT, purpose_reference: str = ""
) -> list:
    """Materialise rows about people and log the read: one record per person in them."""
    rows = list(rows)
    party_ids = [row.party_id for row in rows if getattr(row, "party_id", None)]
    if party_ids:
        processing_log_record(
            actor=actor,
            action=ProcessingRecord.Action.READ,
            object_type=object_type,
            party_ids=party_ids,
            purpose=purpose,
            purpose_reference=purpose_reference,
        )
    return rows
