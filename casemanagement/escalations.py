"""Writes for escalations to the second line: create one from a contact (routed by the rules, its
attachments and its delivery written to the outbox in the same transaction), add attachments while
it is open, move it through its states with a timeline,
tell the citizen the outcome, send a refused base-data change on to its source organisation, and
complete first-line-capable case types at the first line without one.

Reads for the second line's API live in casemanagement/selectors.py; delivery in
casemanagement/delivery.py.
"""

import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casemanagement.attachments import (
    attachments_check,
    attachments_count_check,
    attachments_store,
    files_removed_unless_committed,
)
from casemanagement.deadlines import escalation_supervision_close
from casemanagement.delivery import delivery_hand_over
from casemanagement.models import (
    Case,
    CaseType,
    Escalation,
    EscalationAttachment,
    EscalationDelivery,
    EscalationEvent,
    SecondLineEndpoint,
    StatusType,
)
from casemanagement.routing import Route, deadlines_for, route_find, routing_context_for
from casemanagement.routing_configuration import routing_configuration_pinned
from casemanagement.services import case_open, case_status_record
from casemanagement.tasks import relay_escalation_deliveries
from contactcentre.errors import Conflict, NotFound, RuleViolation, ValidationFailed
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.services import citizen_language, notification_enqueue
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record, purpose_grant
from contactcentre.registry.models import DataSourceRule, Organisation
from contactcentre.wakeups import task_wake
from lifeevents.models import Article

State = Escalation.State
# Which state may follow which; the second line's own moves and the relay's "delivered".
TRANSITIONS = {
    State.NEW: {State.DELIVERED, State.ACCEPTED, State.RETURNED, State.FORWARDED},
    State.DELIVERED: {State.ACCEPTED, State.IN_PROGRESS, State.RETURNED, State.FORWARDED},
    State.ACCEPTED: {State.IN_PROGRESS, State.RESOLVED, State.RETURNED, State.FORWARDED},
    State.IN_PROGRESS: {State.RESOLVED, State.RETURNED, State.FORWARDED},
}
SOURCE_FIRST_RESPONSE = timedelta(hours=8)
SOURCE_RESOLUTION_DAYS = 10


def _actor_label(actor: Principal) -> str:
    if actor.is_staff:
        return actor.user.get_username()
    if actor.is_organisation:  # its system or one of its case workers
        return f"{actor.name} ({actor.organisation_code})"
    return "systeem"


def _new_reference() -> str:
    return f"D{timezone.localdate():%y}{secrets.randbelow(10**8):08d}"


def _contact_in_hand(contact: ContactMoment, actor: Principal) -> None:
    """Only who handles the contact sends it on (the purpose is that contact); logs a refusal."""
    purpose_grant(
        principal=actor,
        purpose=Purpose.CONTACT,
        reference=str(contact.pk),
        action=ProcessingRecord.Action.CREATE,
        object_type="escalation",
        party_ids=[contact.party_id] if contact.party_id else [],
    )


def escalation_route_preview(
    *,
    contact: ContactMoment,
    actor: Principal,
    question: str,
    life_event_id: int | None = None,
    case_type: CaseType | None = None,
    articles: Sequence[Article] = (),
    attribute: str = "",
) -> Route:
    """Where an escalation of this contact would go, and why, before it is sent: the routing decision
    with its deadlines. Writes nothing (a refusal's record only); only for who handles the contact."""
    purpose_grant(
        principal=actor,
        purpose=Purpose.CONTACT,
        reference=str(contact.pk),
        action=ProcessingRecord.Action.READ,
        object_type="routing_preview",
        party_ids=[contact.party_id] if contact.party_id else [],
        object_id=str(contact.party_id or ""),
    )
    return route_find(
        routing_context_for(
            question=question,
            channel=contact.channel,
            party_id=contact.party_id,
            life_event_id=life_event_id or contact.life_event_id,
            case_type=case_type,
            article_ids=[article.pk for article in articles],
            attribute=attribute,
        )
    )


