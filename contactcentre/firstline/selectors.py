"""The integrated customer view: one person as the first line sees them across every organisation
and every channel, opened only for the contact at hand or a case.

Its query count is constant whatever the number of cases and contacts: each part is one indexed
query, lists are capped, and the read is logged in one insert. It is the busiest read of the first
line, so on PostgreSQL its reads take the one fenced fast path of this project (DESIGN.md rule 11):
explicit SQL through the public cursor API (`_reads_by_sql`), tested to return exactly what the
plain ORM selectors return (`_reads_by_orm`, used on other databases and for other principals) in
tests/firstline/test_customer_view_fast_path.py.
"""

# ruff: noqa: S608 - the fast path's SQL is built from model metadata only; every value is a parameter

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from casemanagement.models import Case, CaseType, Confidentiality, StatusType
from casemanagement.policy import Clearance, clearance_of
from casemanagement.selectors import (
    RECENT_CLOSED_DAYS,
    cases_present,
    life_events_ranked,
    open_case_life_events,
    recent_cases,
)
from contactcentre.interactions.models import CallbackRequest, ContactMoment, WorkQueue
from contactcentre.interactions.selectors import (
    CALLBACK_SUMMARY_FIELDS,
    CONTACT_SUMMARY_FIELDS,
    VIEW_CALLBACK,
    VIEW_CONTACT,
    contact_history,
    open_callbacks,
)
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.purposes import FIRST_LINE_PURPOSES
from contactcentre.processinglog.services import processing_log_record, purpose_grant
from contactcentre.registry.models import Address, BankAccount, Consent, DigitalAddress, Organisation, Party
from contactcentre.registry.selectors import (
    PartyRelated,
    consent_rows,
    party_base_data_view,
    party_for_view,
    party_not_found,
)
from lifeevents.models import LifeEvent

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


@dataclass
class Reads:
    """Everything the view reads of one person, before it is shaped for the viewer."""

    party: Party | None
    related: PartyRelated | None
    cases: list[Case]
    contacts: list[dict]
    case_life_events: list[dict]
    consents: list[dict]
    callbacks: list[dict]


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
    clearance = clearance_of(viewer)
    fast = connection.vendor == "postgresql" and clearance in (Clearance.FIRST_LINE, Clearance.SUPERVISOR)
    reads = (_reads_by_sql if fast else _reads_by_orm)(party_id=party_id, principal=viewer, clearance=clearance)
    if reads.party is None:
        raise party_not_found()
    assurance = grant.assurance_cap
    base_data = party_base_data_view(party=reads.party, viewer=viewer, assurance=assurance, related=reads.related)
    cases = cases_present(cases=reads.cases, principal=viewer, assurance=assurance, clearance=clearance, log=False)
    # Only cases shown with their type may suggest life events: a hidden type must not leak through.
    shown_case_ids = {summary["id"] for summary in cases if summary["case_type"] is not None}
    open_case_types = {c.case_type_id for c in reads.cases if c.pk in shown_case_ids and c.closed_at is None}
    ranked = life_events_ranked(reads.case_life_events, case_type_ids=open_case_types)
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
        contacts=reads.contacts,
        consents=reads.consents,
        callbacks=reads.callbacks,
        life_events=_fitting_life_events(ranked, reads.contacts),
        purpose=grant.purpose,
        purpose_reference=str(purpose_reference),
        assurance=assurance,
    )


def _reads_by_orm(*, party_id: int, principal: Principal, clearance: Clearance) -> Reads:
    """The plain selectors of the apps that own each part."""
    party = party_for_view(party_id=party_id)
    if party is None:
        return Reads(None, None, [], [], [], [], [])
    return Reads(
        party=party,
        related=PartyRelated.prefetched(party),
        cases=recent_cases(party_id=party_id, principal=principal, clearance=clearance, limit=CASES_LIMIT),
        contacts=contact_history(party_id=party_id, principal=principal, limit=CONTACTS_LIMIT),
        case_life_events=open_case_life_events(party_id=party_id),
        consents=consent_rows(party_id=party_id),
        callbacks=open_callbacks(party_id=party_id, principal=principal, limit=CALLBACKS_LIMIT),
    )


# --- the fenced fast path: explicit SQL through the public cursor API, PostgreSQL only -------------
# Building and compiling nine ORM querysets cost most of this view's CPU; the statements below are the
# same reads written out once. Each must return exactly what its ORM selector returns (tested).


