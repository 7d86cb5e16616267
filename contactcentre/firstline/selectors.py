"""The integrated customer view: one person as the first line sees them across every organisation
and every channel, opened only for a stated purpose (the contact at hand or a case).

Its query count is constant whatever the number of cases and contacts: each part is one indexed
query (plus fixed prefetches), lists are capped, and the read is logged in one insert.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casemanagement.policy import clearance_of
from casemanagement.selectors import (
    cases_present,
    cases_visible,
    life_events_for_case_types,
    recent_cases_of_party,
)
from casemanagement.services import normalise_reference
from contactcentre.api.compiled import CompiledQuery
from contactcentre.errors import AccessDenied, NotFound
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.selectors import contact_history, open_callback_summaries
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record, purpose_require
from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.selectors import consent_rows_for_party, party_base_data_view, party_get_for_view

CASES_LIMIT = 50
CONTACTS_LIMIT = 20
CALLBACKS_LIMIT = 20
# A contact stays a valid purpose for opening the view while it is open, and for a while after.
CONTACT_PURPOSE_WINDOW = timedelta(hours=12)
OPEN_CONTACT_MAX_AGE = timedelta(hours=24)


# The contact named as the purpose (the same SQL as `.filter(...).values(...).first()`, compiled once).
_PURPOSE_CONTACT = CompiledQuery(
    lambda contact_id, party_id: ContactMoment.objects.filter(pk=contact_id, party_id=party_id).values(
        "assurance", "ended_at", "started_at"
    )[:1],
    contact_id=-101,
    party_id=-102,
)


@dataclass
class CustomerView:
    """Plain, JSON-ready rows (no model instances): the view is served as is."""

    party: dict
    cases: list[dict]
    contacts: list[dict]
    consents: list[dict]
    callbacks: list[dict]
    life_events: list[dict]
    purpose: str
    purpose_reference: str
    assurance: str


def _purpose_assurance(*, party_id: int, viewer, purpose: str, purpose_reference: str) -> str | None:
    """The identity assurance the purpose carries, or None when the purpose does not hold up."""
    ref = str(purpose_reference or "").strip()
    is_id = ref.isdigit() and len(ref) <= 18  # fits a bigint
    if purpose == Purpose.CONTACT and is_id:
        found = _PURPOSE_CONTACT.rows(contact_id=int(ref), party_id=party_id)
        if not found:
            return None
        contact = found[0]
        now = timezone.now()
        if contact["ended_at"] is not None and contact["ended_at"] < now - CONTACT_PURPOSE_WINDOW:
            return None
        if contact["ended_at"] is None and contact["started_at"] < now - OPEN_CONTACT_MAX_AGE:
            return None  # left open and forgotten: not "the contact at hand"
        return contact["assurance"] or AssuranceLevel.LOW
    if purpose == Purpose.CASE and ref:
        match = Q(reference=normalise_reference(ref)) | (Q(pk=int(ref)) if is_id else Q(pk__in=[]))
        found = cases_visible(principal=viewer).filter(match, party_id=party_id).exists()
        # Working on a case is not an identification of the person: the lowest level applies.
        return AssuranceLevel.LOW if found else None
    return None


def purpose_check(*, party_id: int, viewer, purpose: str, purpose_reference: str, object_type: str) -> tuple[str, str]:
    """(purpose, assurance) for opening this party's data, or AccessDenied with a "denied" record.

    A valid purpose is a contact moment of this party (open, or ended less than
    CONTACT_PURPOSE_WINDOW ago) or a case of this party, named by its id or reference.
    """
    purpose = purpose_require(
        actor=viewer,
        purpose=purpose,
        purpose_reference=purpose_reference,
        action=ProcessingRecord.Action.READ,
        object_type=object_type,
        party_ids=[party_id],
        object_id=str(party_id),
    )
    assurance = _purpose_assurance(
        party_id=party_id, viewer=viewer, purpose=purpose, purpose_reference=purpose_reference
    )
    if assurance is None:
        processing_log_record(
            actor=viewer,
            action=ProcessingRecord.Action.READ,
            object_type=object_type,
            object_id=str(party_id),
            party_ids=[party_id],
            purpose=purpose,
            purpose_reference=purpose_reference,
            outcome=ProcessingRecord.Outcome.DENIED,
        )
        raise AccessDenied(
            _("Het opgegeven contactmoment of de zaak hoort niet bij deze persoon."),
            code="purpose_invalid",
            field_errors={"purpose_reference": [_("Geen lopend contact of zaak van deze persoon.")]},
        )
    return purpose, assurance


def customer_view(*, party_id: int, viewer, purpose: str, purpose_reference: str) -> CustomerView:
    """Everything the first line may know of one party, for one purpose; logs the read.

    No valid purpose (a contact moment of this party, or a case of this party) -> AccessDenied and a
    "denied" record in the processing log.
    """
    purpose, assurance = purpose_check(
        party_id=party_id,
        viewer=viewer,
        purpose=purpose,
        purpose_reference=purpose_reference,
        object_type="customer_view",
    )
    party = party_get_for_view(party_id=party_id)
    if party is None:
        raise NotFound(_("Deze persoon of organisatie is niet gevonden."))

    base_data = party_base_data_view(party=party, viewer=viewer, assurance=assurance)
    clearance = clearance_of(viewer)
    case_rows = recent_cases_of_party(party_id=party_id, principal=viewer, clearance=clearance, limit=CASES_LIMIT)
    cases = cases_present(cases=case_rows, principal=viewer, assurance=assurance, clearance=clearance, log=False)
    contacts = contact_history(party_id=party_id, principal=viewer, limit=CONTACTS_LIMIT)
    callbacks = open_callback_summaries(party_id=party_id, principal=viewer, limit=CALLBACKS_LIMIT)
    consents = consent_rows_for_party(party_id=party_id)
    # Only cases shown with their type may suggest life events: a hidden type must not leak through.
    shown_case_ids = {summary["id"] for summary in cases if summary["case_type"] is not None}
    open_case_types = {c.case_type_id for c in case_rows if c.pk in shown_case_ids and c.closed_at is None}
    life_events = _fitting_life_events(open_case_types, contacts)

    processing_log_record(
        actor=viewer,
        action=ProcessingRecord.Action.READ,
        object_type="customer_view",
        object_id=str(party_id),
        party_ids=[party_id],
        purpose=purpose,
        purpose_reference=purpose_reference,
    )
    return CustomerView(
        party=base_data,
        cases=cases,
        contacts=contacts,
        consents=consents,
        callbacks=callbacks,
        life_events=life_events,
        purpose=purpose,
        purpose_reference=str(purpose_reference),
        assurance=assurance,
    )


def _fitting_life_events(case_type_ids: set[int], contacts: list[dict]) -> list[dict]:
    """Life events of the open cases' types and of recent contacts, what is most going on first: a
    recent contact about a life event counts double, each open case of a type belonging to it once."""
    events: dict[str, dict] = {}
    for event in life_events_for_case_types(case_type_ids=case_type_ids):
        events[event.slug] = {"slug": event.slug, "name": event.name, "score": event.matching_case_types}
    for contact in contacts:
        slug = contact["life_event_slug"]
        if slug:
            entry = events.setdefault(slug, {"slug": slug, "name": contact["life_event_name"], "score": 0})
            entry["score"] += 2
    ranked = sorted(events.values(), key=lambda event: -event["score"])  # stable: ties keep case-type order
    return [{"slug": event["slug"], "name": event["name"]} for event in ranked]
