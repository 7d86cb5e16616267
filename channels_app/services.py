"""Writes of the doors' outbound side: deliver the notification outbox and the verification codes.

Delivery is at most once per attempt. `notifications_send_due` claims due rows under
`SELECT ... FOR UPDATE SKIP LOCKED` and commits the attempt (attempts + 1, next attempt after the
backoff) before any network call; only then does it send, and it records the result with a second
short write. No transaction is held open over the network, and no other worker takes a claimed row.
A worker that dies between the provider's acceptance and that record leaves the row looking like a
failed attempt, sent again after the backoff: across crashes this is at least once (a rare duplicate
SMS), never a lost message; `NOTIFICATION_MAX_ATTEMPTS` bounds the attempts. A sent row is never due
again. Verification codes are at most once: `verification_message_take` marks the message sent and
wipes its seed before the send, so a failed send means the citizen asks for a new code.

Nothing personal goes into `last_error`, the processing log or the application log: ids, channels and
the provider's status codes only (never a number, an address, or the text).
"""

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_app import transports
from channels_app.transports import TransportError
from contactcentre.interactions.models import Notification
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record
from contactcentre.registry.models import Address, Consent, DigitalAddress, Party, VerificationMessage
from contactcentre.registry.selectors import consent_is_granted
from contactcentre.registry.services import verification_message_take

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 3600
BACKOFF_JITTER = 0.2
PRINT_QUEUE_NOTE = "print queue"

_CONSENT_FOR = {
    Notification.Channel.SMS: Consent.Purpose.SMS_NOTIFICATIONS,
    Notification.Channel.EMAIL: Consent.Purpose.EMAIL_NOTIFICATIONS,
}
_DIGITAL_KIND_FOR = {
    Notification.Channel.SMS: DigitalAddress.Kind.PHONE,
    Notification.Channel.EMAIL: DigitalAddress.Kind.EMAIL,
}
_CHANNEL_FOR_VERIFICATION = {DigitalAddress.Kind.PHONE: transports.SMS, DigitalAddress.Kind.EMAIL: transports.EMAIL}


def backoff_delay(attempts: int) -> timedelta:
    """min(2**attempts * 30 s, 1 h), give or take 20% so retries after an outage do not come in step."""
    seconds = min(2**attempts * BACKOFF_BASE_SECONDS, BACKOFF_CAP_SECONDS)
    return timedelta(seconds=seconds * random.uniform(1 - BACKOFF_JITTER, 1 + BACKOFF_JITTER))  # noqa: S311 - jitter


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 8))


# --- notifications -------------------------------------------------------------------------------