def escalation_create(
    *,
    contact: ContactMoment,
    actor: Principal,
    question: str,
    context: str = "",
    articles: list[Article] = (),
    share_history: bool = False,
    case_type: CaseType | None = None,
    route: Route | None = None,
    requested_attribute: str = "",
    requested_value=None,
    attachments: Sequence[File] = (),
) -> Escalation:
    """Route what the first line cannot resolve to the second line. The escalation, its first
    timeline entry, its attachments and its delivery row are written together; the relay is woken
    after commit. The purpose is checked first, so a refusal's record is kept; the attachments are
    checked before anything is written (casemanagement/attachments.py)."""
    if not question.strip():
        raise ValidationFailed(field_errors={"question": [_("Geef de vraag op.")]})
    _contact_in_hand(contact, actor)
    checked = attachments_check(attachments)
    # A drawn reference that is taken (1 in 10^8) rolls the whole write back and it is tried again with
    # another: no savepoint around every insert for a collision that hardly ever happens.
    for _attempt in range(5):
        reference = _new_reference()
        try:
            with files_removed_unless_committed() as written, transaction.atomic(), routing_configuration_pinned():
                escalation = _escalation_write(
                    reference=reference,
                    contact=contact,
                    actor=actor,
                    question=question,
                    context=context,
                    articles=articles,
                    share_history=share_history,
                    case_type=case_type,
                    route=route,
                    requested_attribute=requested_attribute,
                    requested_value=requested_value,
                )
                attachments_store(escalation=escalation, checked=checked, actor=actor, written=written)
                return escalation
        except IntegrityError:
            if not Escalation.objects.filter(reference=reference).exists():
                raise
    raise Conflict(_("Kon geen uniek kenmerk maken."))  # pragma: no cover - 5 collisions in 10^8 numbers


def escalation_attachments_add(
    *, escalation: Escalation, actor: Principal, files: Sequence[File]
) -> list[EscalationAttachment]:
    """The first line adds files to an escalation it sent, while the escalation is open: only who
    handles its contact (the purpose is that contact), within the limits over all its attachments.
    A timeline entry says so; an organisation that already has it reads them on the escalation."""
    if not files:
        raise ValidationFailed(field_errors={"files": [_("Voeg ten minste één bestand toe.")]})
    _contact_in_hand(escalation.contact_moment, actor)
    checked = attachments_check(files, already=escalation.attachments.count())
    with files_removed_unless_committed() as written, transaction.atomic():
        escalation = Escalation.objects.select_for_update(of=("self",)).get(pk=escalation.pk)
        if not escalation.is_open:
            raise RuleViolation(_("Deze doorverwijzing is al afgerond."), code="escalation_closed")
        attachments_count_check(already=escalation.attachments.count(), adding=len(checked))  # under the lock
        stored = attachments_store(escalation=escalation, checked=checked, actor=actor, written=written)
        names = ", ".join(attachment.original_name for attachment in stored)
        _event(escalation, escalation.state, actor, note=_("Bijlagen toegevoegd: %(names)s") % {"names": names})
        _log(actor=actor, action=ProcessingRecord.Action.UPDATE, escalation=escalation, purpose=Purpose.CONTACT)
    return stored


def _escalation_write(
    *,
    reference: str,
    contact: ContactMoment,
    actor: Principal,
    question: str,
    context: str,
    articles,
    share_history: bool,
    case_type: CaseType | None,
    route: Route | None,
    requested_attribute: str,
    requested_value,
) -> Escalation:
    route = route or route_find(
        routing_context_for(
            question=question,
            channel=contact.channel,
            party_id=contact.party_id,
            life_event_id=contact.life_event_id,
            case_type=case_type,
            article_ids=[article.pk for article in articles],
            attribute=requested_attribute,
        )
    )
    escalation = Escalation(
        reference=reference,
        contact_moment=contact,
        party_id=contact.party_id,
        organisation=route.organisation,
        queue=route.queue,
        priority=route.priority,
        rule=route.rule,
        routing_explanation=route.explanation,
        question=question.strip(),
        context=context.strip(),
        share_history=share_history,
        requested_attribute=requested_attribute,
        requested_value=requested_value,
        first_response_due=route.first_response_due,
        resolution_due=route.resolution_due,
    )
    escalation.save()
    if articles:
        escalation.articles_tried.set(articles)
    _event(escalation, State.NEW, actor, note=route.explanation)
    _deliver_to(escalation, route.organisation, first=True)
    _log(actor=actor, action=ProcessingRecord.Action.CREATE, escalation=escalation, purpose=Purpose.CONTACT)
    return escalation


