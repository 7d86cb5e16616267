"""Wake a Celery task by its name, after the current transaction commits, best effort.

An outbox row is written by a lower layer (interactions' notifications, the registry's verification
messages) and sent by a task of a higher one (channels_app), which the lower layer may not import
(DESIGN.md: never import upward). So the writer names the task: the name is a setting, next to the beat
entry that sweeps the same task, and Celery's public `app.signature(name).apply_async()` resolves it to
the registered task (so CELERY_TASK_ALWAYS_EAGER runs it in-process, as `.delay()` would) or, in a
process that has not imported it, publishes it by name for a worker (as `send_task` does).

The row is committed before the wake-up and the periodic sweep sends it if the wake-up is lost, so
the wake-up never fails its caller: one publish, no retries, a broker that is down is only logged.
"""

import logging
from functools import partial

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

logger = logging.getLogger(__name__)


def task_wake(name: str) -> None:
    """Send the task `name` (no arguments) now, once; a broker that is down is logged, not raised."""
    try:
        current_app.signature(name).apply_async(retry=False)
    except (KombuOperationalError, OSError):
        logger.warning("Wake-up of %s not sent (broker unavailable); the periodic sweep will run it.", name)


def task_wake_on_commit(name: str) -> None:
    """Wake the task `name` once the current transaction commits (never on a rollback). Robust: should
    an eagerly run task fail, the caller's committed work still stands and the sweep tries again."""
    transaction.on_commit(partial(task_wake, name), robust=True)
