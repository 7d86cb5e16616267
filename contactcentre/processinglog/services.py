"""The processing log's writes, and `purpose_grant`: the one way a person's data is opened.

Every door, API view and service that opens a person's data calls `purpose_grant` first. It answers
a `Grant` (who, which people, which purpose and reference, the assurance cap) or writes a "denied"
record and raises AccessDenied. Whether a stated reference is real is decided by the reference checker
of its purpose, declared by the app that owns what is referred to (`purpose_checkers` on its AppConfig:
a contact moment in interactions, a case in casemanagement), so this layer checks "the contact at
hand" without importing the layers above it.
"""

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NoReturn

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from contactcentre.api.attempt_limits import counter_add
from contactcentre.errors import AccessDenied, RateLimited
from contactcentre.principal import Principal, PrincipalKind
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.processinglog.purposes import STAFF_PURPOSES, Purpose
from contactcentre.tracing import current_trace_id

logger = logging.getLogger(__name__)

# Subject of a denied attempt before any person was identified (e.g. a search without a purpose).
UNKNOWN_SUBJECT = "-"
LOWEST_ASSURANCE = "low"
# Wrong references (a contact or case that is not this person's, not at hand, not theirs) per person
# or system before their purposes are refused for a while: ids are guessable, guessing is not allowed.
WRONG_REFERENCES_MAX = settings.PURPOSE_WRONG_REFERENCES_MAX
WRONG_REFERENCES_LOCKOUT_SECONDS = settings.PURPOSE_WRONG_REFERENCES_LOCKOUT_SECONDS

_ACTOR_TYPES = {
    PrincipalKind.STAFF: ProcessingRecord.ActorType.USER,
    PrincipalKind.ORGANISATION: ProcessingRecord.ActorType.API_CLIENT,
    PrincipalKind.CITIZEN: ProcessingRecord.ActorType.CITIZEN,
    PrincipalKind.SYSTEM: ProcessingRecord.ActorType.SYSTEM,
}


def actor_fields(principal: Principal) -> dict:
    fields = {"actor_type": _ACTOR_TYPES[principal.kind]}
    if principal.is_staff:
        return fields | {"actor_id": f"user:{principal.user.pk}", "actor_label": principal.user.get_username()}
    if principal.is_organisation:  # its system, or a case worker: a person of that organisation
        return fields | {
            "actor_type": ProcessingRecord.ActorType.USER if principal.is_case_worker else fields["actor_type"],
            "actor_id": principal.key,
            "actor_label": principal.name,
            "organisation_code": principal.organisation_code,
        }
    if principal.is_citizen:  # a pseudonym: the log holds no party id or BSN
        return fields | {"actor_id": f"citizen:{subject_pseudonym(principal.party_id)}", "actor_label": ""}
    return fields | {"actor_id": "system", "actor_label": "systeem"}


def processing_log_record(
    *,
    actor: Principal,
    action: str,
    object_type: str,
    party_ids: Iterable[int],
    purpose: str,
    purpose_reference: str = "",
    object_id: str = "",
    outcome: str = ProcessingRecord.Outcome.SUCCESS,
) -> None:
    """Write one record per person whose data was processed (a list of N people writes N records)."""
    base = actor_fields(actor) | {
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id)[:64],
        "purpose": str(purpose)[:64],
        "purpose_reference": str(purpose_reference)[:64],
        "outcome": outcome,
        "trace_id": current_trace_id.get(),
    }
    subjects = [subject_pseudonym(pid) for pid in dict.fromkeys(party_ids)]
    if len(subjects) == 1:
        ProcessingRecord.objects.create(subject=subjects[0], **base)
    elif subjects:
        ProcessingRecord.objects.bulk_create([ProcessingRecord(subject=subject, **base) for subject in subjects])


# --- purpose binding -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """Leave to open the data of `party_ids` for one purpose. `assurance_cap` is the most identity
    assurance a read under it may be shown at: the contact's own level for "the contact at hand",
    the lowest for a case or a purpose without a reference checker (they identify nobody), the
    citizen's sign-in level; empty for the system, which sets no cap."""

    principal: Principal
    party_ids: tuple[int, ...]
    purpose: str
    reference: str
    assurance_cap: str


ReferenceChecker = Callable[..., str | None]


@functools.cache
def _reference_checkers() -> dict[str, ReferenceChecker]:
    """{purpose: checker}, from the `purpose_checkers` the apps declare on their AppConfig. A checker
    is called `check(principal=, reference=, party_ids=)` and answers the assurance cap when the
    reference holds for that principal and those people, else None."""
    checkers = {}
    for config in apps.get_app_configs():
        for purpose, path in getattr(config, "purpose_checkers", {}).items():
            checkers[str(purpose)] = import_string(path)
    return checkers


