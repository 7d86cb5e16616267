"""The e-mail door's inbound services: one raw message in, one effect out, however often it arrives.

`email_intake` parses a message and then
- quarantines it with its reason when it cannot be read (kept byte for byte, once per SHA-256);
- answers "duplicate" for a Message-ID it already has (IMAP and push, a retried poll);
- records an automatic message (auto-reply, bounce, our own mail coming back, a list) as suppressed:
  kept in its thread if it has one, no contact moment, no work item, never answered;
- otherwise hands it to the first-line pipeline (`contact_open`, the sender's address as an identity
  claim at assurance "low", the Message-ID as the channel event), threads it, keeps its attachments
  within the limits, and puts a work item in the "email" queue (once per Message-ID).

Threading, first match wins, always within the threads of the sender's own address (a thread is a
conversation with one address, and replies go there; mail from another address about it opens its own
thread): In-Reply-To/References naming a message we have; our thread reference in the subject
("[CC-12-3f9a0b1c2d]", signed so it cannot be guessed); a case reference in the subject (that case's
thread, or a new thread on the case); else a new thread. Automatic mail joins whatever thread it names.
"""

import logging
import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from casemanagement.models import Case
from casemanagement.services import normalise_reference
from channels_app.email.models import EmailAttachment, EmailMessage, EmailThread, QuarantinedEmail
from channels_app.email.parse import ParsedAttachment, ParsedEmail, UnparseableEmail, email_parse, raw_sha256
from contactcentre.firstline.services import ClaimKind, IdentityClaim, contact_open
from contactcentre.interactions.models import Channel, WorkItem
from contactcentre.interactions.services import work_item_create
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record
from contactcentre.registry.assurance import AssuranceLevel

logger = logging.getLogger(__name__)

THREAD_TOKEN = re.compile(r"\[CC-(\d{1,12})-([0-9a-f]{10})\]")
_BRACKETED = re.compile(r"\[([A-Z0-9][A-Z0-9-]{3,39})\]", re.IGNORECASE)
MAX_THREAD_IDS = 50  # a References header names at most this many messages we look up
EMAIL_QUEUE = "email"
SOURCE_KEY_MAX = 200


class Outcome:
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    SUPPRESSED = "suppressed"
    QUARANTINED = "quarantined"


@dataclass
class IntakeResult:
    outcome: str
    message: EmailMessage | None = None
    quarantine: QuarantinedEmail | None = None
    created: bool = True


def own_addresses() -> frozenset[str]:
    return frozenset(address.lower() for address in [settings.EMAIL_INTAKE_ADDRESS, *settings.EMAIL_OWN_ADDRESSES])


def email_intake(*, raw: bytes, source: str) -> IntakeResult:
    """Take one raw message from a mailbox or a mail server. Never raises for what the message holds."""
    try:
        parsed = email_parse(raw, max_bytes=settings.EMAIL_MAX_MESSAGE_BYTES, own_addresses=own_addresses())
    except UnparseableEmail as error:
        return email_quarantine(raw=raw, reason=error.reason, detail=error.detail, source=source)
    except Exception as error:  # a parser bug on hostile input must not become a crash loop
        logger.warning("e-mail parser failed unexpectedly: %s", type(error).__name__)
        reason, detail = QuarantinedEmail.Reason.UNEXPECTED, type(error).__name__
        return email_quarantine(raw=raw, reason=reason, detail=detail, source=source)
    existing = EmailMessage.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        return IntakeResult(Outcome.DUPLICATE, message=existing, created=False)
    try:
        if parsed.auto_reply_reason:
            return _suppressed_record(parsed, source=source)
        return _inbound_record(parsed, source=source)
    except IntegrityError:  # the same Message-ID imported meanwhile by another worker
        existing = EmailMessage.objects.filter(message_id=parsed.message_id).first()
        if existing is None:
            raise
        return IntakeResult(Outcome.DUPLICATE, message=existing, created=False)
    except (OperationalError, InterfaceError):  # the database is away: the poll or the push is tried again
        raise
    except Exception as error:  # what this message holds fails a rule or a bug: kept, not polled forever
        logger.error("e-mail could not be recorded: %s", type(error).__name__)
        reason, detail = QuarantinedEmail.Reason.UNEXPECTED, f"recording: {type(error).__name__}"
        return email_quarantine(raw=raw, reason=reason, detail=detail, source=source)


