"""The SMS door: an inbound message becomes a contact moment through the first-line pipeline (the sender
recognised by number, assurance low), and what it asks is done once per MessageSid:

- STATUS/ZAAK <reference> <postcode digits or date of birth>: the case's citizen status through the
  reference lookup with its lock-out (per reference, and per sending number as the caller);
- STOP and the other opt-out words withdraw the SMS consent of everyone registered with the number;
  START and the other opt-in words grant it to the one person registered with it;
- anything else is a question: the short answer of a confidently found article, or a work item in
  the "sms" queue for an agent.

The reply goes back in the webhook's TwiML; it is kept on the contact (or follows from its work item),
so the same MessageSid again answers the same reply and changes nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from casemanagement.selectors import case_by_reference
from channels_app.sms.commands import Intent, SmsCommand, sms_command_parse
from channels_app.sms.text import septets, sms_text
from contactcentre.errors import NotFound, RateLimited, ValidationFailed
from contactcentre.firstline.services import ClaimKind, FirstLineOffer, IdentityClaim, contact_open
from contactcentre.interactions.models import Channel, ContactMoment, WorkItem
from contactcentre.interactions.services import contact_moment_close
from contactcentre.interactions.work_items import work_item_create
from contactcentre.principal import SYSTEM, Principal
from contactcentre.processinglog.purposes import Purpose
from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.models import Channel as ConsentChannel
from contactcentre.registry.models import Consent
from contactcentre.registry.selectors import party_lookup
from contactcentre.registry.services import consent_record
from contactcentre.registry.validators import normalise_phone
from lifeevents.search import search_articles
from lifeevents.search.confidence import confident_hit

SMS_QUEUE = "sms"
# Everyone registered with one number whose consent a STOP withdraws (a household shares a number).
PARTIES_PER_NUMBER = 20
ARTICLE_LINK_MAX = 100


@dataclass(frozen=True)
class SmsAnswer:
    reply: str  # empty: answer nothing
    contact: ContactMoment
    repeated: bool  # the same MessageSid again: nothing was done


def _source_key(message_sid: str) -> str:
    return f"sms:{message_sid}"


def _sender_number(sender: str) -> str:
    """The sender in E.164, or "" for what is not a phone number (a short code, an alphanumeric sender)."""
    try:
        return normalise_phone(sender or "")
    except ValidationError:
        return ""


def sms_message_receive(*, message_sid: str, sender: str, body: str) -> SmsAnswer:
    """Handle one inbound SMS (Twilio's MessageSid, From and Body) and answer the reply to send back."""
    message_sid = (message_sid or "").strip()
    if not message_sid:
        raise ValidationFailed(field_errors={"MessageSid": [_("Dit veld is verplicht.")]})
    command = sms_command_parse(body)
    number = _sender_number(sender)
    claim = IdentityClaim(kind=ClaimKind.PHONE, value=number) if number else None
    # One transaction: a duplicate delivered at the same moment waits on the contact's unique key and
    # then reads the finished contact, so it answers the same reply.
    with transaction.atomic():
        offer = contact_open(
            channel=Channel.SMS,
            actor=SYSTEM,
            identity_claim=claim,
            assurance=AssuranceLevel.LOW,
            text=command.text,
            external_id=message_sid,
        )
        if not offer.created:
            return SmsAnswer(reply=_earlier_reply(offer.contact, message_sid), contact=offer.contact, repeated=True)
        handle = {
            Intent.STATUS: _status,
            Intent.OPT_OUT: _opt_out,
            Intent.OPT_IN: _opt_in,
            Intent.QUESTION: _question,
        }[command.intent]
        reply = handle(command=command, offer=offer, number=number, message_sid=message_sid)
    return SmsAnswer(reply=reply, contact=offer.contact, repeated=False)


def _queued_reply() -> str:
    return _("Bedankt voor uw vraag. Een medewerker stuurt u zo snel mogelijk een antwoord.")


def _earlier_reply(contact: ContactMoment, message_sid: str) -> str:
    if WorkItem.objects.filter(source_key=_source_key(message_sid)).exists():
        return _queued_reply()
    return contact.answer


def _close(offer: FirstLineOffer, *, outcome: str, reply: str, articles=()) -> str:
    contact_moment_close(contact=offer.contact, outcome=outcome, actor=SYSTEM, answer=reply, articles=articles)
    return reply


# --- case status ----------------------------------------------------------------------------------


def _status(*, command: SmsCommand, offer: FirstLineOffer, number: str, message_sid: str) -> str:
    """Status by reference and second factor only: a number recognises someone at "low", which shows no
    case on its own. The reply holds what the citizen sees of the case, no personal details."""
    how = _("Stuur STATUS, uw zaaknummer en de 4 cijfers van uw postcode of uw geboortedatum (dd-mm-jjjj).")
    if not command.status_complete:
        return _close(offer, outcome=ContactMoment.Outcome.ANSWERED, reply=how)
    try:
        case = case_by_reference(
            reference=command.reference,
            postcode_digits=command.postcode_digits,
            date_of_birth=command.date_of_birth,
            caller_key=f"sms:{number or 'unknown'}",
            principal=SYSTEM,
            as_citizen=True,
        )
    except RateLimited:
        reply = _("Te veel pogingen. Probeer het later opnieuw.")
    except NotFound:
        reply = _("Geen zaak gevonden met deze gegevens. Controleer het zaaknummer en uw postcode of geboortedatum.")
    except ValidationFailed:
        reply = how
    else:
        return _close(offer, outcome=ContactMoment.Outcome.STATUS_GIVEN, reply=sms_text(_case_status_text(case)))
    return _close(offer, outcome=ContactMoment.Outcome.ANSWERED, reply=reply)


def _case_status_text(case: dict) -> str:
    text = _("Zaak %(reference)s (%(case_type)s): %(status)s") % {
        "reference": case["reference"],
        "case_type": case["case_type"],
        "status": case["status_text"] or _("in behandeling."),
    }
    if case["is_open"] and case["is_suspended"]:
        text += " " + _("De termijn is opgeschort.")
    elif case["is_open"] and case["deadline"]:
        text += " " + _("Besluit uiterlijk %(date)s.") % {"date": case["deadline"].strftime("%d-%m-%Y")}
    return text


# --- consent --------------------------------------------------------------------------------------


def _consent_set(*, party_id: int, granted: bool, contact: ContactMoment) -> None:
    """The person texting from their own number acts for themselves (self-service, assurance low)."""
    consent_record(
        party_id=party_id,
        purpose=Consent.Purpose.SMS_NOTIFICATIONS,
        granted=granted,
        channel=ConsentChannel.SMS,
        actor=Principal.citizen(party_id=party_id, assurance=AssuranceLevel.LOW),
        processing_purpose=Purpose.SELF_SERVICE,
        purpose_reference=f"contact:{contact.pk}",
    )


def _opt_out(*, command: SmsCommand, offer: FirstLineOffer, number: str, message_sid: str) -> str:
    """Withdrawing is always safe: everyone registered with the number stops getting SMS, also when the
    number is shared. An unknown number has no consent to withdraw (we send SMS only to registered people,
    and Twilio blocks the number itself on its STOP words); the reply is the same, so a STOP does not tell
    whether a number is known."""
    party_ids = []
    if number:
        party_ids = list(party_lookup(phone=number).order_by("pk").values_list("pk", flat=True)[:PARTIES_PER_NUMBER])
    for party_id in party_ids:
        _consent_set(party_id=party_id, granted=False, contact=offer.contact)
    reply = _("U krijgt geen sms-berichten meer van ons. Stuur START om ze weer te krijgen.")
    outcome = ContactMoment.Outcome.DATA_CHANGED if party_ids else ContactMoment.Outcome.ANSWERED
    return _close(offer, outcome=outcome, reply=reply)


def _opt_in(*, command: SmsCommand, offer: FirstLineOffer, number: str, message_sid: str) -> str:
    """Granting only for the one person the number recognises: a shared or unknown number says nothing
    about who wants SMS. The reply is the same either way (no telling whether a number is known)."""
    if offer.party is not None:
        _consent_set(party_id=offer.party.pk, granted=True, contact=offer.contact)
    reply = _(
        "Aanmelding ontvangen. Is dit nummer bij ons bekend, dan krijgt u weer berichten per sms. "
        "Stuur STOP om te stoppen."
    )
    outcome = ContactMoment.Outcome.DATA_CHANGED if offer.party is not None else ContactMoment.Outcome.ANSWERED
    return _close(offer, outcome=outcome, reply=reply)


# --- questions ------------------------------------------------------------------------------------


def _question(*, command: SmsCommand, offer: FirstLineOffer, number: str, message_sid: str) -> str:
    hits = search_articles(command.text, channel=Channel.SMS, limit=3) if command.text else []
    best = confident_hit(command.text, hits)
    if best is None:
        work_item_create(
            queue_code=SMS_QUEUE,
            kind=WorkItem.Kind.SMS,
            title=_("Vraag per sms"),
            contact_moment=offer.contact,
            source_key=_source_key(message_sid),
        )
        return _queued_reply()  # the contact stays open for the agent who answers it
    reply = _answer_with_link(best.answer_text, best.article.external_id)
    return _close(offer, outcome=ContactMoment.Outcome.ANSWERED, reply=reply, articles=[best.article])


def _article_url(external_id: str) -> str:
    """The article's public page (contactcentre.portal), when the site's public address is configured."""
    if not settings.PUBLIC_SITE_URL:
        return ""
    return settings.PUBLIC_SITE_URL.rstrip("/") + reverse("public-article", kwargs={"external_id": external_id})


def _answer_with_link(answer: str, external_id: str) -> str:
    url = _article_url(external_id)
    if not url or len(url) > ARTICLE_LINK_MAX:
        return sms_text(answer)
    more = " " + _("Meer: %(url)s") % {"url": url}
    return sms_text(answer, reserve=septets(more)) + more
