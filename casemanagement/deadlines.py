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

logger = logging.getLogger(__name__)
BATCH = 500


def _flag(*, due_filter: dict, flag_field: str, now: datetime) -> list[int]:
    """Set `flag_field` to now on open, unflagged escalations matching `due_filter`; the ids flagged."""
    flagged: list[int] = []
    while True:
        with transaction.atomic():
            ids = list(
                Escalation.objects.select_for_update(skip_locked=True)
                .filter(state__in=Escalation.OPEN_STATES, **due_filter, **{f"{flag_field}__isnull": True})
                .order_by("resolution_due", "id")
                .values_list("id", flat=True)[:BATCH]
            )
            if ids:
                Escalation.objects.filter(pk__in=ids, **{f"{flag_field}__isnull": True}).update(**{flag_field: now})
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
