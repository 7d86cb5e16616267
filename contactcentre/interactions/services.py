"""Writes for contacts: record a contact moment (once per channel event), its outcome and end, and
callback requests. Every write about a person writes a processing-log record."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contactcentre import realtime
from contactcentre.errors import AccessDenied, Conflict, NotFound, RuleViolation, ValidationFailed
from contactcentre.interactions.models import (
    CallbackRequest,
    Channel,
    ContactMoment,
    IdentityDocument,
    Notification,
    WorkItem,
    WorkQueue,
)
from contactcentre.interactions.work_items import work_item_complete_for_source, work_item_create
from contactcentre.principal import SYSTEM, Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record
from contactcentre.registry.assurance import AssuranceLevel, assurance_capped
from contactcentre.registry.models import Consent, Party
from contactcentre.registry.selectors import consent_is_granted
from contactcentre.registry.validators import normalise_phone
from contactcentre.wakeups import task_wake_on_commit
from lifeevents.models import Article, LifeEvent

PURPOSE_CONTACT = Purpose.CONTACT
EXTERNAL_ID_MAX = 255


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(minutes=5)


def _check_moment(value: datetime | None, field: str) -> None:
    """Clock skew of a few minutes is fine; a moment in the future or last millennium is a mistake."""
    if value is not None and not (EARLIEST <= value <= timezone.now() + FUTURE_SLACK):
        raise ValidationFailed(field_errors={field: [_("Dit tijdstip is niet mogelijk.")]})


def _log(*, actor: Principal, action: str, object_type: str, object_id, party_id: int | None, contact_id=None) -> None:
    if party_id is None:
        return  # an anonymous contact holds no person's data
    processing_log_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        party_ids=[party_id],
        purpose=PURPOSE_CONTACT,
        purpose_reference=str(contact_id or ""),
    )


def _door_ceiling(actor: Principal) -> str:
    """The most identity assurance a contact can start with, by who records it: a citizen's DigiD
    session is its own level; staff and organisations recognise someone (low) and reach "high" only
    by checking an identity document at the counter (contact_identity_document_check); the system's
    own doors record what they verified themselves."""
    if actor.is_citizen:
        return actor.assurance
    if actor.is_system:
        return ""
    return AssuranceLevel.LOW


def _log_contact(*, actor: Principal, action: str, contact: ContactMoment) -> None:
    _log(
        actor=actor,
        action=action,
        object_type="contact_moment",
        object_id=contact.pk,
        party_id=contact.party_id,
        contact_id=contact.pk,
    )


def _board_tell(event: str, contact: ContactMoment) -> None:
    """The board's figures of the day move with every contact recorded or closed (after commit)."""
    data = {"contact_moment": contact.pk, "channel": contact.channel}
    if contact.outcome:
        data["outcome"] = contact.outcome
    realtime.publish(realtime.BOARD_GROUP, event, data)


def contact_moment_record(
    *,
    channel: str,
    actor: Principal,
    party: Party | None = None,
    direction: str = ContactMoment.Direction.INBOUND,
    identified_by: str = "",
    assurance: str = "",
    topic: str = "",
    question: str = "",
    answer: str = "",
    started_at: datetime | None = None,
    external_id: str = "",
    agent=None,
    desk: str = "",
    life_event=None,
    articles=(),
) -> tuple[ContactMoment, bool]:
    """Record a contact; returns (contact, created).

    With an `external_id` the same channel event (a CallSid, a Message-ID) gives the same contact,
    also when two deliveries race: the database's unique constraint decides, the loser reads the winner.
    """
    if channel not in Channel.values:
        raise ValidationFailed(field_errors={"channel": [_("Onbekend kanaal.")]})
    if direction not in ContactMoment.Direction.values:
        raise ValidationFailed(field_errors={"direction": [_("Onbekende richting.")]})
    if assurance and assurance not in AssuranceLevel.values:
        raise ValidationFailed(field_errors={"assurance": [_("Onbekend betrouwbaarheidsniveau.")]})
    _check_moment(started_at, "started_at")
    assurance = "" if party is None else assurance_capped(assurance, _door_ceiling(actor))
    external_id = (external_id or "").strip()
    if len(external_id) > EXTERNAL_ID_MAX:
        raise ValidationFailed(field_errors={"external_id": [_("Kenmerk is te lang.")]})
    if external_id:
        existing = ContactMoment.objects.filter(channel=channel, external_id=external_id).first()
        if existing is not None:
            return existing, False
    contact = ContactMoment(
        channel=channel,
        direction=direction,
        party=party,
        identified_by=identified_by if party is not None else "",
        assurance=assurance,
        topic=topic[:200],
        question=question,
        answer=answer,
        started_at=started_at or timezone.now(),
        external_id=external_id,
        agent=agent,
        desk=desk[:100],
        organisation_id=actor.organisation_id,
    )
    try:
        with transaction.atomic():
            contact.save()
            if life_event is not None or articles:
                _link_knowledge(contact, life_event=life_event, articles=articles)
            _log_contact(actor=actor, action=ProcessingRecord.Action.CREATE, contact=contact)
            _board_tell("contact.recorded", contact)
    except IntegrityError:
        if not external_id:
            raise
        existing = ContactMoment.objects.filter(channel=channel, external_id=external_id).first()
        if existing is None:  # pragma: no cover - the integrity error was about something else
            raise
        return existing, False
    return contact, True


