"""Writes of the phone menu. A call opens its contact through the first line (once per CallSid), the
caller recognised by number at assurance "low"; what the menu gives them is kept on the call and
becomes the contact's outcome when Twilio reports the end. Slow work (the knowledge links of what was
read out) goes to Celery after commit; board events carry ids only."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casemanagement.selectors import case_by_reference
from channels_app.models import VoiceCall
from contactcentre import realtime
from contactcentre.firstline.services import ClaimKind, IdentityClaim, contact_open
from contactcentre.interactions.models import CallbackRequest, Channel, ContactMoment
from contactcentre.interactions.services import (
    callback_request_create,
    contact_moment_close,
    contact_moment_connect,
    work_queue_get,
)
from contactcentre.principal import SYSTEM
from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.validators import normalise_phone
from lifeevents.models import LifeEvent
from lifeevents.selectors import SearchHit

logger = logging.getLogger(__name__)

# Twilio's final call statuses; the others (queued, ringing, in-progress) change nothing here.
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


def caller_number(value: str) -> str | None:
    """The caller's number in E.164, or None (withheld, "anonymous", a Twilio Client identity)."""
    try:
        return normalise_phone(value or "")
    except ValidationError:
        return None


@transaction.atomic
def voice_call_start(*, call_sid: str, caller: str) -> tuple[VoiceCall, bool]:
    """Open the contact of an incoming call through the first line; the same CallSid (Twilio retrying
    the webhook) answers the call opened the first time and changes nothing. One transaction: the
    contact, its log records and the call are one commit (one WAL flush), or none of them."""
    number = caller_number(caller)
    claim = IdentityClaim(kind=ClaimKind.PHONE, value=number) if number else None
    offer = contact_open(
        channel=Channel.PHONE, actor=SYSTEM, identity_claim=claim, assurance=AssuranceLevel.LOW, external_id=call_sid
    )
    if offer.created:  # a new contact has no call yet: one INSERT on the hot path
        return VoiceCall.objects.create(call_sid=call_sid, contact=offer.contact), True
    return VoiceCall.objects.get_or_create(call_sid=call_sid, defaults={"contact": offer.contact})


def _after_commit_link(call: VoiceCall, hits: list[SearchHit]) -> None:
    from channels_app.tasks import voice_contact_knowledge_link

    voice_contact_knowledge_link.delay_on_commit(
        contact_id=call.contact_id,
        life_event_id=call.life_event_id,
        article_ids=[hit.article.pk for hit in hits],
    )


@transaction.atomic
def voice_answers_given(*, call: VoiceCall, life_event: LifeEvent, hits: list[SearchHit]) -> None:
    """The caller heard the answers of a life event: the call's outcome and skill; the contact's
    knowledge links are written by a task after commit."""
    call.life_event = life_event
    fields = ["life_event"]
    if hits:
        call.outcome = ContactMoment.Outcome.ANSWERED
        fields.append("outcome")
    call.save(update_fields=fields)
    _after_commit_link(call, hits)


def voice_case_status(*, call: VoiceCall, reference_digits: str, postcode_digits: str, caller: str) -> dict:
    """The status of a case for a caller who knows its reference and the four digits of the postcode:
    what the citizen may see (never personal details: the caller is only "low"), logged by the lookup
    with its purpose. Wrong answers count against the reference and the caller's number (the lookup's
    own lock-out); raises NotFound, RateLimited, ValidationFailed."""
    summary = case_by_reference(
        reference=settings.VOICE_CASE_REFERENCE_PREFIX + reference_digits,
        postcode_digits=postcode_digits,
        caller_key=f"phone:{caller_number(caller) or 'withheld'}",
        principal=SYSTEM,
        as_citizen=True,
    )
    VoiceCall.objects.filter(pk=call.pk).update(outcome=ContactMoment.Outcome.STATUS_GIVEN)
    return summary