def _event(escalation: Escalation, state: str, actor: Principal, note: str = "") -> None:
    EscalationEvent.objects.create(escalation=escalation, state=state, note=note, actor_label=_actor_label(actor))


def _deliver_to(escalation: Escalation, organisation: Organisation, *, first: bool = False) -> None:
    """An outbox row for this organisation (again pending if it had one before), handed over at once
    to the worklist, or to the relay after commit (only a webhook needs the relay). A new escalation's
    `first` row is inserted without looking for one."""
    if first:
        delivery = EscalationDelivery.objects.create(escalation=escalation, organisation=organisation)
    else:
        delivery, created = EscalationDelivery.objects.get_or_create(escalation=escalation, organisation=organisation)
        if not created:
            EscalationDelivery.objects.filter(pk=delivery.pk).update(
                status=EscalationDelivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
            )
    if delivery_hand_over(delivery):
        transaction.on_commit(_wake_relay)


def _wake_relay() -> None:
    """Best effort, once, no publish retries: the committed outbox row is the source of truth and the
    beat sweep delivers it if this wake-up is lost, so a broker that is down never fails the caller."""
    task_wake(relay_escalation_deliveries.name)


def _log(*, actor: Principal, action: str, escalation: Escalation, purpose: str) -> None:
    if escalation.party_id is None:
        return
    processing_log_record(
        actor=actor,
        action=action,
        object_type="escalation",
        object_id=str(escalation.pk),
        party_ids=[escalation.party_id],
        purpose=purpose,
        purpose_reference=escalation.reference,
    )


def _tell_citizen(escalation: Escalation, *, key: str, subject: str, body: str) -> None:
    if escalation.party is None:
        return
    notification_enqueue(
        party=escalation.party,
        subject=subject,
        body=body,
        dedupe_key=f"escalation-{key}:{escalation.pk}"[:100],
        purpose=Purpose.SECOND_LINE,
        purpose_reference=escalation.reference,
    )


@transaction.atomic
def escalation_transition(
    *,
    escalation: Escalation,
    to_state: str,
    actor: Principal,
    note: str = "",
    resolution_text: str = "",
    forward_to: Organisation | None = None,
) -> Escalation:
    """Move an escalation on. An organisation moves only its own escalations; the same move twice
    is one move (idempotent); a resolution is told to the citizen, and so is a forward (Awb 2:3)."""
    escalation = (
        Escalation.objects.select_for_update(of=("self",)).select_related("party", "organisation").get(pk=escalation.pk)
    )
    if actor.is_organisation and escalation.organisation_id != actor.organisation_id:
        raise NotFound(_("Doorverwijzing niet gevonden."))
    if escalation.state == to_state and to_state != State.FORWARDED:
        return escalation  # a retried request: already done
    if to_state not in TRANSITIONS.get(escalation.state, set()):
        raise RuleViolation(_("Deze statuswijziging is niet toegestaan."), code="invalid_transition")
    if to_state == State.RESOLVED:
        if not resolution_text.strip():
            raise ValidationFailed(field_errors={"resolution_text": [_("Geef de uitkomst voor de burger.")]})
        escalation.resolution_text = resolution_text.strip()
        with citizen_language(escalation.party):
            _tell_citizen(
                escalation,
                key="resolved",
                subject=_("Uw vraag is afgehandeld"),
                body=_("Uw vraag met kenmerk %(reference)s is afgehandeld door %(organisation)s: %(text)s")
                % {
                    "reference": escalation.reference,
                    "organisation": escalation.organisation.name,
                    "text": resolution_text,
                },
            )
    if to_state == State.FORWARDED:
        return _forward(escalation, forward_to=forward_to, actor=actor, note=note)
    escalation.state = to_state
    escalation.save(update_fields=["state", "resolution_text", "updated_at"])
    if to_state not in Escalation.OPEN_STATES:
        escalation_supervision_close(escalation=escalation)
    _event(escalation, to_state, actor, note=note or resolution_text)
    _log(actor=actor, action=ProcessingRecord.Action.UPDATE, escalation=escalation, purpose=Purpose.SECOND_LINE)
    return escalation


