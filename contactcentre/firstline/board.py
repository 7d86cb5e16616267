"""The supervisors' live board: the phone queue, the work queues, the escalations due, and today's
figures per channel and per door with the knowledge articles that failed, in one read.

The websocket consumer sends it on connect and again after the board's events (channels_app.consumers)
and the board page renders the same dict first (console/board.py); it holds counts, queue codes,
escalation references and article questions only, never a person's data, so reading it writes no
processing-log record. Six queries, whatever the number of calls, contacts, items and escalations.
"""

from datetime import datetime, time

from django.utils import timezone

from casemanagement.selectors import articles_tried_before_escalation, escalations_due_overview
from contactcentre.interactions.selectors import contact_figures, waiting_calls_overview, work_queue_overview

VIEW_BOARD = "interactions.view_live_board"
QUEUE_FIELDS = ("code", "name", "waiting", "in_progress", "agents", "longest_wait_seconds")


def start_of_day(now: datetime) -> datetime:
    """Midnight of `now`'s day in the centre's time zone (TIME_ZONE): where "today" begins."""
    return datetime.combine(timezone.localdate(now), time.min, tzinfo=timezone.get_current_timezone())


def supervisor_board(*, now=None) -> dict:
    now = now or timezone.now()
    since = start_of_day(now)
    return {
        "at": now,
        "calls": waiting_calls_overview(now=now),
        "queues": [{field: row[field] for field in QUEUE_FIELDS} for row in work_queue_overview(now=now)],
        "escalations": escalations_due_overview(now=now),
        "today": {"since": since, **contact_figures(since=since, until=now)},
        "failed_articles": articles_tried_before_escalation(since=since),
    }
