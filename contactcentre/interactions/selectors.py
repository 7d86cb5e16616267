"""Reads for contacts. Querysets are scoped to what the principal may see; the functions that hand
out a person's contacts write the processing-log record."""

from collections.abc import Callable, Iterable

from django.db.models import F, QuerySet

from contactcentre.api.compiled import CompiledQuery, QueryBatch
from contactcentre.interactions.models import CallbackRequest, ContactMoment
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record

PURPOSE_CONTACT = Purpose.CONTACT
CONTACT_HISTORY_LIMIT = 20
VIEW_CONTACT = "interactions.view_contactmoment"


def _is_client(principal) -> bool:
    return getattr(principal, "is_api_client", False)


def _contacts_in_scope(qs: QuerySet[ContactMoment], principal) -> QuerySet[ContactMoment]:
    if _is_client(principal):
        return qs.filter(organisation_id=principal.organisation_id)
    if principal.has_perm(VIEW_CONTACT):
        return qs
    return qs.none()


def contact_moments_visible(*, principal) -> QuerySet[ContactMoment]:
    """First-line people see every contact; an organisation's system only those it recorded itself."""
    qs = ContactMoment.objects.select_related("agent", "organisation", "life_event").prefetch_related("articles")
    return _contacts_in_scope(qs, principal)


CONTACT_SUMMARY_FIELDS = (
    "id",
    "channel",
    "direction",
    "identified_by",
    "assurance",
    "topic",
    "question",
    "answer",
    "outcome",
    "desk",
    "started_at",
    "ended_at",
)


def _contact_history_rows(qs: QuerySet[ContactMoment]) -> QuerySet[ContactMoment]:
    return qs.order_by("-started_at", "-id").values(
        *CONTACT_SUMMARY_FIELDS,
        agent_username=F("agent__username"),
        organisation_code=F("organisation__code"),
        life_event_slug=F("life_event__slug"),
        life_event_name=F("life_event__name"),
    )


# The first-line person's history (every contact of the party), compiled once: the same SQL as below.
_HISTORY_FOR_PEOPLE = CompiledQuery(
    lambda party_id: _contact_history_rows(ContactMoment.objects.filter(party_id=party_id))[:CONTACT_HISTORY_LIMIT],
    party_id=-301,
)


def contact_history_deferred(
    batch: QueryBatch, *, party_id: int, principal, limit: int = CONTACT_HISTORY_LIMIT
) -> Callable[[], list[dict]]:
    """The newest contacts of a party as plain rows (one indexed query, no model instances): the
    history in the customer view. The articles used are on the contact itself."""
    if limit == CONTACT_HISTORY_LIMIT and not _is_client(principal) and principal.has_perm(VIEW_CONTACT):
        return batch.add(_HISTORY_FOR_PEOPLE, party_id=party_id)
    qs = _contacts_in_scope(ContactMoment.objects.all(), principal).filter(party_id=party_id)
    return lambda: list(_contact_history_rows(qs)[:limit])


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


def _open_callback_rows(party_id: int) -> QuerySet[CallbackRequest]:
    return (
        CallbackRequest.objects.filter(party_id=party_id, status__in=CallbackRequest.OPEN_STATUSES)
        .order_by("call_after", "id")
        .values(
            "id",
            "phone_number",
            "call_after",
            "call_before",
            "question",
            "status",
            "created_at",
            "contact_moment",  # the id
            queue_code=F("queue__code"),
            assigned_to_username=F("assigned_to__username"),
        )
    )


CALLBACK_SUMMARY_LIMIT = 20
_OPEN_CALLBACKS = CompiledQuery(lambda party_id: _open_callback_rows(party_id)[:CALLBACK_SUMMARY_LIMIT], party_id=-302)


def open_callbacks_deferred(
    batch: QueryBatch, *, party_id: int, principal, limit: int = CALLBACK_SUMMARY_LIMIT
) -> Callable[[], list[dict]]:
    """A party's open callback requests as plain rows (one indexed query)."""
    if _is_client(principal) or not principal.has_perm("interactions.view_callbackrequest"):
        return list
    if limit == CALLBACK_SUMMARY_LIMIT:
        return batch.add(_OPEN_CALLBACKS, party_id=party_id)  # the same SQL, compiled once
    return lambda: list(_open_callback_rows(party_id)[:limit])


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