def _stated(principal: Principal, purpose: str, reference: str, purposes) -> bool:
    if purpose not in purposes:
        return False
    if principal.is_citizen:
        return purpose == Purpose.SELF_SERVICE
    if principal.is_system:
        return True
    return purpose in STAFF_PURPOSES and bool(reference)


def purpose_grant(
    *,
    principal: Principal,
    purpose: str,
    reference: str = "",
    action: str,
    object_type: str,
    party_ids: Iterable[int] = (),
    object_id: str = "",
    purposes: Iterable[str] = tuple(Purpose),
    organisation_scoped: bool = False,
) -> Grant:
    """Leave for `principal` to process the data of `party_ids` for `purpose` (with its reference:
    a contact moment id, a case id or reference), or a "denied" record per person and AccessDenied.

    - A citizen acts for themselves (purpose self-service, stated or not), capped at their sign-in.
    - Staff state one of `purposes` with a reference that its app's checker confirms.
    - The system states a purpose; it has no cap.
    - An organisation's system states a purpose and reference like staff; or, where the caller reads
      only its own organisation's records (`organisation_scoped`), acts on its cases without one.

    Call it before opening a transaction that a refusal would roll back, so the denied record is kept.
    """
    purpose, reference, party_ids = str(purpose or ""), str(reference or "").strip(), tuple(party_ids)
    purposes = {str(item) for item in purposes}
    if not principal.is_system and _wrong_references(principal) >= WRONG_REFERENCES_MAX:
        _refuse_locked(
            principal, party_ids, action=action, object_type=object_type, purpose=purpose, object_id=object_id
        )
    if principal.is_citizen and not purpose:
        purpose = Purpose.SELF_SERVICE
    if principal.is_organisation and organisation_scoped and not purpose:
        purpose, reference = Purpose.CASE, f"api:{principal.client.pk}"
        return Grant(principal, party_ids, purpose, reference, LOWEST_ASSURANCE)
    stated = _stated(principal, purpose, reference, purposes)
    cap = None
    if stated:
        if principal.is_citizen:
            cap = principal.assurance
        elif principal.is_system:
            cap = ""
        else:
            check = _reference_checkers().get(purpose)
            cap = check(principal=principal, reference=reference, party_ids=party_ids) if check else LOWEST_ASSURANCE
    if cap is not None:
        return Grant(principal, party_ids, purpose, reference, cap)
    if stated and not principal.is_system:
        _count_wrong_reference(principal)
    _deny(
        principal=principal,
        stated=stated,
        party_ids=party_ids,
        action=action,
        object_type=object_type,
        purpose=purpose or "none",
        purpose_reference=reference,
        object_id=object_id,
    )


def _wrong_references_key(principal: Principal) -> str:
    return f"purpose:wrong-references:{principal.key}"


def _wrong_references(principal: Principal) -> int:
    """Wrong references in the current window. The cache being down does not stop the first line
    (the read is refused when counting a wrong reference, never waved through uncounted)."""
    try:
        return int(cache.get(_wrong_references_key(principal)) or 0)
    except Exception:  # noqa: BLE001 - any cache failure: carry on, the next wrong one is refused (503)
        logger.warning("wrong-reference count unavailable")
        return 0


def _count_wrong_reference(principal: Principal) -> None:
    count = counter_add(_wrong_references_key(principal), 1, timeout=WRONG_REFERENCES_LOCKOUT_SECONDS)
    if count == WRONG_REFERENCES_MAX:
        # The supervisors see this in the processing log and, through the sweep in interactions, on their queue.
        ProcessingRecord.objects.create(
            subject=UNKNOWN_SUBJECT,
            trace_id=current_trace_id.get(),
            action=ProcessingRecord.Action.READ,
            object_type="purpose_lockout",
            purpose="none",
            outcome=ProcessingRecord.Outcome.DENIED,
            **actor_fields(principal),
        )
        logger.warning("purposes locked after wrong references", extra={"actor": actor_fields(principal)["actor_id"]})


def _refuse_locked(principal: Principal, party_ids: tuple[int, ...], **fields) -> NoReturn:
    fields["purpose"] = fields["purpose"] or "none"
    _log_denied(principal, party_ids, **fields)
    raise RateLimited(
        _("Te veel onjuiste verwijzingen naar contacten of zaken. Probeer het later opnieuw."), code="purpose_locked"
    )


def _log_denied(principal: Principal, party_ids: tuple[int, ...], **fields) -> None:
    fields["outcome"] = ProcessingRecord.Outcome.DENIED
    if party_ids:
        processing_log_record(actor=principal, party_ids=party_ids, **fields)
    else:
        ProcessingRecord.objects.create(
            subject=UNKNOWN_SUBJECT, trace_id=current_trace_id.get(), **actor_fields(principal), **fields
        )


def _deny(*, principal: Principal, stated: bool, party_ids: tuple[int, ...], **fields) -> NoReturn:
    """Log the denied attempt (per person, or without a subject) and raise AccessDenied."""
    _log_denied(principal, party_ids, **fields)
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
