"""Thin periodic tasks: deliver the notification outbox and the verification codes. Both services are
idempotent (a sent message is never due again), so Celery may retry them after a database hiccup.
Beat sweeps every 30 seconds (CELERY_BEAT_SCHEDULE); nothing wakes them on enqueue yet."""

from celery import shared_task
from django.db import DatabaseError

from channels_app.services import notifications_send_due, verification_messages_send_due

RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": 5, "retry_backoff_max": 60, "max_retries": 3}


@shared_task(name="channels_app.tasks.send_due_notifications", **RETRY)
def send_due_notifications() -> dict[str, int]:
    return notifications_send_due()


@shared_task(name="channels_app.tasks.send_due_verification_messages", **RETRY)
def send_due_verification_messages() -> dict[str, int]:
    return verification_messages_send_due()
