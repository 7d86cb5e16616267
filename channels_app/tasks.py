"""Thin tasks: deliver the notification outbox and the verification codes. Both services are
idempotent (a sent message is never due again), so Celery may retry them after a database hiccup and
a wake-up may come twice. Woken by name after the commit that wrote a row (NOTIFICATION_SENDER_TASK,
VERIFICATION_SENDER_TASK; contactcentre/wakeups.py), and swept by beat every 30 seconds."""

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