def notifications_send_due(*, now: datetime | None = None, batch: int = 50) -> dict[str, int]:
    """Send the notifications that are due (pending, or failed and past their next attempt), at most
    `batch`; {"sent": n, "failed": n, "dead": n}. Safe to run in several workers at once and again."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "dead": 0}
    for notification in _notifications_claim(now=now, batch=batch):
        counts[_notification_deliver(notification)] += 1
    return counts


@transaction.atomic
def _notifications_claim(*, now: datetime, batch: int) -> list[Notification]:
    """Count the attempt and move the next one past the backoff, committed before anything is sent:
    a row in the hands of one worker is not due for another, and a crash counts as a failed attempt."""
    due = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("party")
        .filter(status__in=[Notification.Status.PENDING, Notification.Status.FAILED], next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")[:batch]
    )
    claimed = list(due)
    for notification in claimed:
        notification.attempts += 1
        notification.next_attempt_at = now + backoff_delay(notification.attempts)
    Notification.objects.bulk_update(claimed, ["attempts", "next_attempt_at"])
    return claimed


def _notification_deliver(notification: Notification) -> str:
    channel, note = notification.channel, ""
    try:
        channel, recipient, note = _notification_route(notification)
        transports.send(
            channel=channel,
            recipient=recipient,
            subject=notification.subject,
            body=notification.body,
            reference=f"notification-{notification.pk}",
        )
    except TransportError as error:
        return _notification_failed(notification, channel=channel, reason=error.reason, permanent=error.permanent)
    except Exception as error:  # a bug in one message must not stop the batch; its text may hold data
        logger.error("notification %s: unexpected %s", notification.pk, type(error).__name__)
        return _notification_failed(
            notification, channel=channel, reason=f"unexpected: {type(error).__name__}", permanent=False
        )
    return _notification_sent(notification, channel=channel, note=note)


def _notification_route(notification: Notification) -> tuple[str, str, str]:
    """(channel, recipient, note). SMS and e-mail only with the consent still granted now and an
    address on file; otherwise the message goes as a letter (notification_channel_for's rule, asked
    again at the moment of sending). Raises a permanent TransportError when a letter has no address."""
    party, channel = notification.party, notification.channel
    if channel in _CONSENT_FOR:
        if not consent_is_granted(party=party, purpose=_CONSENT_FOR[channel]):
            return Notification.Channel.LETTER, _postal_address(party), f"{PRINT_QUEUE_NOTE} (no consent for {channel})"
        recipient = _digital_address(party, _DIGITAL_KIND_FOR[channel])
        if not recipient:
            return Notification.Channel.LETTER, _postal_address(party), f"{PRINT_QUEUE_NOTE} (no {channel} address)"
        return channel, recipient, ""
    if channel == Notification.Channel.LETTER:
        return channel, _postal_address(party), PRINT_QUEUE_NOTE
    return channel, "", ""


def _digital_address(party: Party, kind: str) -> str:
    rows = DigitalAddress.objects.filter(party=party, kind=kind).order_by("-is_default", "-verified_at", "id")
    return rows.values_list("value", flat=True).first() or ""


def _postal_address(party: Party) -> str:
    """The address block: the correspondence address where there is one, else the residential one."""
    addresses = {address.kind: address for address in Address.objects.filter(party=party)}
    address = addresses.get(Address.Kind.CORRESPONDENCE) or addresses.get(Address.Kind.RESIDENTIAL)
    if address is None:
        raise TransportError("letter: no postal address", permanent=True)
    lines = [
        party.display_name,
        f"{address.street} {address.house_number}{address.house_number_addition}",
        f"{address.postcode} {address.city}",
    ]
    if address.country != "NL":
        lines.append(address.country)
    return "\n".join(line for line in lines if line.strip())


@transaction.atomic
def _notification_sent(notification: Notification, *, channel: str, note: str) -> str:
    # Only this attempt's claim is recorded: an administrator's resend meanwhile starts afresh.
    Notification.objects.filter(pk=notification.pk, attempts=notification.attempts).exclude(
        status=Notification.Status.SENT
    ).update(status=Notification.Status.SENT, sent_at=timezone.now(), channel=channel, last_error=note)
    _log_send(notification.party_id, notification.pk, channel, ProcessingRecord.Outcome.SUCCESS)
    logger.info("notification %s sent by %s (attempt %s)", notification.pk, channel, notification.attempts)
    return "sent"


@transaction.atomic
def _notification_failed(notification: Notification, *, channel: str, reason: str, permanent: bool) -> str:
    dead = permanent or notification.attempts >= max_attempts()
    status = Notification.Status.DEAD if dead else Notification.Status.FAILED
    Notification.objects.filter(pk=notification.pk, attempts=notification.attempts).exclude(
        status=Notification.Status.SENT
    ).update(status=status, channel=channel, last_error=reason[:500])
    _log_send(notification.party_id, notification.pk, channel, ProcessingRecord.Outcome.ERROR)
    logger.warning(
        "notification %s not sent by %s (attempt %s, %s): %s",
        notification.pk,
        channel,
        notification.attempts,
        status,
        reason,
    )
    return str(status)


def _log_send(party_id: int, notification_id: int, channel: str, outcome: str) -> None:
    processing_log_record(
        actor=SYSTEM,
        action=ProcessingRecord.Action.EXPORT,
        object_type="notification",
        object_id=str(notification_id),
        party_ids=[party_id],
        purpose=Purpose.SYSTEM,
        purpose_reference=f"send:{channel}",
        outcome=outcome,
    )


# --- verification codes --------------------------------------------------------------------------


def verification_messages_send_due(*, batch: int = 50) -> dict[str, int]:
    """Send the verification codes waiting in the registry's outbox, each at most once;
    {"sent": n, "failed": n, "skipped": n} (skipped: taken by another worker, or no longer usable)."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    waiting = (
        VerificationMessage.objects.filter(sent_at__isnull=True)
        .exclude(code_seed="")
        .order_by("id")
        .values_list("pk", "challenge__party_id")[:batch]
    )
    for message_id, party_id in list(waiting):
        outgoing = verification_message_take(message_id=message_id)
        if outgoing is None:
            counts["skipped"] += 1
            continue
        channel = _CHANNEL_FOR_VERIFICATION.get(outgoing.channel, outgoing.channel)
        outcome = ProcessingRecord.Outcome.SUCCESS
        try:
            transports.send(
                channel=channel,
                recipient=outgoing.recipient,
                subject=_("Uw verificatiecode"),
                body=outgoing.text,
                reference=f"verification-{message_id}",
            )
        except TransportError as error:
            outcome = ProcessingRecord.Outcome.ERROR
            logger.warning("verification message %s not sent by %s: %s", message_id, channel, error.reason)
        counts["sent" if outcome == ProcessingRecord.Outcome.SUCCESS else "failed"] += 1
        processing_log_record(
            actor=SYSTEM,
            action=ProcessingRecord.Action.EXPORT,
            object_type="verification_message",
            object_id=str(message_id),
            party_ids=[party_id],
            purpose=Purpose.VERIFICATION,
            purpose_reference=f"send:{channel}",
            outcome=outcome,
        )
    return counts
