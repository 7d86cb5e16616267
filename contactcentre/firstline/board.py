"""The supervisors' live board: the phone queue, the work queues and the escalations due, in one read.

The websocket consumer sends it on connect and again after the board's events (channels_app.consumers);
it holds counts, queue codes and escalation references only, never a person's data, so reading it
writes no processing-log record. Four queries, whatever the number of calls, items and escalations.
"""

from django.utils import timezone

from casemanagement.selectors import escalations_due_overview
from contactcentre.interactions.selectors import waiting_calls_overview, work_queue_overview

VIEW_BOARD = "interactions.view_live_board"
QUEUE_FIELDS = ("code", "name", "waiting", "in_progress", "longest_wait_seconds")


def supervisor_board(*, now=None) -> dict:
    now = now or timezone.now()
    return {
        "at": now,
        "calls": waiting_calls_overview(now=now),
        "queues": [{field: row[field] for field in QUEUE_FIELDS} for row in work_queue_overview(now=now)],
        "escalations": escalations_due_overview(now=now),
    }