CHECK_IDENTITY_DOCUMENT = "interactions.check_identity_document"
CLOSE_OTHERS_CONTACT = "interactions.close_others_contactmoment"


@transaction.atomic
def contact_identity_document_check(*, contact: ContactMoment, document: str, actor: Principal) -> ContactMoment:
    """The counter clerk handling an open counter visit has checked the visitor's identity document:
    the visit is now at assurance "high". The kind of document is recorded, never its number."""
    if document not in IdentityDocument.values:
        raise ValidationFailed(field_errors={"document": [_("Onbekend soort identiteitsbewijs.")]})
    if not actor.has_perm(CHECK_IDENTITY_DOCUMENT):
        raise AccessDenied(_("Alleen een baliemedewerker controleert een identiteitsbewijs."))
    contact = ContactMoment.objects.select_for_update().get(pk=contact.pk)
    if contact.channel != Channel.COUNTER or contact.agent_id != actor.user_id or contact.ended_at is not None:
        raise RuleViolation(
            _("Een identiteitsbewijs wordt gecontroleerd bij een lopend baliebezoek dat u zelf afhandelt."),
            code="identity_check_not_here",
        )
    if contact.party_id is None:
        raise RuleViolation(_("Stel eerst vast wie de bezoeker is."), code="identity_check_anonymous")
    contact.identity_document = document
    contact.identity_checked_at = timezone.now()
    contact.assurance = AssuranceLevel.HIGH
    contact.save(update_fields=["identity_document", "identity_checked_at", "assurance"])
    _log_contact(actor=actor, action=ProcessingRecord.Action.UPDATE, contact=contact)
    return contact


@transaction.atomic
def contact_moment_connect(*, contact: ContactMoment, agent, actor: Principal) -> ContactMoment:
    """A waiting contact (a queued call, a chat) is put through to this agent: it becomes theirs, and
    after commit their screens, and only theirs, pop it with the reference for the customer view (the
    contact itself is the purpose the console opens the person's data with)."""
    if not agent.is_active or not agent.has_perm("interactions.change_contactmoment"):
        raise ValidationFailed(field_errors={"agent": [_("Deze medewerker behandelt geen contacten.")]})
    contact = ContactMoment.objects.select_for_update().get(pk=contact.pk)
    if contact.ended_at is not None:
        raise RuleViolation(_("Dit contactmoment is al afgesloten."), code="contact_closed")
    if contact.agent_id not in (None, agent.pk):
        raise Conflict(_("Dit contact is al doorverbonden met een ander."), code="contact_taken")
    if contact.agent_id is None:
        contact.agent = agent
        contact.save(update_fields=["agent"])
        _log_contact(actor=actor, action=ProcessingRecord.Action.UPDATE, contact=contact)
    pop = {"contact_moment": contact.pk, "channel": contact.channel, "party": contact.party_id}
    realtime.publish(realtime.agent_group(agent.pk), "contact.connected", pop)
    realtime.publish(realtime.BOARD_GROUP, "contact.connected", {"contact_moment": contact.pk, "agent": agent.pk})
    return contact


