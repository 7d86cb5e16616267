"""Publish an event to websocket groups after the transaction commits (any layer may call it).

A lower layer that must tell the screens something publishes here; the consumers in channels_app
forward what their group receives. Every message has the one Channels type "realtime.event", so a
consumer needs one handler, and carries ids and counts, never a person's data: a screen that needs
more asks the API with its own purpose.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "realtime.event"
BOARD_GROUP = "supervisor-board"


def agent_group(user_id: int) -> str:
    """The sockets of one staff member (screen pop, their own work list)."""
    return f"agent-{user_id}"


def office_group(office_code: str) -> str:
    """A counter office's waiting-room display and desks."""
    return f"office-{office_code}"


def _send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, message)
    except Exception:  # a screen missing one update must never fail the request that caused it
        logger.warning("realtime publish to %s failed", group, exc_info=True)


def publish(group: str, event: str, data: dict | None = None, *, using: str | None = None) -> None:
    """Send {"event": event, "data": data} to the group once the current transaction commits (at
    once outside a transaction; never after a rollback)."""
    message = {"type": MESSAGE_TYPE, "event": event, "data": data or {}}
    transaction.on_commit(lambda: _send(group, message), using=using)
