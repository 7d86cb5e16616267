"""Replies from the console that keep the thread.

`email_reply_send` answers an inbound message: a new Message-ID of our domain, In-Reply-To that
message, References its chain plus it, the subject with our signed thread reference, From the address
citizens write to and X-Loop naming it (so our own mail coming back is never handled as a question).
It records the outbound message and an outbound contact moment in the same transaction, and sends
after commit (`email_outbound_deliver`, from a task, retried while the mail server is unreachable).
"""

import logging
from email.utils import make_msgid

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from channels_app import transports
from channels_app.email.intake import THREAD_TOKEN, thread_token
from channels_app.email.models import EmailMessage
from channels_app.transports import TransportError
from contactcentre.errors import AccessDenied, RuleViolation, ValidationFailed
from contactcentre.interactions.models import Channel, ContactMoment
from contactcentre.interactions.services import contact_moment_record
from contactcentre.principal import SYSTEM, Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record, purpose_grant

logger = logging.getLogger(__name__)

REPLY = "channels_app.add_emailmessage"
REPLY_MAX_CHARS = 20_000
REFERENCES_KEPT = 20  # RFC 5322 lets a client trim the chain; the first and the nearest matter most


def email_reply_send(*, message: EmailMessage, actor: Principal, body: str) -> EmailMessage:
    """Answer the inbound `message` in its thread; returns the outbound message (pending until sent)."""
    if not actor.has_perm(REPLY):
        raise AccessDenied(_("U mag geen e-mail beantwoorden."))
    body = (body or "").strip()
    if not body or len(body) > REPLY_MAX_CHARS:
        raise ValidationFailed(field_errors={"body": [_("Schrijf een antwoord van hoogstens 20.000 tekens.")]})
    if message.direction != EmailMessage.Direction.INBOUND or message.status != EmailMessage.Status.IMPORTED:
        raise RuleViolation(_("Alleen een ontvangen vraag kan worden beantwoord."), code="email_not_answerable")
    thread = message.thread
    if thread.party_id is not None:  # before the transaction: a refusal's record must stay
        purpose_grant(
            principal=actor,
            purpose=Purpose.CONTACT,
            reference=str(message.contact_moment_id or ""),
            action=ProcessingRecord.Action.CREATE,
            object_type="email_message",
            party_ids=[thread.party_id],
        )
    with transaction.atomic():
        reply = _reply_record(message=message, actor=actor, body=body)
        transaction.on_commit(lambda: _deliver_later(reply.pk))
    return reply


def _reply_record(*, message: EmailMessage, actor: Principal, body: str) -> EmailMessage:
    thread = message.thread
    message_id = make_msgid(domain=settings.EMAIL_INTAKE_ADDRESS.rpartition("@")[2])
    references = [*message.references.split(), message.message_id][-REFERENCES_KEPT:]
    subject = _reply_subject(message.subject or thread.subject)
    if not THREAD_TOKEN.search(subject):
        subject = f"{subject} {thread_token(thread)}"
    contact, _created = contact_moment_record(
        channel=Channel.EMAIL,
        actor=actor,
        party=thread.party,
        direction=ContactMoment.Direction.OUTBOUND,
        identified_by=ContactMoment.IdentifiedBy.EMAIL if thread.party_id else "",
        topic=subject,
        answer=body,
        external_id=message_id,
        agent=actor.user,
    )
    reply = EmailMessage.objects.create(
        thread=thread,
        direction=EmailMessage.Direction.OUTBOUND,
        status=EmailMessage.Status.PENDING,
        source=EmailMessage.Source.CONSOLE,
        message_id=message_id,
        in_reply_to=message.message_id,
        references=" ".join(references),
        from_address=settings.EMAIL_INTAKE_ADDRESS,
        to_addresses=thread.address,
        subject=subject[:255],
        body_text=body,
        reply_text=body,
        contact_moment=contact,
        author=actor.user,
    )
    if thread.party_id is not None:
        processing_log_record(
            actor=actor,
            action=ProcessingRecord.Action.CREATE,
            object_type="email_message",
            object_id=str(reply.pk),
            party_ids=[thread.party_id],
            purpose=Purpose.CONTACT,
            purpose_reference=str(message.contact_moment_id or ""),
        )
    return reply


def _reply_subject(subject: str) -> str:
    subject = subject.strip()
    return subject if subject.lower().startswith(("re:", "antw:")) else f"Re: {subject}".strip()


def _deliver_later(reply_id: int) -> None:
    from channels_app.tasks import deliver_email_reply  # the tasks module imports the door's services

    deliver_email_reply.delay(reply_id)


def email_outbound_deliver(*, reply_id: int) -> str:
    """Send one pending reply; "sent", "failed" (refused for good), "retry" (try again later) or
    "skipped" (not pending). At least once: a crash after the send sends it again under the same
    Message-ID, which mail clients show once; a sent reply is never sent again."""
    reply = (
        EmailMessage.objects.select_related("thread")
        .filter(pk=reply_id, direction=EmailMessage.Direction.OUTBOUND, status=EmailMessage.Status.PENDING)
        .first()
    )
    if reply is None:
        return "skipped"
    headers = {
        "Message-ID": reply.message_id,
        "In-Reply-To": reply.in_reply_to,
        "References": reply.references,
        "X-Loop": settings.EMAIL_INTAKE_ADDRESS,
    }
    try:
        transports.send_email(
            recipient=reply.to_addresses,
            subject=reply.subject,
            body=reply.body_text,
            reference=f"email-{reply.pk}",
            sender=settings.EMAIL_INTAKE_ADDRESS,
            headers=headers,
        )
    except TransportError as error:
        status = EmailMessage.Status.FAILED if error.permanent else EmailMessage.Status.PENDING
        EmailMessage.objects.filter(pk=reply.pk, status=EmailMessage.Status.PENDING).update(
            status=status, last_error=error.reason[:200]
        )
        logger.warning("e-mail reply %s not sent: %s", reply.pk, error.reason)
        return "failed" if error.permanent else "retry"
    EmailMessage.objects.filter(pk=reply.pk, status=EmailMessage.Status.PENDING).update(
        status=EmailMessage.Status.SENT, last_error=""
    )
    if reply.thread.party_id is not None:
        processing_log_record(
            actor=SYSTEM,
            action=ProcessingRecord.Action.EXPORT,
            object_type="email_message",
            object_id=str(reply.pk),
            party_ids=[reply.thread.party_id],
            purpose=Purpose.CONTACT,
            purpose_reference=str(reply.contact_moment_id or ""),
        )
    return "sent"
