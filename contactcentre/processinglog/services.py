"""The one helper every selector and service calls when it reads or writes a person's data."""

from collections.abc import Callable, Iterable
from typing import NoReturn

from django.utils.translation import gettext as _

from contactcentre.api.compiled import CompiledInsert, QueryBatch, run_alone
from contactcentre.api.logging import current_trace_id
from contactcentre.errors import AccessDenied
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.processinglog.purposes import STAFF_PURPOSES, Purpose

# Subject of a denied attempt before any person was identified (e.g. a search without a purpose).
UNKNOWN_SUBJECT = "-"

# Checks that a stated reference is real, per purpose: `check(batch, *, actor, reference, party_ids)`
# adds its query to a QueryBatch and returns a callable that, once the batch has run, answers something
# truthy (its evidence) or something falsy; so the check can share a statement with the read it guards.
# The apps that own contacts and cases (layers above) register theirs in AppConfig.ready(), so this
# layer can check "the contact at hand" without importing them.
_reference_checkers: dict[str, Callable[..., Callable[[], object]]] = {}
# Every read of people's data writes a record per person: the statement is compiled once per count.
_INSERT_RECORDS = CompiledInsert(ProcessingRecord)


def purpose_reference_checker_register(*, purpose: str, check: Callable[..., Callable[[], object]]):
    """Register the checker of `purpose`; returns the one it replaces (or None)."""
    previous = _reference_checkers.get(purpose)
    _reference_checkers[purpose] = check
    return previous


def purpose_reference_checker_unregister(*, purpose: str) -> None:
    _reference_checkers.pop(purpose, None)


def _actor_fields(actor) -> dict:
    if actor is None:
        return {"actor_type": ProcessingRecord.ActorType.SYSTEM, "actor_id": "system", "actor_label": "systeem"}
    if getattr(actor, "is_api_client", False):
        return {
            "actor_type": ProcessingRecord.ActorType.API_CLIENT,
            "actor_id": f"client:{actor.pk}",
            "actor_label": actor.name,
            "organisation_code": actor.organisation.code,
        }
    if getattr(actor, "is_citizen", False):
        return {"actor_type": ProcessingRecord.ActorType.CITIZEN, "actor_id": f"citizen:{actor.pk}", "actor_label": ""}
    return {
        "actor_type": ProcessingRecord.ActorType.USER,
        "actor_id": f"user:{actor.pk}",
        "actor_label": actor.get_username(),
    }


def processing_log_record(
    *,
    actor,
    action: str,
    object_type: str,
    party_ids: Iterable[int],
    purpose: str,
    purpose_reference: str = "",
    object_id: str = "",
    outcome: str = ProcessingRecord.Outcome.SUCCESS,
) -> None:
    """Write one record per person whose data was processed (a list of N people writes N records).

    `actor` is a user, an ApiClient, a citizen principal or None for the system itself.
    """
    base = _actor_fields(actor) | {
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id)[:64],
        "purpose": str(purpose)[:64],
        "purpose_reference": str(purpose_reference)[:64],
        "outcome": outcome,
        "trace_id": current_trace_id.get(),
    }
    subjects = [subject_pseudonym(pid) for pid in dict.fromkeys(party_ids)]
    if len(subjects) > _INSERT_RECORDS.max_rows:
        ProcessingRecord.objects.bulk_create([ProcessingRecord(subject=subject, **base) for subject in subjects])
    elif subjects:  # a page of results: one INSERT, no transaction around it
        _INSERT_RECORDS.insert([base | {"subject": subject} for subject in subjects])


def purpose_is_valid(*, actor, purpose: str, purpose_reference: str) -> bool:
    """Citizens act for themselves; everyone else names a staff purpose and what it refers to."""
    if getattr(actor, "is_citizen", False):
        return purpose in ("", Purpose.SELF_SERVICE)
    if actor is None:
        return bool(purpose)
    return purpose in STAFF_PURPOSES and bool(str(purpose_reference or "").strip())


def purpose_require(
    *,
    actor,
    purpose: str,
    purpose_reference: str,
    action: str,
    object_type: str,
    party_ids: Iterable[int] = (),
    object_id: str = "",
) -> str:
    """Raise AccessDenied (403) and log a "denied" record when no valid purpose is stated.

    Returns the effective purpose. Call it before opening a transaction that the refusal would roll
    back, so the denied record is kept.
    """
    return purpose_establish(
        actor=actor,
        purpose=purpose,
        purpose_reference=purpose_reference,
        action=action,
        object_type=object_type,
        party_ids=party_ids,
        object_id=object_id,
    )[0]


def purpose_establish(**check) -> tuple[str, object]:
    """`purpose_require` that also returns what the reference checker found: (purpose, evidence).
    Takes the arguments of `purpose_require`.

    The evidence is the checker's truthy answer (the contact checker answers the contact's identity
    assurance), or True when no checker is registered for the purpose.
    """
    return run_alone(purpose_establish_deferred, **check)


def purpose_establish_deferred(
    batch: QueryBatch,
    *,
    actor,
    purpose: str,
    purpose_reference: str,
    action: str,
    object_type: str,
    party_ids: Iterable[int] = (),
    object_id: str = "",
) -> Callable[[], tuple[str, object]]:
    """`purpose_establish` with the reference check in `batch`: call the result once the batch has
    run, before anything read with it is used; it answers (purpose, evidence) or logs the denial and
    raises AccessDenied."""
    purpose = str(purpose or "")
    if getattr(actor, "is_citizen", False) and not purpose:
        purpose = Purpose.SELF_SERVICE
    party_ids = list(party_ids)
    stated = purpose_is_valid(actor=actor, purpose=purpose, purpose_reference=purpose_reference)
    check = _reference_checkers.get(purpose) if stated else None
    found = check(batch, actor=actor, reference=str(purpose_reference), party_ids=party_ids) if check else None

    def establish() -> tuple[str, object]:
        evidence = (found() if found else True) if stated else None
        if evidence:
            return purpose, evidence
        _deny(
            actor=actor,
            stated=stated,
            party_ids=party_ids,
            action=action,
            object_type=object_type,
            purpose=purpose or "none",
            purpose_reference=purpose_reference or "",
            object_id=object_id,
        )

    return establish


def _deny(*, actor, stated: bool, party_ids: list[int], **fields) -> NoReturn:
    """Log the denied attempt (per person, or without a subject) and raise AccessDenied."""
    fields["outcome"] = ProcessingRecord.Outcome.DENIED
    if party_ids:
        processing_log_record(actor=actor, party_ids=party_ids, **fields)
    else:
        _denied_without_subject(actor=actor, **fields)
    if stated:
        raise AccessDenied(
            _("Het opgegeven contact of de zaak past niet bij deze persoon of is niet meer open."),
            code="purpose_reference_invalid",
            field_errors={"purpose_reference": [_("Onbekend, gesloten of van een ander.")]},
        )
    raise AccessDenied(
        _("Geef eerst het doel op (het contact of de zaak) voordat u persoonsgegevens opent."),
        code="purpose_required",
        field_errors={"purpose": [_("Doel en kenmerk (contactmoment of zaak) zijn verplicht.")]},
    )


def _denied_without_subject(*, actor, **fields) -> None:
    ProcessingRecord.objects.create(
        subject=UNKNOWN_SUBJECT, trace_id=current_trace_id.get(), **_actor_fields(actor), **fields
    )