@transaction.atomic
def voice_callback_request(*, call: VoiceCall, phone_number: str) -> CallbackRequest:
    """A callback request in the callback queue; it closes the contact as "callback requested". Once
    per call: Twilio retrying the step, or the caller confirming twice, answers the first request."""
    call = VoiceCall.objects.select_for_update(of=("self",)).select_related("contact", "life_event").get(pk=call.pk)
    existing = CallbackRequest.objects.filter(contact_moment_id=call.contact_id).first()
    if existing is not None:
        return existing
    question = _("Terugbelverzoek via het telefoonmenu")
    if call.life_event is not None:
        question = _("Terugbelverzoek via het telefoonmenu over: %(life_event)s") % {"life_event": call.life_event.name}
    callback = callback_request_create(
        queue=work_queue_get(code=settings.VOICE_CALLBACK_QUEUE),
        phone_number=phone_number,
        question=question,
        actor=SYSTEM,
        party=call.contact.party,
        contact_moment=call.contact,
    )
    call.outcome = ContactMoment.Outcome.CALLBACK_REQUESTED
    call.save(update_fields=["outcome"])
    return callback


@transaction.atomic
def voice_call_enqueue(*, call: VoiceCall, queue_code: str) -> VoiceCall:
    """The caller waits for an agent in this skill queue; the board hears of it after commit."""
    call.queue_code = queue_code
    call.enqueued_at = timezone.now()
    call.save(update_fields=["queue_code", "enqueued_at"])
    realtime.publish(realtime.BOARD_GROUP, "call.queued", {"contact_moment": call.contact_id, "queue": queue_code})
    return call


@transaction.atomic
def voice_call_connect(*, call_sid: str, agent_id: int) -> VoiceCall | None:
    """Twilio bridges a queued caller to the agent who dialled the queue: the contact becomes that
    agent's and pops on their screens (contact_moment_connect), the board hears of it. Twilio asking
    again for the same pair changes nothing more. None for a call this door never opened."""
    call = VoiceCall.objects.select_for_update().filter(call_sid=call_sid).first()
    agent = get_user_model().objects.filter(pk=agent_id).first()
    if call is None or agent is None:
        return None
    contact_moment_connect(contact=call.contact, agent=agent, actor=SYSTEM)
    if call.connected_at is None:
        call.connected_at, call.connected_to = timezone.now(), agent
        call.save(update_fields=["connected_at", "connected_to"])
        data = {"contact_moment": call.contact_id, "agent": agent.pk, "queue": call.queue_code}
        realtime.publish(realtime.BOARD_GROUP, "call.connected", data)
    return call


def _seconds(value) -> int | None:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds >= 0 else None


def voice_call_end(*, call_sid: str, call_status: str, duration) -> VoiceCall | None:
    """Twilio's status callback at the end of a call: its status and duration on the call, and on a
    contact the menu handled alone its outcome (what the menu gave, or abandoned) and its end (start
    plus the duration). A contact an agent took is theirs to close with their own outcome. Once per
    call: a repeated callback changes nothing. None when nothing changed."""
    if call_status not in FINAL_STATUSES:
        return None
    with transaction.atomic():
        call = (
            VoiceCall.objects.select_for_update(of=("self",))
            .select_related("contact")
            .filter(call_sid=call_sid)
            .first()
        )
        if call is None or call.ended_at is not None:
            return None
        now = timezone.now()
        call.ended_at, call.call_status, call.duration_seconds = now, call_status, _seconds(duration)
        call.save(update_fields=["ended_at", "call_status", "duration_seconds"])
        contact = call.contact
        if contact.ended_at is None and contact.agent_id is None:
            answered = call_status == "completed" and call.outcome
            ended_at = now
            if call.duration_seconds is not None:
                ended_at = min(now, contact.started_at + timedelta(seconds=call.duration_seconds))
            contact_moment_close(
                contact=contact,
                outcome=call.outcome if answered else ContactMoment.Outcome.ABANDONED,
                actor=SYSTEM,
                ended_at=ended_at,
            )
        data = {"contact_moment": call.contact_id, "queue": call.queue_code, "status": call_status}
        realtime.publish(realtime.BOARD_GROUP, "call.ended", data)
    return call