@transaction.atomic
def contact_moment_identify(
    *, contact: ContactMoment, party: Party, identified_by: str, actor: Principal
) -> ContactMoment:
    """The person of an anonymous contact, found by who handles it: the contact becomes theirs, at the
    assurance a recognition gives (low). The search that found them is the caller's to log."""
    if identified_by not in ContactMoment.IdentifiedBy.values or not identified_by:
        raise ValidationFailed(field_errors={"identified_by": [_("Onbekende manier van identificeren.")]})
    contact = ContactMoment.objects.select_for_update().get(pk=contact.pk)
    if contact.agent_id not in (None, actor.user_id):
        raise AccessDenied(_("Alleen wie dit contact afhandelt, stelt vast wie het is."))
    if contact.ended_at is not None:
        raise RuleViolation(_("Dit contactmoment is al afgesloten."), code="contact_closed")
    if contact.party_id is not None:
        raise Conflict(_("Van dit contact is al vastgesteld wie het is."), code="contact_identified")
    contact.party = party
    contact.identified_by = identified_by
    contact.assurance = assurance_capped(AssuranceLevel.LOW, _door_ceiling(actor))
    contact.save(update_fields=["party", "identified_by", "assurance"])
    _log_contact(actor=actor, action=ProcessingRecord.Action.UPDATE, contact=contact)
    return contact


def _link_knowledge(contact: ContactMoment, *, life_event=None, articles=()) -> None:
    """The life event the contact was about and the articles used to answer it."""
    if life_event is not None and contact.life_event_id != life_event.pk:
        contact.life_event = life_event
        contact.save(update_fields=["life_event"])
    if articles:
        contact.articles.add(*articles)


@transaction.atomic
def contact_moment_knowledge_link(
    *, contact_id: int, actor: Principal, life_event_id: int | None = None, article_ids=()
) -> ContactMoment | None:
    """The life event and articles a door without an agent (the phone menu) answered a contact with,
    recorded after the door has spoken, whether the contact is open or closed by now. Safe to repeat;
    a contact purged meanwhile is None."""
    contact = ContactMoment.objects.select_for_update().filter(pk=contact_id).first()
    if contact is None:
        return None
    life_event = LifeEvent.objects.filter(pk=life_event_id).first() if life_event_id else None
    articles = list(Article.objects.filter(pk__in=article_ids)) if article_ids else []
    _link_knowledge(contact, life_event=life_event, articles=articles)
    _log_contact(actor=actor, action=ProcessingRecord.Action.UPDATE, contact=contact)
    return contact


@transaction.atomic
def contact_moment_close(
    *,
    contact: ContactMoment,
    outcome: str,
    actor: Principal,
    answer: str | None = None,
    topic: str | None = None,
    ended_at: datetime | None = None,
    life_event=None,
    articles=(),
) -> ContactMoment:
    """Record the outcome and the end of a contact, by who handles it (or a supervisor). A contact is
    closed once."""
    contact = ContactMoment.objects.select_for_update().get(pk=contact.pk)
    others = actor.is_staff and contact.agent_id not in (None, actor.user_id)
    if others and not actor.has_perm(CLOSE_OTHERS_CONTACT):
        raise AccessDenied(_("Alleen wie dit contact afhandelt, of een teamleider, sluit het af."))
    if contact.ended_at is not None:
        raise RuleViolation(_("Dit contactmoment is al afgesloten."), code="contact_closed")
    if outcome not in ContactMoment.Outcome.values:
        raise ValidationFailed(field_errors={"outcome": [_("Onbekend resultaat.")]})
    ended_at = ended_at or timezone.now()
    _check_moment(ended_at, "ended_at")
    if ended_at < contact.started_at:
        raise ValidationFailed(field_errors={"ended_at": [_("Het einde ligt voor het begin.")]})
    contact.outcome = outcome
    contact.ended_at = ended_at
    fields = ["outcome", "ended_at"]
    if answer is not None:
        contact.answer = answer
        fields.append("answer")
    if topic is not None:
        contact.topic = topic[:200]
        fields.append("topic")
    contact.save(update_fields=fields)
    if life_event is not None or articles:
        _link_knowledge(contact, life_event=life_event, articles=articles)
    _log_contact(actor=actor, action=ProcessingRecord.Action.UPDATE, contact=contact)
    _board_tell("contact.closed", contact)
    return contact


def normalise_phone_number(value: str) -> str:
    """E.164, Dutch numbers may be written nationally (06 ...)."""
    try:
        return normalise_phone(value)
    except ValidationError as exc:
        raise ValidationFailed(field_errors={"phone_number": exc.messages}) from None


