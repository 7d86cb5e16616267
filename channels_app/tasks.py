"""Thin periodic tasks: deliver the notification outbox and the verification codes. Both services are
idempotent (a sent message is never due again), so Celery may retry them after a database hiccup.
Beat sweeps every 30 seconds (CELERY_BEAT_SCHEDULE); nothing wakes them on enqueue yet. The phone menu's
slow part, the knowledge links of what it read out, runs here after commit."""

from celery import shared_task
from django.db import DatabaseError

from channels_app.services import notifications_send_due, verification_messages_send_due
from contactcentre.interactions.services import contact_moment_knowledge_link
from contactcentre.principal import SYSTEM

RETRY = {"autoretry_for": (DatabaseError,), "retry_backoff": 5, "retry_backoff_max": 60, "max_retries": 3}


@shared_task(name="channels_app.tasks.send_due_notifications", **RETRY)
def send_due_notifications() -> dict[str, int]:
    return notifications_send_due()


@shared_task(name="channels_app.tasks.send_due_verification_messages", **RETRY)
def send_due_verification_messages() -> dict[str, int]:
    return verification_messages_send_due()


@shared_task(name="channels_app.tasks.voice_contact_knowledge_link", **RETRY)
def voice_contact_knowledge_link(*, contact_id: int, life_event_id: int | None, article_ids: list[int]) -> bool:
    """The life event and articles the phone menu read out, on the call's contact (idempotent)."""
    return (
        contact_moment_knowledge_link(
            contact_id=contact_id, actor=SYSTEM, life_event_id=life_event_id, article_ids=article_ids
        )
        is not None
    )