def email_quarantine(*, raw: bytes, reason: str, detail: str = "", source: str) -> IntakeResult:
    """Keep what could not be read, once per content (SHA-256); the reason names no content."""
    digest = raw_sha256(raw)
    existing = QuarantinedEmail.objects.filter(sha256=digest).first()
    if existing is not None:
        return IntakeResult(Outcome.QUARANTINED, quarantine=existing, created=False)
    quarantine = QuarantinedEmail(sha256=digest, reason=reason, detail=detail[:500], source=source, size=len(raw))
    quarantine.raw.save(f"{digest}.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            quarantine.save()
    except IntegrityError:
        quarantine.raw.delete(save=False)
        return IntakeResult(Outcome.QUARANTINED, quarantine=QuarantinedEmail.objects.get(sha256=digest), created=False)
    logger.warning("e-mail quarantined: %s (%s) #%s", reason, detail, quarantine.pk)
    return IntakeResult(Outcome.QUARANTINED, quarantine=quarantine)


def email_quarantine_resolve(*, quarantine_ids: list[int]) -> int:
    """Mark quarantined messages as handled by a person (kept: the hash still refuses a second import)."""
    return QuarantinedEmail.objects.filter(pk__in=quarantine_ids, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )


def work_item_source_key(message_id: str) -> str:
    """ "email:<Message-ID>"; a Message-ID too long for the key is named by its hash."""
    key = f"email:{message_id}"
    return key if len(key) <= SOURCE_KEY_MAX else f"email:sha256:{raw_sha256(message_id.encode())}"


def thread_token(thread: EmailThread) -> str:
    """The reference our replies carry in their subject; signed, so a thread cannot be joined by guessing."""
    return f"[CC-{thread.pk}-{_token_signature(thread.pk)}]"


def _token_signature(thread_id: int) -> str:
    return salted_hmac("channels_app.email.thread", str(thread_id)).hexdigest()[:10]


# --- recording ---------------------------------------------------------------------------------


@transaction.atomic
def _suppressed_record(parsed: ParsedEmail, *, source: str) -> IntakeResult:
    # A bounce or an out-of-office comes from another address than the citizen's: any sender may join.
    thread = _thread_by_message_ids(parsed, address=None) or _thread_by_token(parsed.subject, address=None)
    message = _message_create(parsed, thread=thread, source=source, status=EmailMessage.Status.SUPPRESSED)
    logger.info("e-mail %s suppressed: %s", message.pk, parsed.auto_reply_reason)
    return IntakeResult(Outcome.SUPPRESSED, message=message)


@transaction.atomic
def _inbound_record(parsed: ParsedEmail, *, source: str) -> IntakeResult:
    case, sender = None, parsed.from_address
    thread = _thread_by_message_ids(parsed, address=sender) or _thread_by_token(parsed.subject, address=sender)
    if thread is None:
        case = _case_named_in(parsed.subject)
        if case is not None:
            same_sender = EmailThread.objects.filter(case=case, address=sender)
            thread = same_sender.order_by("-created_at", "-id").first()
    offer = contact_open(
        channel=Channel.EMAIL,
        actor=SYSTEM,
        identity_claim=IdentityClaim(kind=ClaimKind.EMAIL, value=parsed.from_address),
        assurance=AssuranceLevel.LOW,
        text=parsed.reply_text,
        external_id=parsed.message_id,
    )
    follow_up = thread is not None
    if thread is None:
        thread = EmailThread.objects.create(
            subject=parsed.subject, address=parsed.from_address, party=offer.party, case=case
        )
    elif thread.party_id is None and offer.party is not None:
        thread.party = offer.party
        thread.save(update_fields=["party"])
    message = _message_create(
        parsed, thread=thread, source=source, status=EmailMessage.Status.IMPORTED, contact=offer.contact
    )
    _attachments_keep(message, parsed.attachments)
    work_item_create(
        queue_code=EMAIL_QUEUE,
        kind=WorkItem.Kind.EMAIL,
        # Says what kind of work it is, never what the citizen wrote: queues and boards show titles widely.
        title=_("Reactie per e-mail") if follow_up else _("Vraag per e-mail"),
        contact_moment=offer.contact,
        party=offer.party,
        source_key=work_item_source_key(parsed.message_id),
    )
    if offer.party is not None:
        processing_log_record(
            actor=SYSTEM,
            action=ProcessingRecord.Action.CREATE,
            object_type="email_message",
            object_id=str(message.pk),
            party_ids=[offer.party.pk],
            purpose=Purpose.CONTACT,
            purpose_reference=str(offer.contact.pk),
        )
    return IntakeResult(Outcome.IMPORTED, message=message)


def _message_create(parsed: ParsedEmail, *, thread, source: str, status: str, contact=None) -> EmailMessage:
    return EmailMessage.objects.create(
        thread=thread,
        direction=EmailMessage.Direction.INBOUND,
        status=status,
        suppressed_reason=parsed.auto_reply_reason,
        source=source,
        message_id=parsed.message_id,
        in_reply_to=" ".join(parsed.in_reply_to)[:255],
        references=" ".join(parsed.references),
        from_address=parsed.from_address,
        to_addresses=", ".join(parsed.to),
        subject=parsed.subject,
        sent_at=parsed.date,
        body_text=parsed.text,
        reply_text=parsed.reply_text,
        raw_sha256=parsed.sha256,
        contact_moment=contact,
    )


def _attachments_keep(message: EmailMessage, attachments: list[ParsedAttachment]) -> None:
    """Kept when within the count and size limits and of an allowed type as sniffed from the content;
    the others are listed with the reason, without their content."""
    allowed = set(settings.EMAIL_ATTACHMENT_TYPES)
    for index, attachment in enumerate(attachments):
        sniffed = filetype.guess_mime(attachment.content) or ""
        row = EmailAttachment(
            message=message,
            filename=attachment.filename,
            declared_type=attachment.declared_type,
            content_type=sniffed,
            size=len(attachment.content),
            sha256=raw_sha256(attachment.content),
        )
        if index >= settings.EMAIL_ATTACHMENTS_MAX_COUNT:
            row.refused_reason = "too_many"
        elif row.size > settings.EMAIL_ATTACHMENT_MAX_BYTES:
            row.refused_reason = "too_large"
        elif sniffed not in allowed:
            row.refused_reason = "type_not_allowed"
        else:
            # Stored under its hash, never under the sender's name (no paths, no executable extensions).
            extension = filetype.get_type(mime=sniffed).extension
            row.file.save(f"{row.sha256}.{extension}", ContentFile(attachment.content), save=False)
        row.save()


# --- threading ---------------------------------------------------------------------------------


def _thread_by_message_ids(parsed: ParsedEmail, *, address: str | None) -> EmailThread | None:
    ids = parsed.thread_ids[:MAX_THREAD_IDS]
    if not ids:
        return None
    rows = EmailMessage.objects.filter(message_id__in=ids, thread__isnull=False)
    if address is not None:
        rows = rows.filter(thread__address=address)
    found = dict(rows.values_list("message_id", "thread_id"))
    for message_id in ids:  # nearest ancestor first
        if message_id in found:
            return EmailThread.objects.get(pk=found[message_id])
    return None


def _thread_by_token(subject: str, *, address: str | None) -> EmailThread | None:
    for thread_id, signature in THREAD_TOKEN.findall(subject):
        if constant_time_compare(signature, _token_signature(int(thread_id))):
            thread = EmailThread.objects.filter(pk=int(thread_id), **({"address": address} if address else {})).first()
            if thread is not None:
                return thread
    return None


def _case_named_in(subject: str) -> Case | None:
    """The one case whose reference the subject names (references are unique per organisation only:
    a reference two organisations share threads nothing)."""
    pattern = re.compile(settings.EMAIL_CASE_REFERENCE_PATTERN, re.IGNORECASE)
    found = [match.group(1) for match in pattern.finditer(subject)] + _BRACKETED.findall(subject)
    candidates = {normalise_reference(reference) for reference in found}
    if not candidates:
        return None
    cases = list(Case.objects.filter(reference__in=candidates)[:2])
    return cases[0] if len(cases) == 1 else None