@transaction.atomic
def callback_request_create(
    *,
    queue: WorkQueue,
    phone_number: str,
    question: str,
    actor: Principal,
    party: Party | None = None,
    contact_moment: ContactMoment | None = None,
    call_after: datetime | None = None,
    call_before: datetime | None = None,
) -> CallbackRequest:
    """Ask a team to call someone back. The originating contact is closed as "callback requested".
    A citizen asks only for themself."""
    if actor.is_citizen and (party is None or party.pk != actor.party_id):
        raise AccessDenied(_("U vraagt alleen voor uzelf een terugbelverzoek aan."))
    if not queue.is_active:
        raise RuleViolation(_("Deze werkbak is niet actief."))
    if not question.strip():
        raise ValidationFailed(field_errors={"question": [_("Geef de vraag op.")]})
    call_after = call_after or timezone.now()
    if not (EARLIEST <= call_after <= timezone.now() + timedelta(days=365)):
        raise ValidationFailed(field_errors={"call_after": [_("Dit tijdstip is niet mogelijk.")]})
    if call_before is not None and call_before <= call_after:
        raise ValidationFailed(field_errors={"call_before": [_("Moet na 'bellen vanaf' liggen.")]})
    if contact_moment is not None:
        if party is None:
            party = contact_moment.party
        elif contact_moment.party_id not in (None, party.pk):
            raise ValidationFailed(field_errors={"contact_moment": [_("Hoort bij een andere partij.")]})
    callback = CallbackRequest.objects.create(
        queue=queue,
        phone_number=normalise_phone_number(phone_number),
        question=question.strip(),
        party=party,
        contact_moment=contact_moment,
        call_after=call_after,
        call_before=call_before,
        requested_by=actor.user,
    )
    if contact_moment is not None and contact_moment.ended_at is None:
        contact_moment_close(contact=contact_moment, outcome=ContactMoment.Outcome.CALLBACK_REQUESTED, actor=actor)
    work_item_create(
        queue_code=queue.code,
        kind=WorkItem.Kind.CALLBACK,
        title=question.strip(),
        contact_moment=contact_moment,
        party=party,
        source_key=f"callback:{callback.pk}",
        due_at=call_before,
    )
    _log(
        actor=actor,
        action=ProcessingRecord.Action.CREATE,
        object_type="callback_request",
        object_id=callback.pk,
        party_id=callback.party_id,
        contact_id=contact_moment.pk if contact_moment else None,
    )
    return callback


_TRANSITIONS = {
    CallbackRequest.Status.OPEN: {
        CallbackRequest.Status.IN_PROGRESS,
        CallbackRequest.Status.DONE,
        CallbackRequest.Status.FAILED,
        CallbackRequest.Status.CANCELLED,
    },
    CallbackRequest.Status.IN_PROGRESS: {
        CallbackRequest.Status.OPEN,
        CallbackRequest.Status.DONE,
        CallbackRequest.Status.FAILED,
        CallbackRequest.Status.CANCELLED,
    },
}


@transaction.atomic
def callback_request_update(
    *, callback: CallbackRequest, status: str, actor: Principal, result: str = "", assigned_to=None
) -> CallbackRequest:
    """Take a callback (in progress, assigned to the caller), or finish it (done, failed, cancelled).
    A citizen may only cancel their own callback, and only while nobody has taken it yet."""
    callback = CallbackRequest.objects.select_for_update().get(pk=callback.pk)
    if actor.is_citizen:
        if callback.party_id != actor.party_id:
            raise NotFound(_("Terugbelverzoek niet gevonden."))
        if status != CallbackRequest.Status.CANCELLED:
            raise AccessDenied(_("U kunt een terugbelverzoek alleen annuleren."))
        if callback.status == CallbackRequest.Status.IN_PROGRESS:
            raise RuleViolation(
                _("Een medewerker is al met dit terugbelverzoek bezig; annuleren kan niet meer."),
                code="callback_taken",
            )
    if status not in _TRANSITIONS.get(callback.status, set()):
        raise RuleViolation(_("Deze statuswijziging is niet toegestaan."), code="invalid_transition")
    callback.status = status
    fields = ["status"]
    if status == CallbackRequest.Status.IN_PROGRESS:
        callback.assigned_to = assigned_to or actor.user
        fields.append("assigned_to")
    if status in (CallbackRequest.Status.DONE, CallbackRequest.Status.FAILED, CallbackRequest.Status.CANCELLED):
        callback.completed_at = timezone.now()
        callback.result = result[:500]
        fields += ["completed_at", "result"]
        work_item_complete_for_source(source_key=f"callback:{callback.pk}", outcome=callback.get_status_display())
    callback.save(update_fields=fields)
    _log(
        actor=actor,
        action=ProcessingRecord.Action.UPDATE,
        object_type="callback_request",
        object_id=callback.pk,
        party_id=callback.party_id,
        contact_id=callback.contact_moment_id,
    )
    return callback


@transaction.atomic
def work_queue_ensure(*, code: str, name: str, description: str = "") -> WorkQueue:
    queue, _created = WorkQueue.objects.get_or_create(code=code, defaults={"name": name, "description": description})
    return queue


