"""The first-line pipeline every door calls: identify -> record -> offer (status, life events, articles).

`contact_open` turns what a door knows about the caller (an identity claim) into a party, records the
contact with its assurance level (once per channel event), and returns what the first line can offer.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from casemanagement.models import Case
from casemanagement.policy import Clearance, clearance_of
from casemanagement.selectors import cases_of_party, cases_present, life_events_ranked, open_case_life_events
from casemanagement.services import normalise_reference
from contactcentre.errors import ValidationFailed
from contactcentre.interactions.models import CallbackRequest, Channel, ContactMoment, WorkItem
from contactcentre.interactions.services import (
    callback_request_create,
    contact_moment_identify,
    contact_moment_record,
    work_queue_get,
)
from contactcentre.interactions.work_items import work_item_create
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record
from contactcentre.registry.assurance import AssuranceLevel, assurance_rank
from contactcentre.registry.models import Party
from contactcentre.registry.selectors import party_find, party_lookup
from lifeevents.search import search_articles
from lifeevents.selectors import life_events_for_query

OFFER_CASES_LIMIT = 10
# Letters about one life event give it 70-85% of the top three's score; a letter about nothing in
# particular 35-60% (tests/channels_app/test_scan_intake.py, tests/firstline/test_classify.py).
CLASSIFY_MIN_SHARE = 0.65


class ClaimKind:
    BSN = "bsn"
    PHONE = "phone"
    EMAIL = "email"
    CASE_REFERENCE = "case_reference"
    KVK = "kvk"

    ALL = (BSN, PHONE, EMAIL, CASE_REFERENCE, KVK)


# A claim that is only "something the caller knows or calls from" never proves more than "low";
# a BSN or KvK number is as strong as the door's own check (DigiD, an ID document at the counter).
_CAPPED_AT_LOW = {ClaimKind.PHONE, ClaimKind.EMAIL, ClaimKind.CASE_REFERENCE}


@dataclass
class IdentityClaim:
    kind: str
    value: str


@dataclass
class FirstLineOffer:
    contact: ContactMoment
    created: bool
    party: Party | None
    ambiguous: bool = False
    cases: list[dict] = field(default_factory=list)
    status_needs_second_factor: bool = False
    life_events: list[dict] = field(default_factory=list)  # slug, name, matching_case_types
    articles: list = field(default_factory=list)


def identity_resolve(*, claim: IdentityClaim | None) -> tuple[Party | None, bool]:
    """(party, ambiguous). No logging here: `contact_open` logs once it has a contact to refer to."""
    if claim is None or not (claim.value or "").strip():
        return None, False
    if claim.kind not in ClaimKind.ALL:
        raise ValidationFailed(field_errors={"identity_claim.kind": [_("Onbekende soort identificatie.")]})
    value = claim.value.strip()
    if claim.kind == ClaimKind.CASE_REFERENCE:
        party_ids = set(
            Case.objects.filter(reference=normalise_reference(value)).values_list("party_id", flat=True)[:5]
        )
        parties = list(Party.objects.filter(pk__in=party_ids)[:2]) if party_ids else []
    else:
        criteria = {
            ClaimKind.BSN: {"bsn": value},
            ClaimKind.PHONE: {"phone": value},
            ClaimKind.EMAIL: {"email": value},
            ClaimKind.KVK: {"kvk_number": value},
        }[claim.kind]
        try:
            parties = list(party_lookup(**criteria).order_by("id")[:2])
        except ValidationFailed as error:
            raise ValidationFailed(
                error.message, field_errors={"identity_claim.value": [_("Dit nummer of adres is niet geldig.")]}
            ) from None
    if len(parties) == 1:
        return parties[0], False
    return None, len(parties) > 1


def effective_assurance(*, claim: IdentityClaim | None, party: Party | None, assurance: str) -> str:
    if party is None:
        return ""
    if assurance not in AssuranceLevel.values:
        assurance = AssuranceLevel.LOW
    if claim is not None and claim.kind in _CAPPED_AT_LOW and assurance_rank(assurance) > 1:
        return AssuranceLevel.LOW
    return assurance


def contact_open(
    *,
    channel: str,
    actor: Principal,
    identity_claim: IdentityClaim | None = None,
    assurance: str = AssuranceLevel.LOW,
    text: str = "",
    external_id: str = "",
    direction: str = ContactMoment.Direction.INBOUND,
    desk: str = "",
    classify_text: str | None = None,
) -> FirstLineOffer:
    """Identify, record and offer. The same channel event (external id) opens one contact only.
    `actor` is the staff member or system that opened the contact, or SYSTEM for a door without one.
    A door without a person to choose the life event passes `classify_text` (what the contact is about):
    the contact is recorded with the life event the knowledge search finds most likely, if any."""
    party, ambiguous = identity_resolve(claim=identity_claim)
    level = effective_assurance(claim=identity_claim, party=party, assurance=assurance)
    life_event = life_event_classify(text=classify_text) if classify_text else None
    contact, created = contact_moment_record(
        channel=channel,
        actor=actor,
        party=party,
        direction=direction,
        identified_by=identity_claim.kind if (identity_claim and party) else "",
        assurance=level,
        question=text,
        external_id=external_id,
        agent=actor.user,
        desk=desk,
        life_event=life_event,
    )
    offer = FirstLineOffer(contact=contact, created=created, party=contact.party, ambiguous=ambiguous)
    if created and party is not None:
        processing_log_record(
            actor=actor,
            action=ProcessingRecord.Action.SEARCH,
            object_type="party",
            party_ids=[party.pk],
            purpose=Purpose.CONTACT,
            purpose_reference=str(contact.pk),
        )
    if contact.party_id is None:
        return offer

    # Status: people and systems see what their clearance allows at this contact's assurance; a door
    # without an agent tells the citizen only after DigiD-level assurance, else asks a second factor.
    clearance = clearance_of(actor) if not actor.is_system else Clearance.NOTHING
    if actor.is_system and assurance_rank(contact.assurance) >= 2:
        clearance = Clearance.CITIZEN
    if identity_claim is not None and identity_claim.kind == ClaimKind.CASE_REFERENCE:
        # Knowing a reference (it is on every letter) is not knowing the person: status only with the
        # second factor, through the reference lookup.
        clearance = Clearance.NOTHING
    if clearance == Clearance.NOTHING:
        offer.status_needs_second_factor = True
    else:
        principal = actor
        if clearance == Clearance.CITIZEN and actor.is_system:  # scoped to the citizen this door serves
            principal = Principal.citizen(party_id=contact.party_id, assurance=contact.assurance)
        rows = list(
            cases_of_party(party_id=contact.party_id, principal=principal, clearance=clearance, recent_only=True)[
                :OFFER_CASES_LIMIT
            ]
        )
        offer.cases = cases_present(
            cases=rows,
            principal=actor,
            assurance=contact.assurance,
            clearance=clearance,
            purpose=Purpose.CONTACT,
            purpose_reference=str(contact.pk),
        )
        # Only cases shown with their type may suggest life events: a hidden type must not leak through.
        typed = {summary["id"] for summary in offer.cases if summary["case_type"] is not None}
        open_types = {row.case_type_id for row in rows if row.closed_at is None and row.pk in typed}
        if open_types:  # the same rows and ranking as the customer view's
            rows = open_case_life_events(party_id=contact.party_id)
            offer.life_events = life_events_ranked(rows, case_type_ids=open_types)
    offer.articles = _articles_for(text=text, channel=channel, life_events=offer.life_events)
    return offer


# What a search criterion of `party_find` says about how the person was identified.
_IDENTIFIED_BY = {
    "bsn": ContactMoment.IdentifiedBy.BSN,
    "phone": ContactMoment.IdentifiedBy.PHONE,
    "email": ContactMoment.IdentifiedBy.EMAIL,
    "kvk_number": ContactMoment.IdentifiedBy.KVK,
    "surname": ContactMoment.IdentifiedBy.AGENT,
}


def contact_identify(
    *, contact: ContactMoment, actor: Principal, search: dict, party_id: int | None = None
) -> tuple[Party | None, list[Party]]:
    """Find the person of an anonymous contact at hand by one criterion of `party_find` (bsn, phone,
    email, kvk_number, or surname with date_of_birth); the search is logged with the contact as its
    purpose. The one match, or `party_id` chosen from several (only from what this search found, so no
    id can be guessed), becomes the contact's person. Returns (that person or None, the matches)."""
    matches = party_find(actor=actor, purpose=Purpose.CONTACT, purpose_reference=str(contact.pk), **search)
    if party_id is not None:
        chosen = next((party for party in matches if party.pk == party_id), None)
        if chosen is None:
            raise ValidationFailed(field_errors={"party": [_("Kies een van de gevonden personen.")]})
    else:
        chosen = matches[0] if len(matches) == 1 else None
    if chosen is not None:
        kind = next(key for key in _IDENTIFIED_BY if search.get(key))
        contact_moment_identify(contact=contact, party=chosen, identified_by=_IDENTIFIED_BY[kind], actor=actor)
    return chosen, matches