def _columns(model, alias: str) -> tuple[list[str], str]:
    fields = [field.attname for field in model._meta.concrete_fields]
    return fields, ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


_PARTY_FIELDS, _PARTY_COLUMNS = _columns(Party, "p")
_ADDRESS_FIELDS, _ADDRESS_COLUMNS = _columns(Address, "a")
_DIGITAL_FIELDS, _DIGITAL_COLUMNS = _columns(DigitalAddress, "d")
_ACCOUNT_FIELDS, _ACCOUNT_COLUMNS = _columns(BankAccount, "b")
_CASE_FIELDS, _CASE_COLUMNS = _columns(Case, "c")
_ORGANISATION_FIELDS, _ORGANISATION_COLUMNS = _columns(Organisation, "o")
_CASE_TYPE_FIELDS, _CASE_TYPE_COLUMNS = _columns(CaseType, "t")
_STATUS_FIELDS, _STATUS_COLUMNS = _columns(StatusType, "s")

_USER = get_user_model()._meta.db_table
_LIFE_EVENT = LifeEvent._meta.db_table

_PARTY_SQL = f"SELECT {_PARTY_COLUMNS} FROM {Party._meta.db_table} p WHERE p.id = %s"
_ADDRESSES_SQL = f"SELECT {_ADDRESS_COLUMNS} FROM {Address._meta.db_table} a WHERE a.party_id = %s ORDER BY a.kind"
_DIGITAL_SQL = (
    f"SELECT {_DIGITAL_COLUMNS} FROM {DigitalAddress._meta.db_table} d WHERE d.party_id = %s"
    " ORDER BY d.kind, d.is_default DESC, d.id"
)
_ACCOUNTS_SQL = (
    f"SELECT {_ACCOUNT_COLUMNS} FROM {BankAccount._meta.db_table} b WHERE b.party_id = %s"
    " ORDER BY b.is_default DESC, b.id"
)
# cases_of_party(recent_only=True) for the first line (no secret cases) and supervisors (all).
_CASES_SQL = (
    f"SELECT {_CASE_COLUMNS}, {_ORGANISATION_COLUMNS}, {_CASE_TYPE_COLUMNS}, {_STATUS_COLUMNS}"
    f" FROM {Case._meta.db_table} c"
    f" JOIN {Organisation._meta.db_table} o ON o.id = c.organisation_id"
    f" JOIN {CaseType._meta.db_table} t ON t.id = c.case_type_id"
    f" LEFT JOIN {StatusType._meta.db_table} s ON s.id = c.status_id"
    " WHERE c.party_id = %s AND (c.closed_at IS NULL OR c.closed_at >= %s) AND c.confidentiality <> ALL(%s)"
    " ORDER BY c.closed_at DESC NULLS FIRST, c.deadline ASC, c.id DESC LIMIT %s"
)
_LIFE_EVENTS_SQL = (
    "SELECT l.casetype_id, e.slug, e.name, e.ordering"
    f" FROM {CaseType.life_events.through._meta.db_table} l JOIN {_LIFE_EVENT} e ON e.id = l.lifeevent_id"
    f" WHERE l.casetype_id IN (SELECT case_type_id FROM {Case._meta.db_table}"
    " WHERE party_id = %s AND closed_at IS NULL)"
)
_CONTACT_COLUMNS = ", ".join(f'm."{ContactMoment._meta.get_field(name).column}"' for name in CONTACT_SUMMARY_FIELDS)
_CONTACTS_SQL = (
    f"SELECT {_CONTACT_COLUMNS}, u.username, o.code, e.slug, e.name FROM {ContactMoment._meta.db_table} m"
    f" LEFT JOIN {_USER} u ON u.id = m.agent_id"
    f" LEFT JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id"
    f" LEFT JOIN {_LIFE_EVENT} e ON e.id = m.life_event_id"
    " WHERE m.party_id = %s ORDER BY m.started_at DESC, m.id DESC LIMIT %s"
)
_CONTACT_KEYS = (*CONTACT_SUMMARY_FIELDS, "agent_username", "organisation_code", "life_event_slug", "life_event_name")
_CONSENTS_SQL = (
    f"SELECT c.purpose, o.code, c.granted, c.channel, c.changed_at FROM {Consent._meta.db_table} c"
    f" LEFT JOIN {Organisation._meta.db_table} o ON o.id = c.organisation_id"
    " WHERE c.party_id = %s ORDER BY c.purpose, c.id"
)
_CONSENT_KEYS = ("purpose", "organisation", "granted", "channel", "changed_at")
_CALLBACKS_SQL = (
    "SELECT r.id, r.phone_number, r.call_after, r.call_before, r.question, r.status, r.created_at,"
    f" r.contact_moment_id, q.code, u.username FROM {CallbackRequest._meta.db_table} r"
    f" JOIN {WorkQueue._meta.db_table} q ON q.id = r.queue_id"
    f" LEFT JOIN {_USER} u ON u.id = r.assigned_to_id"
    " WHERE r.party_id = %s AND r.status = ANY(%s) ORDER BY r.call_after, r.id LIMIT %s"
)
_CALLBACK_KEYS = (*CALLBACK_SUMMARY_FIELDS, "queue_code", "assigned_to_username")