def work_queue_get(*, code: str) -> WorkQueue:
    queue = WorkQueue.objects.filter(code=code).first()
    if queue is None:
        raise NotFound(_("Werkbak niet gevonden."))
    return queue


PURGE_BATCH = 1000


def _held_by(error: ProtectedError) -> set[int]:
    """The contact moments that records of a higher layer (an escalation) still need: they go when
    those records go, under those records' own retention."""
    return {
        getattr(record, field.attname)
        for record in error.protected_objects
        for field in record._meta.concrete_fields
        if field.is_relation and field.related_model is ContactMoment
    }


def contact_moments_purge(*, now: datetime | None = None) -> int:
    """Delete contact moments older than CONTACT_MOMENT_RETENTION_DAYS, in batches, and log the
    deletion once per person per batch (purpose: system task). A contact that a protecting record
    still needs (an open or kept escalation) stays. A second run finds nothing."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CONTACT_MOMENT_RETENTION_DAYS)
    deleted, kept = 0, set()
    while True:
        batch = list(
            ContactMoment.objects.filter(started_at__lt=cutoff)
            .exclude(pk__in=kept)
            .values_list("pk", "party_id")[:PURGE_BATCH]
        )
        if not batch:
            return deleted
        try:
            with transaction.atomic():
                ContactMoment.objects.filter(pk__in=[pk for pk, _ in batch]).delete()
                processing_log_record(
                    actor=SYSTEM,
                    action=ProcessingRecord.Action.DELETE,
                    object_type="contact_moment",
                    party_ids=[party_id for _, party_id in batch if party_id is not None],
                    purpose=Purpose.SYSTEM,
                    purpose_reference="retention",
                )
        except ProtectedError as error:
            kept |= _held_by(error)  # try the batch again without them
            continue
        deleted += len(batch)


_CHANNEL_CONSENT = {
    Notification.Channel.SMS: Consent.Purpose.SMS_NOTIFICATIONS,
    Notification.Channel.EMAIL: Consent.Purpose.EMAIL_NOTIFICATIONS,
}


def notification_channel_for(*, party: Party) -> str:
    """The party's preferred channel when it can carry a message (SMS and e-mail only with the
    consent for it, asked at this moment so a withdrawal counts at once); otherwise a letter."""
    preferred = party.preferred_channel
    if preferred == Notification.Channel.PORTAL:
        return preferred
    purpose = _CHANNEL_CONSENT.get(preferred)
    if purpose is not None and consent_is_granted(party=party, purpose=purpose):
        return preferred
    return Notification.Channel.LETTER


def citizen_language(party: Party | None):
    """Write what goes to a person in their preferred language (the portal sets it; default Dutch):
    `with citizen_language(party): notification_enqueue(subject=_(...), ...)`."""
    return translation.override((party.preferred_language if party else "") or settings.LANGUAGE_CODE)


def notification_enqueue(
    *,
    party: Party,
    subject: str,
    body: str,
    dedupe_key: str,
    purpose: str,
    purpose_reference: str,
    channel: str | None = None,
) -> tuple[Notification, bool]:
    """Write a message to the outbox inside the caller's transaction; (notification, created).
    The same dedupe key gives the existing message. A new one wakes the sender after commit (the
    sweep sends it should that wake-up be lost). Without a `channel` it goes on the party's preferred
    one; an answer names the channel the question came in on. Either way the sender asks for the
    consent and the address again when it sends (SMS and e-mail), and falls back to a letter."""
    if channel is not None and channel not in Notification.Channel.values:
        raise ValidationFailed(field_errors={"channel": [_("Onbekend kanaal.")]})
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing, False
    notification = Notification.objects.create(
        party=party,
        channel=channel or notification_channel_for(party=party),
        subject=subject[:200],
        body=body,
        dedupe_key=dedupe_key,
    )
    processing_log_record(
        actor=SYSTEM,
        action=ProcessingRecord.Action.CREATE,
        object_type="notification",
        object_id=str(notification.pk),
        party_ids=[party.pk],
        purpose=purpose,
        purpose_reference=purpose_reference,
    )
    task_wake_on_commit(settings.NOTIFICATION_SENDER_TASK)
    return notification, True


def notifications_resend(*, ids: list[int]) -> int:
    """Put failed or given-up messages back in the queue (an administrator's decision)."""
    return Notification.objects.filter(
        pk__in=ids, status__in=[Notification.Status.FAILED, Notification.Status.DEAD]
    ).update(status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