def life_event_classify(*, text: str):
    """The life event a written question is about: the knowledge search's articles, their scores summed
    per life event, and the best of three only when it holds CLASSIFY_MIN_SHARE of their total (a share,
    so the same on every search engine). Text about nothing in particular matches a few words in many
    articles and spreads its score: None, for a person to decide."""
    ranked = life_events_for_query(text, limit=3)
    total = sum(score for _life_event, score in ranked)
    if not ranked or total <= 0:
        return None
    best, score = ranked[0]
    return best if score / total >= CLASSIFY_MIN_SHARE else None


def _articles_for(*, text: str, channel: str, life_events: list) -> list:
    """Best articles for the question once the knowledge base search exists; none otherwise."""
    if not text.strip():
        return []
    life_event = life_events[0]["slug"] if len(life_events) == 1 else None
    return [hit.article for hit in search_articles(text, life_event=life_event, channel=channel, limit=5)]


QUESTION_MAX = 2000


def _citizen_web_contact(*, citizen: Principal, question: str, **recorded) -> ContactMoment:
    """A web contact of the signed-in citizen (at their sign-in's assurance) with their question."""
    question = question.strip()
    if not citizen.is_citizen:
        raise ValidationFailed(_("Alleen een ingelogde burger kan dit hier doen."))
    if not question or len(question) > QUESTION_MAX:
        raise ValidationFailed(
            field_errors={"question": [_("Stel uw vraag in hoogstens %(max)s tekens.") % {"max": QUESTION_MAX}]}
        )
    contact, _created = contact_moment_record(
        channel=Channel.WEB,
        actor=citizen,
        party=Party.objects.get(pk=citizen.party_id),
        identified_by=ContactMoment.IdentifiedBy.DIGID,
        assurance=citizen.assurance,
        question=question,
        **recorded,
    )
    return contact