def _forward(escalation: Escalation, *, forward_to: Organisation | None, actor: Principal, note: str) -> Escalation:
    """A clearly not competent organisation sends the question on to the competent one without delay
    and the sender is told (Awb 2:3): the escalation moves there, with new deadlines."""
    if forward_to is None or forward_to.pk == escalation.organisation_id:
        raise ValidationFailed(field_errors={"forward_to": [_("Kies een andere organisatie.")]})
    previous = escalation.organisation
    escalation.forwarded_to = forward_to
    escalation.organisation = forward_to
    escalation.state = State.NEW
    escalation.queue = ""
    escalation.first_response_due, escalation.resolution_due = deadlines_for(
        organisation=forward_to, first_response=SOURCE_FIRST_RESPONSE, resolution_days=SOURCE_RESOLUTION_DAYS
    )
    # New deadlines at the new organisation: the old ones' signals are done, new ones may come.
    escalation.near_breach_flagged_at = escalation.breach_flagged_at = None
    escalation.save()
    escalation_supervision_close(escalation=escalation)
    reason = note or _("Doorgestuurd van %(from)s naar %(to)s.") % {"from": previous.name, "to": forward_to.name}
    _event(escalation, State.FORWARDED, actor, note=reason)
    with citizen_language(escalation.party):
        _tell_citizen(
            escalation,
            key=f"forwarded-{forward_to.pk}",
            subject=_("Uw vraag is doorgestuurd"),
            body=_(
                "%(from)s heeft uw vraag met kenmerk %(reference)s doorgestuurd naar %(to)s, die haar verder behandelt."
            )
            % {"from": previous.name, "reference": escalation.reference, "to": forward_to.name},
        )
    _deliver_to(escalation, forward_to)
    _log(actor=actor, action=ProcessingRecord.Action.UPDATE, escalation=escalation, purpose=Purpose.SECOND_LINE)
    return escalation


def base_data_request_escalate(
    *, contact: ContactMoment, actor: Principal, attribute: str, value, reason: str = ""
) -> Escalation:
    """A base-data change the first line may not make, sent on in one call to the organisation that
    is the source of that datum, with the requested value."""
    rule = DataSourceRule.objects.select_related("source_organisation").filter(attribute=attribute).first()
    if rule is None or rule.source_organisation is None:
        raise RuleViolation(_("Voor dit gegeven is geen bronorganisatie bekend."), code="no_source_organisation")
    first_response_due, resolution_due = deadlines_for(
        organisation=rule.source_organisation,
        first_response=SOURCE_FIRST_RESPONSE,
        resolution_days=SOURCE_RESOLUTION_DAYS,
    )
    route = Route(
        rule=None,
        organisation=rule.source_organisation,
        queue="",
        priority="normal",
        explanation=_("Bronorganisatie van %(attribute)s: %(organisation)s.")
        % {"attribute": attribute, "organisation": rule.source_organisation.name},
        first_response_due=first_response_due,
        resolution_due=resolution_due,
    )
    question = _("Verzoek tot wijziging van %(attribute)s.") % {"attribute": attribute}
    return escalation_create(
        contact=contact,
        actor=actor,
        question=question,
        context=reason,
        route=route,
        requested_attribute=attribute,
        requested_value=value,
    )


def case_complete_at_first_line(
    *, case_type: CaseType, contact: ContactMoment, actor: Principal, explanation: str = ""
) -> Case:
    """Work that moved to the first line: a case type marked first-line capable is opened and brought
    to its final status in one go, without an escalation."""
    if not case_type.first_line_capable:
        raise RuleViolation(_("Dit zaaktype handelt de eerste lijn niet zelf af."), code="not_first_line_capable")
    if contact.party is None:
        raise RuleViolation(_("Stel eerst vast wie de klant is."), code="contact_anonymous")
    _contact_in_hand(contact, actor)
    final = StatusType.objects.filter(case_type=case_type, is_final=True).order_by("order").first()
    if final is None:
        raise RuleViolation(_("Dit zaaktype heeft geen eindstatus."))
    with transaction.atomic():
        case = case_open(case_type=case_type, party=contact.party, actor=actor, explanation=explanation)
        if case.status_id != final.pk:
            case_status_record(case=case, status_code=final.code, actor=actor, explanation=explanation)
            case.refresh_from_db()
    return case


def endpoint_of(organisation: Organisation) -> SecondLineEndpoint:
    """How the organisation receives escalations (the built-in worklist unless configured)."""
    endpoint = SecondLineEndpoint.objects.filter(organisation=organisation).first()
    return endpoint or SecondLineEndpoint(organisation=organisation)
