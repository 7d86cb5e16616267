"""Reads of the counter door: the waiting-room display and who may open it, the desk's queue and the
clerk's own tickets."""

from django.core import signing
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casemanagement.selectors import escalations_visible
from channels_app.counter.models import Office, Ticket
from contactcentre.errors import AccessDenied, NotFound
from contactcentre.interactions.selectors import callback_requests_visible, contact_moments_visible
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record, purpose_grant

CALL_TICKET = "channels_app.call_ticket"

DISPLAY_ROWS = 8
_DISPLAY_SALT = "channels_app.counter.display"


def office_display_token(*, office: Office) -> str:
    """The secret of an office's waiting-room display link. Signed with SECRET_KEY over the office and
    its link version, so nothing is stored, and renewing the link (the version) revokes the old one."""
    return signing.Signer(salt=_DISPLAY_SALT).sign(f"{office.code}:{office.display_generation}")


def office_for_display(*, code: str, token: str) -> Office | None:
    """The active office whose display link this is, or None."""
    try:
        value = signing.Signer(salt=_DISPLAY_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    signed_code, _, generation = value.rpartition(":")
    if signed_code != code:
        return None
    return Office.objects.filter(code=code, is_active=True, display_generation=generation).first()


def office_display_calls(*, office: Office, limit: int = DISPLAY_ROWS) -> list[dict]:
    """The tickets called most recently today at the office, newest first: number and desk only."""
    return list(
        Ticket.objects.filter(office=office, day=timezone.localdate(), called_at__isnull=False)
        .order_by("-called_at", "-id")
        .values("number", "desk")[:limit]
    )


def tickets_waiting_count(*, office: Office) -> int:
    return Ticket.objects.filter(office=office, day=timezone.localdate(), status=Ticket.Status.WAITING).count()


def office_get(*, code: str) -> Office:
    office = Office.objects.filter(code=code, is_active=True).first()
    if office is None:
        raise NotFound(_("Vestiging niet gevonden."), code="office_not_found")
    return office


def office_of_clerk(*, code: str, actor: Principal) -> Office:
    """The office whose desk this clerk opens; a clerk of another office is refused."""
    office = office_get(code=code)
    if not is_clerk_of(office, actor):
        raise AccessDenied(_("U bent geen baliemedewerker van deze vestiging."))
    return office


def is_clerk_of(office: Office, actor: Principal) -> bool:
    """Who calls and serves at an office: a clerk of it (Office.clerks) with the permission to call."""
    return actor.has_perm(CALL_TICKET) and office.clerks.filter(pk=actor.user_id).exists()


def offices_of_clerk(*, actor: Principal) -> QuerySet[Office]:
    if not actor.has_perm(CALL_TICKET):
        return Office.objects.none()
    return Office.objects.filter(clerks=actor.user_id, is_active=True).order_by("name")


def tickets_waiting(*, office: Office) -> QuerySet[Ticket]:
    """The office's waiting tickets of today in the order the desks call them: checked-in appointments
    first, by their time, then walk-ins, oldest first."""
    return (
        Ticket.objects.filter(office=office, day=timezone.localdate(), status=Ticket.Status.WAITING)
        .select_related("service", "appointment")
        .order_by(F("appointment__starts_at").asc(nulls_last=True), "created_at", "id")
    )


def tickets_at_desk(*, office: Office, actor: Principal) -> QuerySet[Ticket]:
    """The tickets this clerk called today at the office and has not finished."""
    return (
        Ticket.objects.filter(
            office=office,
            day=timezone.localdate(),
            called_by=actor.user_id,
            status__in=(Ticket.Status.CALLED, Ticket.Status.SERVING),
        )
        .select_related("service", "contact_moment")
        .order_by("called_at", "id")
    )


def ticket_of_clerk(*, office: Office, ticket_id: int, actor: Principal) -> Ticket:
    """A ticket of this office that this clerk called: a colleague's ticket is not theirs to handle."""
    ticket = (
        Ticket.objects.select_related("office", "service")
        .filter(pk=ticket_id, office=office, called_by=actor.user_id)
        .first()
    )
    if ticket is None:
        raise NotFound(_("Volgnummer niet gevonden."), code="ticket_not_found")
    return ticket


def visit_summary(*, ticket: Ticket, actor: Principal) -> dict:
    """What the visitor takes home: what they asked, the answer, and what happens next (the escalations
    and callbacks made during the visit). A read of the visit's contact with that contact as purpose,
    logged for the person."""
    contact = contact_moments_visible(principal=actor).filter(pk=ticket.contact_moment_id).first()
    if contact is None:
        raise NotFound(_("Dit bezoek heeft geen contactmoment."), code="contact_not_found")
    party_ids = [contact.party_id] if contact.party_id else []
    grant = purpose_grant(
        principal=actor,
        purpose=Purpose.CONTACT,
        reference=str(contact.pk),
        action=ProcessingRecord.Action.READ,
        object_type="counter_summary",
        object_id=str(ticket.pk),
        party_ids=party_ids,
        purposes=(Purpose.CONTACT,),
    )
    summary = {
        "contact": contact,
        "articles": list(contact.articles.all()),
        "escalations": list(escalations_visible(principal=actor).filter(contact_moment=contact).order_by("id")),
        "callbacks": list(callback_requests_visible(principal=actor).filter(contact_moment=contact).order_by("id")),
    }
    processing_log_record(
        actor=actor,
        action=ProcessingRecord.Action.READ,
        object_type="counter_summary",
        object_id=str(ticket.pk),
        party_ids=party_ids,
        purpose=grant.purpose,
        purpose_reference=grant.reference,
    )
    return summary
