"""Breach detection: open escalations about to pass their resolution deadline, and past it, go on the
supervisors' board once per escalation and threshold.

The deadlines themselves were counted on the receiving organisation's business calendar when the
escalation was routed (casemanagement.routing.deadlines_for); this sweep only compares them with now.
Thresholds: "near" is a resolution deadline within ESCALATION_NEAR_BREACH_HOURS (plain hours) from
now, "breached" one that has passed. An escalation is flagged by a conditional UPDATE (... WHERE the
flag IS NULL) on rows this sweep holds with SELECT ... FOR UPDATE SKIP LOCKED, so two workers running
the sweep at once never flag one escalation twice. There is no realtime module yet to publish the
board's event on: the sweep returns the flagged ids and logs counts (never personal data).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casemanagement.models import Escalation
from contactcentre.interactions.models import WorkItem
from contactcentre.interactions.work_items import (
    SUPERVISION_QUEUE,
    work_item_complete_for_source,
    work_item_create,
)

logger = logging.getLogger(__name__)
BATCH = 500
_THRESHOLDS = {
    # flag field: (source key suffix, title, priority)
    "breach_flagged_at": ("breached", "Termijn overschreden", WorkItem.Priority.URGENT),
    "near_breach_flagged_at": ("near", "Termijn bijna verstreken", WorkItem.Priority.HIGH),
}


def _source_key(escalation_id: int, suffix: str) -> str:
    return f"escalation-deadline:{escalation_id}:{suffix}"


def _supervise(escalations, flag_field: str) -> None:
    suffix, title, priority = _THRESHOLDS[flag_field]
    for escalation in escalations:
        work_item_create(
            queue_code=SUPERVISION_QUEUE,
            kind=WorkItem.Kind.SUPERVISION,
            title=f"{title}: {escalation.reference} ({escalation.organisation.name})",
            contact_moment=escalation.contact_moment,
            priority=priority,
            source_key=_source_key(escalation.pk, suffix),
            due_at=escalation.resolution_due,
        )


def escalation_supervision_close(*, escalation: Escalation) -> None:
    """The escalation is no longer open: its deadline signals are done."""
    for suffix, _title, _priority in _THRESHOLDS.values():
        work_item_complete_for_source(source_key=_source_key(escalation.pk, suffix), outcome=escalation.state)


def _flag(*, due_filter: dict, flag_field: str, now: datetime) -> list[int]:
    """Set `flag_field` to now on open, unflagged escalations matching `due_filter`; the ids flagged."""
    flagged: list[int] = []
    while True:
        with transaction.atomic():
            escalations = list(
                Escalation.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state__in=Escalation.OPEN_STATES, **due_filter, **{f"{flag_field}__isnull": True})
                .select_related("organisation", "contact_moment")
                .order_by("resolution_due", "id")[:BATCH]
            )
            ids = [escalation.pk for escalation in escalations]
            if ids:
                Escalation.objects.filter(pk__in=ids, **{f"{flag_field}__isnull": True}).update(**{flag_field: now})
                _supervise(escalations, flag_field)
        flagged.extend(ids)
        if len(ids) < BATCH:
            return flagged


def escalations_flag_breaches(now: datetime | None = None) -> tuple[list[int], list[int]]:
    """Flag open escalations that came near their resolution deadline or passed it; returns the ids
    flagged by this run (near, breached). Idempotent: a second run flags nothing new."""
    now = now or timezone.now()
    near_window = timedelta(hours=settings.ESCALATION_NEAR_BREACH_HOURS)
    breached = _flag(due_filter={"resolution_due__lte": now}, flag_field="breach_flagged_at", now=now)
    near = _flag(
        due_filter={"resolution_due__gt": now, "resolution_due__lte": now + near_window},
        flag_field="near_breach_flagged_at",
        now=now,
    )
    if near or breached:
        logger.info(
            "Escalation deadlines: %d near breach, %d breached, flagged for supervisors.", len(near), len(breached)
        )
    return near, breached