@transaction.atomic
def web_question_submit(*, citizen: Principal, question: str) -> ContactMoment:
    """A signed-in citizen's question that the search did not answer: a web contact of theirs,
    classified to a life event where the search is sure, and a work item in the "web" queue for an
    agent to answer."""
    contact = _citizen_web_contact(citizen=citizen, question=question, life_event=life_event_classify(text=question))
    work_item_create(
        queue_code="web",
        kind=WorkItem.Kind.WEB,
        title=_("Vraag via Mijn omgeving"),
        contact_moment=contact,
        source_key=f"web:{contact.pk}",
    )
    return contact


@transaction.atomic
def web_callback_request_submit(
    *, citizen: Principal, queue_code: str, phone_number: str, question: str, call_after, call_before
) -> CallbackRequest:
    """A signed-in citizen asks to be called back: a web contact of theirs, closed as "callback
    requested", and the callback with its work item in the queue."""
    queue = work_queue_get(code=queue_code)
    contact = _citizen_web_contact(citizen=citizen, question=question, topic=_("Terugbelverzoek via Mijn omgeving"))
    return callback_request_create(
        queue=queue,
        phone_number=phone_number,
        question=contact.question,
        actor=citizen,
        party=contact.party,
        contact_moment=contact,
        call_after=call_after,
        call_before=call_before,
    )