def _instance(model, fields: list[str], values) -> object:
    """A model instance from its columns, values converted as the ORM converts them (JSON text)."""
    converters = _CONVERTERS.get(model)
    if converters is None:
        converters = _CONVERTERS.setdefault(
            model,
            [
                (index, field.from_db_value)
                for index, field in enumerate(model._meta.concrete_fields)
                if hasattr(field, "from_db_value")
            ],
        )
    if converters:
        values = list(values)
        for index, convert in converters:
            values[index] = convert(values[index], None, connection)
    return model.from_db(connection.alias, fields, values)


_CONVERTERS: dict[type, list] = {}


def _reads_by_sql(*, party_id: int, principal: Principal, clearance: Clearance) -> Reads:
    """What `_reads_by_orm` returns, for the first line and supervisors, in explicit SQL."""
    hidden = [Confidentiality.SECRET.value] if clearance == Clearance.FIRST_LINE else []
    cutoff = timezone.now() - timedelta(days=RECENT_CLOSED_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(_PARTY_SQL, [party_id])
        row = cursor.fetchone()
        if row is None:
            return Reads(None, None, [], [], [], [], [])
        party = _instance(Party, _PARTY_FIELDS, row)
        related = []
        for sql, model, fields in (
            (_ADDRESSES_SQL, Address, _ADDRESS_FIELDS),
            (_DIGITAL_SQL, DigitalAddress, _DIGITAL_FIELDS),
            (_ACCOUNTS_SQL, BankAccount, _ACCOUNT_FIELDS),
        ):
            cursor.execute(sql, [party_id])
            related.append([_instance(model, fields, values) for values in cursor.fetchall()])
        cursor.execute(_CASES_SQL, [party_id, cutoff, hidden, CASES_LIMIT])
        cases = [_case(values) for values in cursor.fetchall()]
        cursor.execute(_LIFE_EVENTS_SQL, [party_id])
        life_events = [dict(zip(("casetype_id", "slug", "name", "ordering"), r, strict=True)) for r in cursor]
        contacts = []
        if principal.has_perm(VIEW_CONTACT):
            cursor.execute(_CONTACTS_SQL, [party_id, CONTACTS_LIMIT])
            contacts = [dict(zip(_CONTACT_KEYS, values, strict=True)) for values in cursor.fetchall()]
        cursor.execute(_CONSENTS_SQL, [party_id])
        consents = [dict(zip(_CONSENT_KEYS, values, strict=True)) for values in cursor.fetchall()]
        callbacks = []
        if principal.has_perm(VIEW_CALLBACK):
            cursor.execute(_CALLBACKS_SQL, [party_id, list(CallbackRequest.OPEN_STATUSES), CALLBACKS_LIMIT])
            callbacks = [dict(zip(_CALLBACK_KEYS, values, strict=True)) for values in cursor.fetchall()]
    return Reads(party, PartyRelated(*related), cases, contacts, life_events, consents, callbacks)


_CASE_SPLITS = (
    len(_CASE_FIELDS),
    len(_CASE_FIELDS) + len(_ORGANISATION_FIELDS),
    len(_CASE_FIELDS) + len(_ORGANISATION_FIELDS) + len(_CASE_TYPE_FIELDS),
)


def _case(values) -> Case:
    """A case with its organisation, type and status as select_related would attach them."""
    one, two, three = _CASE_SPLITS
    case = _instance(Case, _CASE_FIELDS, values[:one])
    case.organisation = _instance(Organisation, _ORGANISATION_FIELDS, values[one:two])
    case.case_type = _instance(CaseType, _CASE_TYPE_FIELDS, values[two:three])
    case.status = _instance(StatusType, _STATUS_FIELDS, values[three:]) if case.status_id is not None else None
    return case


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
