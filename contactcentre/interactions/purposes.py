"""The purpose "the contact at hand": which contact moments may be named as the reason to open a
person's data. Registered with the processing log (a lower layer) in InteractionsConfig.ready()."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from contactcentre.api.compiled import CompiledQuery, QueryBatch, run_alone
from contactcentre.interactions.models import ContactMoment
from contactcentre.registry.assurance import AssuranceLevel

# A contact stays a valid purpose while it is open, and for a while after it ended (the follow-up).
CONTACT_PURPOSE_WINDOW = timedelta(hours=12)
# An open contact older than this was forgotten, not "at hand".
OPEN_CONTACT_MAX_AGE = timedelta(hours=24)

# One row by primary key, compiled once: this runs before every purpose-bound read.
_CONTACT = CompiledQuery(
    lambda contact_id: ContactMoment.objects.filter(pk=contact_id).values(
        "party_id", "agent_id", "assurance", "started_at", "ended_at"
    )[:1],
    contact_id=-101,
)


def contact_at_hand_assurance(*, reference: str, party_ids, agent=None) -> str | None:
    """The identity assurance of the contact named by `reference`, when it is at hand; else None.

    At hand: open (and not forgotten) or ended within CONTACT_PURPOSE_WINDOW, and about one of
    `party_ids`. With no party known yet (a search to identify the caller), the contact must still be
    anonymous and handled by `agent`.
    """
    return run_alone(contact_at_hand_assurance_deferred, reference=reference, party_ids=party_ids, agent=agent)


def contact_at_hand_assurance_deferred(
    batch: QueryBatch, *, reference: str, party_ids, agent=None
) -> Callable[[], str | None]:
    """`contact_at_hand_assurance` with its query in `batch`: call the result once the batch has run."""
    ref = str(reference or "").strip()
    if not (ref.isdigit() and len(ref) <= 18):  # a contact moment id that fits a bigint
        return lambda: None
    found = batch.add(_CONTACT, contact_id=int(ref))
    party_ids = list(party_ids)
    return lambda: _assurance_at_hand(found.rows, party_ids=party_ids, agent=agent)


def _assurance_at_hand(rows: list[dict], *, party_ids: list[int], agent) -> str | None:
    if not rows:
        return None
    contact = rows[0]
    now = timezone.now()
    if contact["ended_at"] is not None and contact["ended_at"] < now - CONTACT_PURPOSE_WINDOW:
        return None
    if contact["ended_at"] is None and contact["started_at"] < now - OPEN_CONTACT_MAX_AGE:
        return None
    if party_ids:
        if contact["party_id"] not in party_ids:
            return None
    elif agent is None or contact["party_id"] is not None or contact["agent_id"] != agent.pk:
        return None
    return contact["assurance"] or AssuranceLevel.LOW


def contact_reference_holds_deferred(
    batch: QueryBatch, *, actor, reference: str, party_ids
) -> Callable[[], str | None]:
    """Checker for Purpose.CONTACT, its query in `batch`; its evidence is the contact's identity
    assurance. Only first-line staff handle contacts; systems state a case."""
    if getattr(actor, "is_api_client", False) or getattr(actor, "is_citizen", False):
        return lambda: None
    return contact_at_hand_assurance_deferred(batch, reference=reference, party_ids=party_ids, agent=actor)
