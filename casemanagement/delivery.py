"""Delivery of escalations to the second line, from the outbox (EscalationDelivery) written in the same
transaction as the escalation: the built-in worklist has it at once, a pull endpoint fetches and
acknowledges it through the API, a webhook endpoint gets it from this relay.

The relay takes due rows with SELECT ... FOR UPDATE SKIP LOCKED (so two workers never send one row),
sends each as a signed Standard Webhooks request (casemanagement.webhooks), and marks the result:
delivered, failed with exponential backoff and jitter, or dead after DELIVERY_MAX_ATTEMPTS (an
administrator resends it). It is woken on commit and swept periodically, so a lost wake-up only delays.
The message id is the row's, so a receiver drops a repeat it has seen (at-least-once delivery).
"""

import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casemanagement import webhooks
from casemanagement.attachments import attachment_summary
from casemanagement.models import Escalation, EscalationDelivery, EscalationEvent, SecondLineEndpoint
from casemanagement.routing_configuration import routing_configuration

Status = EscalationDelivery.Status
BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_MAX = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """Exponential, capped, with +/-20% jitter so retries after an outage do not arrive together."""
    delay = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)
    return delay * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not a secret


def escalation_payload(escalation: Escalation) -> dict:
    """What the receiving organisation gets: the question and its routing, never the BSN; the person
    is fetched through the API with this escalation as the purpose, and each attachment is a link to
    download with the organisation's token (metadata here, never the bytes)."""
    return {
        "type": "escalation.created",
        "escalation": {
            "reference": escalation.reference,
            "state": escalation.state,
            "queue": escalation.queue,
            "priority": escalation.priority,
            "question": escalation.question,
            "routing_explanation": escalation.routing_explanation,
            "first_response_due": escalation.first_response_due.isoformat(),
            "resolution_due": escalation.resolution_due.isoformat(),
            "share_history": escalation.share_history,
            "attachments": [
                attachment_summary(attachment, escalation.reference) for attachment in escalation.attachments.all()
            ],
        },
    }


def _mark_delivered(delivery: EscalationDelivery, now: datetime) -> None:
    EscalationDelivery.objects.filter(pk=delivery.pk).update(status=Status.DELIVERED, delivered_at=now, last_error="")
    updated = Escalation.objects.filter(
        pk=delivery.escalation_id, organisation_id=delivery.organisation_id, state=Escalation.State.NEW
    ).update(state=Escalation.State.DELIVERED, updated_at=now)
    if updated:
        EscalationEvent.objects.create(
            escalation_id=delivery.escalation_id, state=Escalation.State.DELIVERED, actor_label="systeem", at=now
        )


def delivery_hand_over(delivery: EscalationDelivery) -> bool:
    """Right after the outbox row is written: the worklist has it at once, a pull endpoint waits for its
    fetch; True when the row waits for the relay (a webhook endpoint)."""
    endpoint = routing_configuration().endpoint(delivery.organisation_id)
    if endpoint is None or endpoint.delivery == SecondLineEndpoint.Delivery.WORKLIST:
        _mark_delivered(delivery, timezone.now())
    return endpoint is not None and endpoint.delivery == SecondLineEndpoint.Delivery.WEBHOOK


def delivery_acknowledge(*, delivery: EscalationDelivery) -> None:
    """A pull endpoint fetched the escalation and says so (idempotent)."""
    if delivery.status != Status.DELIVERED:
        _mark_delivered(delivery, timezone.now())


def escalation_deliveries_relay(*, now: datetime | None = None, batch: int = 50) -> dict[str, int]:
    """Send due webhook deliveries; returns counts per outcome. Safe to run in several workers."""
    now = now or timezone.now()
    counts = {"delivered": 0, "failed": 0, "dead": 0}
    while True:
        with transaction.atomic():
            rows = list(
                EscalationDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("escalation", "organisation__second_line_endpoint")
                .prefetch_related("escalation__attachments")
                .filter(
                    status__in=[Status.PENDING, Status.FAILED],
                    next_attempt_at__lte=now,
                    organisation__second_line_endpoint__delivery=SecondLineEndpoint.Delivery.WEBHOOK,
                )
                .order_by("next_attempt_at", "id")[:batch]
            )
            for delivery in rows:
                counts[_send(delivery, now)] += 1
        if len(rows) < batch:
            return counts


def _send(delivery: EscalationDelivery, now: datetime) -> str:
    endpoint = delivery.organisation.second_line_endpoint
    result = webhooks.deliver(
        endpoint.url, endpoint.secrets, str(delivery.message_id), escalation_payload(delivery.escalation)
    )
    if result.delivered:
        _mark_delivered(delivery, now)
        return "delivered"
    attempts = delivery.attempts + 1
    dead = result.permanent or attempts >= settings.ESCALATION_DELIVERY_MAX_ATTEMPTS
    EscalationDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        status=Status.DEAD if dead else Status.FAILED,
        next_attempt_at=now + backoff(attempts),
        last_error=(result.error or f"HTTP {result.status_code}")[:300],
    )
    return "dead" if dead else "failed"


def deliveries_resend(*, ids: list[int]) -> int:
    """An administrator's decision: failed or dead deliveries go back in the queue."""
    from casemanagement.tasks import relay_escalation_deliveries

    count = EscalationDelivery.objects.filter(pk__in=ids, status__in=[Status.FAILED, Status.DEAD]).update(
        status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    relay_escalation_deliveries.delay_on_commit()
    return count
