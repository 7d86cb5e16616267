"""Writes of the counter door: take a number at the kiosk, check in for an appointment, and the
clerk's call -> serve -> finish of a ticket.

A clerk works at the offices they are a clerk of (Office.clerks) and needs the permission to call
tickets; a kiosk is an API client with the scope "counter:kiosk" of the organisation that runs the
office. Serving a ticket opens the visit through the first-line pipeline (a contact on the channel
"counter" with the clerk as agent), so the clerk uses the customer view with that contact as purpose
and raises it to assurance "high" by checking an identity document (interactions). The waiting room
hears of a call after commit, with the ticket number and the desk only, never a name.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from channels_app.counter.models import Appointment, CounterService, Office, OfficeDayCounter, Ticket
from channels_app.counter.selectors import is_clerk_of, office_get, tickets_waiting
from contactcentre import realtime
from contactcentre.api.attempt_limits import slot_release, slot_reserve
from contactcentre.errors import AccessDenied, NotFound, RateLimited, RuleViolation, ValidationFailed
from contactcentre.firstline.services import IdentityClaim, contact_open
from contactcentre.interactions.models import Channel
from contactcentre.interactions.services import contact_moment_close
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record, purpose_grant

BOOK_APPOINTMENT = "channels_app.add_appointment"
BOOKING_HORIZON = timedelta(days=366)
KIOSK_SCOPE = "counter:kiosk"
TICKET_CALLED = "ticket.called"
DESK_MAX = 50


def _check_kiosk_or_clerk(office: Office, actor: Principal) -> None:
    """A kiosk of the organisation that runs the office, or a clerk of the office at the desk."""
    if actor.is_organisation:
        if actor.has_scope(KIOSK_SCOPE) and office.organisation_id == actor.organisation_id:
            return
    elif is_clerk_of(office, actor):
        return
    raise AccessDenied(_("Hier kunt u geen nummer trekken."))


def _check_clerk(office: Office, actor: Principal) -> None:
    if not is_clerk_of(office, actor):
        raise AccessDenied(_("Alleen een baliemedewerker van deze vestiging roept nummers op."))


def _ticket_new(*, office: Office, service: CounterService, appointment: Appointment | None = None) -> Ticket:
    """The office's next number of the day: its day counter row is locked until commit, so two kiosks
    taking a number at the same moment wait for each other instead of sharing one."""
    now = timezone.now()
    day = timezone.localdate(now)
    counter, _created = OfficeDayCounter.objects.get_or_create(office=office, day=day)
    counter = OfficeDayCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return Ticket.objects.create(
        office=office,
        service=service,
        day=day,
        sequence=counter.last_sequence,
        number=f"{service.ticket_prefix}{counter.last_sequence:03d}",
        appointment=appointment,
        created_at=now,
    )


@transaction.atomic
def ticket_take(*, office_code: str, service_code: str, actor: Principal) -> Ticket:
    """A walk-in takes a number for a service at the kiosk (or a clerk hands one out)."""
    office = office_get(code=office_code)
    _check_kiosk_or_clerk(office, actor)
    service = CounterService.objects.filter(office=office, code=service_code, is_active=True).first()
    if service is None:
        raise ValidationFailed(field_errors={"service": [_("Dit product is hier niet beschikbaar.")]})
    return _ticket_new(office=office, service=service)


def appointment_book(
    *,
    office_code: str,
    service_code: str,
    starts_at,
    actor: Principal,
    party_id: int | None = None,
    purpose: str = "",
    purpose_reference: str = "",
) -> Appointment:
    """Staff book a visit (an agent during a call, a clerk at the desk); the visitor gets the check-in
    code. Booking for a person is processing their data: the contact at hand is the purpose."""
    if not actor.has_perm(BOOK_APPOINTMENT):
        raise AccessDenied(_("U maakt geen afspraken voor de balie."))
    now = timezone.now()
    if not now < starts_at <= now + BOOKING_HORIZON:
        raise ValidationFailed(field_errors={"starts_at": [_("Kies een tijdstip in de komende twaalf maanden.")]})
    grant = None
    if party_id is not None:  # before the transaction: a refusal's "denied" record must be kept
        grant = purpose_grant(
            principal=actor,
            purpose=purpose,
            reference=purpose_reference,
            action=ProcessingRecord.Action.CREATE,
            object_type="counter_appointment",
            party_ids=[party_id],
            purposes=(Purpose.CONTACT,),
        )
    with transaction.atomic():
        office = office_get(code=office_code)
        service = CounterService.objects.filter(office=office, code=service_code, is_active=True).first()
        if service is None:
            raise ValidationFailed(field_errors={"service": [_("Dit product is hier niet beschikbaar.")]})
        appointment = Appointment.objects.create(office=office, service=service, starts_at=starts_at, party_id=party_id)
        if grant is not None:
            processing_log_record(
                actor=actor,
                action=ProcessingRecord.Action.CREATE,
                object_type="counter_appointment",
                object_id=str(appointment.pk),
                party_ids=[party_id],
                purpose=grant.purpose,
                purpose_reference=grant.reference,
            )
    return appointment


def _check_in_key(actor: Principal) -> str:
    return f"counter:check-in-wrong:{actor.key}"


def normalise_check_in_code(value: str) -> str:
    return "".join(value.split()).upper().replace("-", "")


@transaction.atomic
def appointment_check_in(*, office_code: str, code: str, actor: Principal) -> Ticket:
    """A visitor with an appointment checks in with its code, from COUNTER_CHECK_IN_EARLY_MINUTES
    before its start to COUNTER_CHECK_IN_LATE_MINUTES after; the ticket is called before walk-ins.

    Wrong codes are counted per kiosk in the cache (Redis in production, atomically): after
    COUNTER_CHECK_IN_MAX_WRONG in a window of COUNTER_CHECK_IN_LOCKOUT_SECONDS the kiosk is refused,
    also with a right code, until the window ends. Checking in twice gives the same ticket."""
    office = office_get(code=office_code)
    _check_kiosk_or_clerk(office, actor)
    code = normalise_check_in_code(code or "")
    if not code:
        raise ValidationFailed(field_errors={"code": [_("Vul de code van uw afspraak in.")]})
    key = _check_in_key(actor)
    limit = settings.COUNTER_CHECK_IN_MAX_WRONG
    if not slot_reserve(
        key, guard_key=key, limit=limit, guard_limit=limit, timeout=settings.COUNTER_CHECK_IN_LOCKOUT_SECONDS
    ):
        raise RateLimited(_("Te veel onjuiste codes. Meld u aan de balie."), code="check_in_locked")
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("service")
        .filter(office=office, check_in_code=code)
        .first()
    )
    if appointment is None:  # a wrong code keeps its slot: it counts towards the lock-out
        raise NotFound(_("Geen afspraak gevonden met deze code."), code="appointment_not_found")
    slot_release(key)
    existing = Ticket.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    now = timezone.now()
    if now < appointment.starts_at - timedelta(minutes=settings.COUNTER_CHECK_IN_EARLY_MINUTES):
        raise RuleViolation(_("U bent te vroeg. Meld u kort voor uw afspraak aan."), code="check_in_too_early")
    if now > appointment.starts_at + timedelta(minutes=settings.COUNTER_CHECK_IN_LATE_MINUTES):
        raise RuleViolation(_("Uw afspraak is verlopen. Trek een nummer of meld u aan de balie."), code="check_in_late")
    appointment.checked_in_at = now
    appointment.save(update_fields=["checked_in_at"])
    if appointment.party_id is not None:
        processing_log_record(
            actor=actor,
            action=ProcessingRecord.Action.UPDATE,
            object_type="counter_appointment",
            object_id=str(appointment.pk),
            party_ids=[appointment.party_id],
            purpose=Purpose.CONTACT,
            purpose_reference=f"appointment:{appointment.pk}",
        )
    return _ticket_new(office=office, service=appointment.service, appointment=appointment)


def _announce(ticket: Ticket, *, recall: bool = False) -> None:
    """The waiting room shows the number and the desk: nothing that says who the visitor is."""
    data = {"number": ticket.number, "desk": ticket.desk, "recall": recall}
    realtime.publish(realtime.office_group(ticket.office.code), TICKET_CALLED, data)


@transaction.atomic
def ticket_call_next(
    *, office_code: str, desk: str, actor: Principal, service_codes: list[str] | None = None
) -> Ticket | None:
    """The clerk at a desk calls the next visitor of the services they serve (all the office's by
    default): checked-in appointments first, by their time, then walk-ins, oldest first. The row is
    claimed under FOR UPDATE SKIP LOCKED, so clerks calling at the same moment each get another
    ticket and never wait for each other. None when nobody waits."""
    desk = (desk or "").strip()
    if not desk or len(desk) > DESK_MAX:
        raise ValidationFailed(field_errors={"desk": [_("Geef de naam van uw balie (ten hoogste 50 tekens).")]})
    office = office_get(code=office_code)
    _check_clerk(office, actor)
    services = CounterService.objects.filter(office=office)
    if service_codes:
        services = services.filter(code__in=service_codes)
    service_ids = list(services.values_list("pk", flat=True))
    ticket = (
        tickets_waiting(office=office)
        .select_related(None)
        .select_for_update(skip_locked=True, of=("self",))
        .filter(service_id__in=service_ids)
        .first()
    )
    if ticket is None:
        return None
    ticket.status = Ticket.Status.CALLED
    ticket.desk = desk
    ticket.called_by = actor.user
    ticket.called_at = timezone.now()
    ticket.save(update_fields=["status", "desk", "called_by", "called_at"])
    ticket.office = office
    _announce(ticket)
    return ticket


def _own_ticket(*, ticket_id: int, actor: Principal, status: str) -> Ticket:
    """The ticket this clerk called, locked, in the state the step needs."""
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("office").filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("Volgnummer niet gevonden."), code="ticket_not_found")
    _check_clerk(ticket.office, actor)
    if ticket.called_by_id != actor.user_id:
        raise AccessDenied(_("Dit nummer is door een collega opgeroepen."))
    if ticket.status != status:
        raise RuleViolation(
            _("Dit kan niet bij een nummer met de status “%(status)s”.") % {"status": ticket.get_status_display()},
            code="ticket_wrong_status",
        )
    return ticket


@transaction.atomic
def ticket_recall(*, ticket_id: int, actor: Principal) -> Ticket:
    """Call the same number again (the visitor did not come yet)."""
    ticket = _own_ticket(ticket_id=ticket_id, actor=actor, status=Ticket.Status.CALLED)
    _announce(ticket, recall=True)
    return ticket


@transaction.atomic
def ticket_serve(*, ticket_id: int, actor: Principal, identity_claim: IdentityClaim | None = None):
    """The visitor is at the desk: the visit opens through the first line as a counter contact with
    this clerk as agent (once per ticket); returns (ticket, first-line offer). The clerk identifies
    the visitor with a claim (a BSN, KvK number, ...) and checks their identity document on the
    contact (interactions) to reach assurance "high"."""
    ticket = _own_ticket(ticket_id=ticket_id, actor=actor, status=Ticket.Status.CALLED)
    offer = contact_open(
        channel=Channel.COUNTER,
        actor=actor,
        identity_claim=identity_claim,
        external_id=f"counter-ticket-{ticket.pk}",
        desk=f"{ticket.office.name}, {ticket.desk}",
    )
    ticket.status = Ticket.Status.SERVING
    ticket.served_at = timezone.now()
    ticket.contact_moment = offer.contact
    ticket.save(update_fields=["status", "served_at", "contact_moment"])
    return ticket, offer


@transaction.atomic
def ticket_finish(*, ticket_id: int, outcome: str, actor: Principal) -> Ticket:
    """The visit is over: the ticket is done and its contact closed with the outcome (unless the
    clerk closed the contact already)."""
    ticket = _own_ticket(ticket_id=ticket_id, actor=actor, status=Ticket.Status.SERVING)
    try:
        contact_moment_close(contact=ticket.contact_moment, outcome=outcome, actor=actor)
    except RuleViolation as error:
        if error.code != "contact_closed":
            raise
    ticket.status = Ticket.Status.DONE
    ticket.finished_at = timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    return ticket


@transaction.atomic
def ticket_no_show(*, ticket_id: int, actor: Principal) -> Ticket:
    """The called visitor did not come to the desk."""
    ticket = _own_ticket(ticket_id=ticket_id, actor=actor, status=Ticket.Status.CALLED)
    ticket.status = Ticket.Status.NO_SHOW
    ticket.finished_at = timezone.now()
    ticket.save(update_fields=["status", "finished_at"])
    return ticket


@transaction.atomic
def office_display_link_renew(*, office: Office) -> Office:
    """Make every earlier waiting-room display link of the office invalid (a screen was lost)."""
    Office.objects.filter(pk=office.pk).update(display_generation=F("display_generation") + 1)
    office.refresh_from_db(fields=["display_generation"])
    return office
