"""The integrated customer view: one person as the first line sees them across every organisation
and every channel, opened only for the contact at hand or a case.

Its query count is constant whatever the number of cases and contacts: each part is one indexed
query (plus fixed prefetches), lists are capped, and the read is logged in one insert.
"""

from dataclasses import dataclass

from casemanagement.policy import clearance_of
from casemanagement.selectors import cases_present, life_events_ranked, open_case_life_events, recent_cases
from contactcentre.interactions.selectors import contact_history, open_callbacks
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import Purpose
from contactcentre.processinglog.services import processing_log_record, purpose_grant
from contactcentre.registry.selectors import consent_rows, party_base_data_view, party_for_view, party_not_found

CASES_LIMIT = 50
CONTACTS_LIMIT = 20
CALLBACKS_LIMIT = 20
# Other purposes (supervision, ...) do not open the first line's view of a person.
FIRST_LINE_PURPOSES = (Purpose.CONTACT, Purpose.CASE)


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


def customer_view(*, party_id: int, viewer: Principal, purpose: str, purpose_reference: str) -> CustomerView:
    """Everything the first line may know of one party, for one purpose; logs the read.

    No valid purpose (the contact at hand with this party, or a case of this party) -> AccessDenied and
    a "denied" record in the processing log. What is shown follows the grant's assurance cap.
    """
    grant = purpose_grant(
        principal=viewer,
        purpose=purpose,
        reference=purpose_reference,
        purposes=FIRST_LINE_PURPOSES,
        action=ProcessingRecord.Action.READ,
        object_type="customer_view",
        party_ids=[party_id],
        object_id=str(party_id),
    )
    party = party_for_view(party_id=party_id)
    if party is None:
        raise party_not_found()
    assurance = grant.assurance_cap
    base_data = party_base_data_view(party=party, viewer=viewer, assurance=assurance)
    clearance = clearance_of(viewer)
    case_rows = recent_cases(party_id=party_id, principal=viewer, clearance=clearance, limit=CASES_LIMIT)
    cases = cases_present(cases=case_rows, principal=viewer, assurance=assurance, clearance=clearance, log=False)
    contacts = contact_history(party_id=party_id, principal=viewer, limit=CONTACTS_LIMIT)
    # Only cases shown with their type may suggest life events: a hidden type must not leak through.
    shown_case_ids = {summary["id"] for summary in cases if summary["case_type"] is not None}
    open_case_types = {c.case_type_id for c in case_rows if c.pk in shown_case_ids and c.closed_at is None}
    case_life_events = open_case_life_events(party_id=party_id) if open_case_types else []
    life_events = _fitting_life_events(life_events_ranked(case_life_events, case_type_ids=open_case_types), contacts)

    processing_log_record(
        actor=viewer,
        action=ProcessingRecord.Action.READ,
        object_type="customer_view",
        object_id=str(party_id),
        party_ids=[party_id],
        purpose=grant.purpose,
        purpose_reference=grant.reference,
    )
    return CustomerView(
        party=base_data,
        cases=cases,
        contacts=contacts,
        consents=consent_rows(party_id=party_id),
        callbacks=open_callbacks(party_id=party_id, principal=viewer, limit=CALLBACKS_LIMIT),
        life_events=life_events,
        purpose=grant.purpose,
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
