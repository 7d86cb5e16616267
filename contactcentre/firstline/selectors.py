"""The integrated customer view: one person as the first line sees them across every organisation
and every channel, opened only for a stated purpose (the contact at hand or a case).

Its query count is constant whatever the number of cases and contacts: each part is one indexed
query (plus fixed prefetches), lists are capped, and the read is logged in one insert.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from casemanagement.policy import clearance_of
from casemanagement.selectors import (
    cases_present,
    life_events_ranked,
    open_case_life_events_deferred,
    recent_cases_deferred,
)
from contactcentre.api.compiled import QueryBatch, run_alone
from contactcentre.errors import AccessDenied
from contactcentre.interactions.selectors import contact_history_deferred, open_callbacks_deferred
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record, purpose_establish_deferred
from contactcentre.registry.assurance import AssuranceLevel
from contactcentre.registry.selectors import (
    consent_rows_deferred,
    party_base_data_view,
    party_for_view_deferred,
    party_not_found,
)

CASES_LIMIT = 50
CONTACTS_LIMIT = 20
CALLBACKS_LIMIT = 20


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


def purpose_check(**check) -> tuple[str, str]:
    """(purpose, assurance) for opening this party's data, or AccessDenied with a "denied" record;
    takes the arguments of `purpose_check_deferred` but the batch.

    A valid purpose is the contact at hand with this party (its identity assurance applies) or a case
    of this party (working on a case identifies nobody: the lowest level applies); the processing
    log's reference checkers, registered by interactions and casemanagement, decide.
    """
    return run_alone(purpose_check_deferred, **check)


def purpose_check_deferred(
    batch: QueryBatch, *, party_id: int, viewer, purpose: str, purpose_reference: str, object_type: str
) -> Callable[[], tuple[str, str]]:
    """`purpose_check` with the reference check in `batch`; call the result once the batch has run,
    before anything read in it is used. No purpose at all is refused at once."""
    if purpose not in (Purpose.CONTACT, Purpose.CASE):
        # Other purposes (supervision, ...) do not open the first line's view of a person.
        processing_log_record(
            actor=viewer,
            action=ProcessingRecord.Action.READ,
            object_type=object_type,
            object_id=str(party_id),
            party_ids=[party_id],
            purpose=purpose or "none",
            purpose_reference=purpose_reference or "",
            outcome=ProcessingRecord.Outcome.DENIED,
        )
        raise AccessDenied(
            _("Open een persoon voor het contact dat u nu voert of voor een zaak."),
            code="purpose_required",
            field_errors={"purpose": [_("Doel en kenmerk (contactmoment of zaak) zijn verplicht.")]},
        )
    establish = purpose_establish_deferred(
        batch,
        actor=viewer,
        purpose=purpose,
        purpose_reference=purpose_reference,
        action=ProcessingRecord.Action.READ,
        object_type=object_type,
        party_ids=[party_id],
        object_id=str(party_id),
    )

    def established() -> tuple[str, str]:
        purpose_found, evidence = establish()
        return purpose_found, evidence if purpose_found == Purpose.CONTACT else AssuranceLevel.LOW

    return established


def customer_view(*, party_id: int, viewer, purpose: str, purpose_reference: str) -> CustomerView:
    """Everything the first line may know of one party, for one purpose; logs the read.

    No valid purpose (a contact moment of this party, or a case of this party) -> AccessDenied and a
    "denied" record in the processing log.
    """
    # The purpose check and every part of the view are one statement (contactcentre.api.compiled.
    # QueryBatch); nothing read is used before the purpose is established.
    batch = QueryBatch()
    established = purpose_check_deferred(
        batch,
        party_id=party_id,
        viewer=viewer,
        purpose=purpose,
        purpose_reference=purpose_reference,
        object_type="customer_view",
    )
    clearance = clearance_of(viewer)
    party_found = party_for_view_deferred(batch, party_id=party_id)
    cases_found = recent_cases_deferred(
        batch, party_id=party_id, principal=viewer, clearance=clearance, limit=CASES_LIMIT
    )
    contacts_found = contact_history_deferred(batch, party_id=party_id, principal=viewer, limit=CONTACTS_LIMIT)
    callbacks_found = open_callbacks_deferred(batch, party_id=party_id, principal=viewer, limit=CALLBACKS_LIMIT)
    consents_found = consent_rows_deferred(batch, party_id=party_id)
    life_events_found = open_case_life_events_deferred(batch, party_id=party_id)
    batch.run()
    purpose, assurance = established()

    party = party_found()
    if party is None:
        raise party_not_found()
    base_data = party_base_data_view(party=party, viewer=viewer, assurance=assurance)
    case_rows = cases_found()
    cases = cases_present(cases=case_rows, principal=viewer, assurance=assurance, clearance=clearance, log=False)
    contacts = contacts_found()
    # Only cases shown with their type may suggest life events: a hidden type must not leak through.
    shown_case_ids = {summary["id"] for summary in cases if summary["case_type"] is not None}
    open_case_types = {c.case_type_id for c in case_rows if c.pk in shown_case_ids and c.closed_at is None}
    life_events = _fitting_life_events(life_events_ranked(life_events_found(), case_type_ids=open_case_types), contacts)

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
        consents=consents_found(),
        callbacks=callbacks_found(),
        life_events=life_events,
        purpose=purpose,
        purpose_reference=str(purpose_reference),
        assurance=assurance,
    )


def _fitting_life_events(case_life_events: list[dict], contacts: list[dict]) -> list[dict]:
    """Life events of the open cases' types and of recent contacts, what is most going on first: a
    recent contact about a life event counts double, each open case of a type belonging to it once."""
    events: dict[str, dict] = {}
    for event in case_life_events:
        events[event["slug"]] = {"slug": event["slug"], "name": event["name"], "score": event["matching_case_types"]}
    for contact in contacts:
        slug = contact["life_event_slug"]
        if slug:
            entry = events.setdefault(slug, {"slug": slug, "name": contact["life_event_name"], "score": 0})
            entry["score"] += 2
    ranked = sorted(events.values(), key=lambda event: -event["score"])  # stable: ties keep case-type order
    return [{"slug": event["slug"], "name": event["name"]} for event in ranked]
