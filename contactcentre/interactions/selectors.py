"""Reads for contacts. Querysets are scoped to what the principal may see; the functions that hand
out a person's contacts write the processing-log record."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    TextChoices,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactcentre.errors import AccessDenied, NotFound
from contactcentre.interactions.models import (
    CallbackRequest,
    Channel,
    ContactMoment,
    Notification,
    WorkItem,
    WorkQueue,
)
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import Grant, processing_log_record

PURPOSE_CONTACT = Purpose.CONTACT
CONTACT_HISTORY_LIMIT = 20
VIEW_CONTACT = "interactions.view_contactmoment"
VIEW_CALLBACK = "interactions.view_callbackrequest"


def _contacts_in_scope(qs: QuerySet[ContactMoment], principal: Principal) -> QuerySet[ContactMoment]:
    if principal.is_organisation:
        return qs.filter(organisation_id=principal.organisation_id)
    if principal.has_perm(VIEW_CONTACT):
        return qs
    return qs.none()


def contact_moments_in_scope(*, principal: Principal) -> QuerySet[ContactMoment]:
    """The contacts the principal may see, without their related rows: for reading one contact's own
    fields (the console's workspace, the busiest page of the first line)."""
    return _contacts_in_scope(ContactMoment.objects.all(), principal)


def contact_moments_visible(*, principal: Principal) -> QuerySet[ContactMoment]:
    """First-line people see every contact; an organisation's system only those it recorded itself."""
    qs = ContactMoment.objects.select_related("agent", "organisation", "life_event").prefetch_related("articles")
    return _contacts_in_scope(qs, principal)


def contact_at_hand(*, contact_id: int, principal: Principal) -> ContactMoment:
    """The contact this staff member handles (or one not yet taken), for acting on it; NotFound for
    another's or an unknown one, so a guessed id tells nothing."""
    contact = (
        contact_moments_visible(principal=principal)
        .filter(pk=contact_id)
        .filter(Q(agent__isnull=True) | Q(agent_id=principal.user_id))
        .first()
    )
    if contact is None or not principal.is_staff:
        raise NotFound(_("Dit contact is niet bekend."))
    return contact


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


# What a citizen reads of their own contacts: not who served them, where, nor how they were identified.
CITIZEN_CONTACT_FIELDS = (
    "id",
    "channel",
    "direction",
    "topic",
    "question",
    "answer",
    "outcome",
    "started_at",
    "ended_at",
)


def contact_history(*, party_id: int, principal: Principal, limit: int = CONTACT_HISTORY_LIMIT) -> list[dict]:
    """The newest contacts of a party as plain rows (one indexed query, no model instances): the
    history in the customer view."""
    qs = _contacts_in_scope(ContactMoment.objects.all(), principal).filter(party_id=party_id)
    return list(_contact_history_rows(qs)[:limit])


# What a second-line organisation reads of a person's contact history: not the first line's own people.
SHARED_CONTACT_FIELDS = tuple(name for name in CONTACT_SUMMARY_FIELDS if name != "desk")


def contact_history_shared(*, grant: Grant, party_id: int, limit: int = CONTACT_HISTORY_LIMIT) -> list[dict]:
    """The newest contacts of a person, whoever recorded them, as plain rows (one indexed query) for
    the second-line organisation the person consented to share their contact history with. The
    caller (casemanagement) decides the consent, holds the second_line grant for this person and
    logs the hand-out; without such a grant nothing opens."""
    if grant.purpose != Purpose.SECOND_LINE or party_id not in grant.party_ids:
        raise AccessDenied(_("Geen doel om de contacthistorie van deze persoon in te zien."))
    rows = ContactMoment.objects.filter(party_id=party_id).order_by("-started_at", "-id")
    return list(rows.values(*SHARED_CONTACT_FIELDS, life_event_name=F("life_event__name"))[:limit])


def contact_moments_of_party(*, party_id: int, principal) -> QuerySet[ContactMoment]:
    return contact_moments_visible(principal=principal).filter(party_id=party_id).order_by("-started_at", "-id")


def contact_moments_of_citizen(*, principal: Principal) -> QuerySet[ContactMoment]:
    """The signed-in citizen's own contacts across every channel, newest first (nobody else reads
    them here), with only what they may read of them: no agent, desk or recording organisation. Hand
    a page out with rows_read_log (object type "contact_moment"), which logs the read."""
    if not principal.is_citizen:
        return ContactMoment.objects.none()
    return (
        ContactMoment.objects.filter(party_id=principal.party_id)
        .select_related("life_event")
        .only(*CITIZEN_CONTACT_FIELDS, "party_id", "life_event__name")
        .order_by("-started_at", "-id")
    )


def callback_requests_visible(*, principal: Principal) -> QuerySet[CallbackRequest]:
    """First-line staff see every callback, a citizen only their own."""
    qs = CallbackRequest.objects.select_related("queue", "assigned_to")
    if principal.is_citizen:
        return qs.filter(party_id=principal.party_id)
    if principal.is_organisation:
        return qs.none()  # callbacks are first-line work
    if principal.has_perm(VIEW_CALLBACK):
        return qs
    return qs.none()


def open_callbacks_of_party(*, party_id: int, principal) -> QuerySet[CallbackRequest]:
    return callback_requests_visible(principal=principal).filter(
        party_id=party_id, status__in=CallbackRequest.OPEN_STATUSES
    )


CALLBACK_SUMMARY_FIELDS = (
    "id",
    "phone_number",
    "call_after",
    "call_before",
    "question",
    "status",
    "created_at",
    "contact_moment",  # the id
)


def _open_callback_rows(party_id: int) -> QuerySet[CallbackRequest]:
    return (
        CallbackRequest.objects.filter(party_id=party_id, status__in=CallbackRequest.OPEN_STATUSES)
        .order_by("call_after", "id")
        .values(
            *CALLBACK_SUMMARY_FIELDS,
            queue_code=F("queue__code"),
            assigned_to_username=F("assigned_to__username"),
        )
    )


CALLBACK_SUMMARY_LIMIT = 20


def open_callbacks(*, party_id: int, principal: Principal, limit: int = CALLBACK_SUMMARY_LIMIT) -> list[dict]:
    """A party's open callback requests as plain rows (one indexed query; none for who may not see them)."""
    if not principal.has_perm(VIEW_CALLBACK):
        return []
    return list(_open_callback_rows(party_id)[:limit])


def rows_read_log(
    *, rows: Iterable, actor: Principal, object_type: str, purpose: str = PURPOSE_CONTACT, purpose_reference: str = ""
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


def notifications_of_citizen(*, principal: Principal) -> QuerySet[Notification]:
    """The signed-in citizen's own messages, newest first (nobody else reads them here); hand a page
    out with rows_read_log (object type "notification"), which logs the read."""
    if not principal.is_citizen:
        return Notification.objects.none()
    return (
        Notification.objects.filter(party_id=principal.party_id)
        .only("id", "party_id", "channel", "subject", "body", "status", "created_at", "sent_at")
        .order_by("-created_at", "-id")
    )


def work_items_of_agent(*, principal: Principal) -> QuerySet[WorkItem]:
    """What this person holds now (their own list), most urgent first."""
    return (
        WorkItem.objects.filter(status=WorkItem.Status.CLAIMED, claimed_by_id=principal.user_id)
        .select_related("queue")
        .order_by("priority", "created_at", "id")
    )


def work_items_open(*, principal: Principal, queue_code: str | None = None) -> QuerySet[WorkItem]:
    """The waiting items of the queues this person works (a supervisor sees every queue's)."""
    items = WorkItem.objects.filter(status=WorkItem.Status.OPEN).select_related("queue")
    if not principal.has_perm("interactions.reassign_workitem"):
        items = items.filter(queue__skilled__user_id=principal.user_id)
    if queue_code is not None:
        items = items.filter(queue__code=queue_code)
    return items.order_by("priority", "created_at", "id")


def work_queues_active() -> QuerySet[WorkQueue]:
    return WorkQueue.objects.filter(is_active=True).order_by("name")


CALLBACK_SOURCE = "callback:"  # a callback's work item is known by "callback:<id>" (callback_request_create)


def callbacks_of_work_items(items: Iterable[WorkItem]) -> dict[int, CallbackRequest]:
    """The callback request behind each callback item, by item id (one query for all)."""
    by_callback = {
        int(item.source_key.removeprefix(CALLBACK_SOURCE)): item.pk
        for item in items
        if item.kind == WorkItem.Kind.CALLBACK and (item.source_key or "").startswith(CALLBACK_SOURCE)
    }
    if not by_callback:
        return {}
    return {by_callback[callback.pk]: callback for callback in CallbackRequest.objects.filter(pk__in=by_callback)}


def work_items_at_hand(*, principal: Principal) -> list[WorkItem]:
    """The items this person holds, each with its contact (the question, the letter's text, its life
    event) and, for a callback, the request as `callback`: what the agent works from. The read of the
    people in them is logged (the contact at hand is each one's purpose)."""
    items = list(work_items_of_agent(principal=principal).select_related("contact_moment__life_event"))
    callbacks = callbacks_of_work_items(items)
    for item in items:
        item.callback = callbacks.get(item.pk)
    return rows_read_log(rows=items, actor=principal, object_type="work_item")


def work_queue_overview(*, now=None, principal: Principal | None = None) -> list[dict]:
    """Per active queue: waiting, in progress, the staff members holding its items now (agents), the
    oldest waiting item's age in seconds (the boards); with a `principal`, only the queues they work
    (a supervisor: all)."""
    now = now or timezone.now()
    claimed = Q(work_items__status=WorkItem.Status.CLAIMED)
    queues = WorkQueue.objects.filter(is_active=True)
    if principal is not None and not principal.has_perm("interactions.reassign_workitem"):
        queues = queues.filter(skilled__user_id=principal.user_id)
    rows = (
        queues.annotate(
            waiting=Count("work_items", filter=Q(work_items__status=WorkItem.Status.OPEN)),
            in_progress=Count("work_items", filter=claimed),
            agents=Count("work_items__claimed_by", filter=claimed, distinct=True),
            oldest=Min("work_items__created_at", filter=Q(work_items__status=WorkItem.Status.OPEN)),
        )
        .order_by("name")
        .values("id", "code", "name", "waiting", "in_progress", "agents", "oldest")
    )
    return [{**row, "longest_wait_seconds": _seconds_since(row["oldest"], now)} for row in rows]


def _seconds_since(moment, now) -> int:
    return int((now - moment).total_seconds()) if moment else 0


def waiting_calls_overview(*, now=None) -> dict:
    """The phone queue (the boards): calls that came in and were not yet put through to an agent nor
    ended (open inbound phone contacts without an agent), and the longest wait in seconds. One query
    on a partial index that holds only the waiting calls."""
    now = now or timezone.now()
    row = ContactMoment.objects.filter(
        channel=Channel.PHONE, direction=ContactMoment.Direction.INBOUND, agent__isnull=True, ended_at__isnull=True
    ).aggregate(waiting=Count("id"), oldest=Min("started_at"))
    return {"waiting": row["waiting"], "longest_wait_seconds": _seconds_since(row["oldest"], now)}


class Door(TextChoices):
    """Who served a contact: a staff member (the console, the counter), the door itself without one (the
    phone menu, the SMS answers, the portal, and what still waits in a queue), or an organisation's
    own system that recorded it."""

    STAFF = "staff", gettext_lazy("Medewerker")
    SELF_SERVICE = "self_service", gettext_lazy("Zonder medewerker")
    ORGANISATION = "organisation", gettext_lazy("Systeem van een organisatie")


# Resolved without the second line: an answer, a status, a change of base data.
ANSWERED_AT_FIRST_LINE = (
    ContactMoment.Outcome.ANSWERED,
    ContactMoment.Outcome.STATUS_GIVEN,
    ContactMoment.Outcome.DATA_CHANGED,
)

_DOOR = Case(
    When(organisation__isnull=False, then=Value(Door.ORGANISATION)),
    When(agent__isnull=False, then=Value(Door.STAFF)),
    default=Value(Door.SELF_SERVICE),
)
_HANDLED = Q(ended_at__isnull=False)


def _figures(rows: list[dict]) -> dict:
    """contacts, answered at the first line, escalated, and the average handling time in whole seconds
    (None without an ended contact) of some (channel, door) rows together."""
    handled = sum(row["handled"] for row in rows)
    handling = sum((row["handling"] for row in rows if row["handling"]), timedelta())
    return {
        "contacts": sum(row["contacts"] for row in rows),
        "answered": sum(row["answered"] for row in rows),
        "escalated": sum(row["escalated"] for row in rows),
        "average_handling_seconds": round(handling.total_seconds() / handled) if handled else None,
    }


def contact_figures(*, since: datetime, until: datetime) -> dict:
    """The incoming contacts that started in [since, until) (the boards' figures of the day) per
    channel, per door and in total, every channel and door present (zeros included). One aggregate
    query on the index of contacts by start, whatever the number of contacts; counts only."""
    rows = list(
        ContactMoment.objects.filter(
            direction=ContactMoment.Direction.INBOUND, started_at__gte=since, started_at__lt=until
        )
        .annotate(door=_DOOR)
        .values("channel", "door")
        .annotate(
            contacts=Count("id"),
            answered=Count("id", filter=Q(outcome__in=ANSWERED_AT_FIRST_LINE)),
            escalated=Count("id", filter=Q(outcome=ContactMoment.Outcome.ESCALATED)),
            handled=Count("id", filter=_HANDLED),
            handling=Sum(
                ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField()), filter=_HANDLED
            ),
        )
        .order_by()
    )
    return {
        "channels": {code: _figures([row for row in rows if row["channel"] == code]) for code in Channel.values},
        "doors": {code: _figures([row for row in rows if row["door"] == code]) for code in Door.values},
        "total": _figures(rows),
    }
