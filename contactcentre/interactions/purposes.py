"""The purpose "the contact at hand": which contact moment may be named as the reason to open a
person's data. Declared as the processing log's checker for Purpose.CONTACT in InteractionsConfig."""

from datetime import timedelta

from django.utils import timezone

from contactcentre.interactions.models import ContactMoment
from contactcentre.principal import Principal
from contactcentre.registry.assurance import AssuranceLevel

# A contact stays a valid purpose while it is open, and for a while after it ended (the follow-up).
CONTACT_PURPOSE_WINDOW = timedelta(hours=12)
# An open contact older than this was forgotten, not "at hand".
OPEN_CONTACT_MAX_AGE = timedelta(hours=24)
_MAX_ID = 2**63 - 1


def contact_reference_check(*, principal: Principal, reference: str, party_ids) -> str | None:
    """The identity assurance of the contact moment `reference` when it is at hand for `principal`,
    else None. Only first-line staff handle contacts; systems state a case.

    At hand: handled by this staff member (or not yet taken by anyone: a door's contact waiting in a
    queue), open (and not forgotten) or ended within CONTACT_PURPOSE_WINDOW, and about one of
    `party_ids`. With no party known yet (a search to identify the caller), the contact must still be
    anonymous and handled by this staff member. Supervisors look with a stated reason (supervision).
    """
    if not principal.is_staff:
        return None
    ref = str(reference or "").strip()
    if not (ref.isascii() and ref.isdigit() and int(ref) <= _MAX_ID):
        return None
    contact = (
        ContactMoment.objects.filter(pk=int(ref)).values("party_id", "agent_id", "assurance", "started_at", "ended_at")
    ).first()
    if contact is None or contact["agent_id"] not in (None, principal.user_id):
        return None
    now = timezone.now()
    if contact["ended_at"] is not None and contact["ended_at"] < now - CONTACT_PURPOSE_WINDOW:
        return None
    if contact["ended_at"] is None and contact["started_at"] < now - OPEN_CONTACT_MAX_AGE:
        return None
    party_ids = list(party_ids)
    if party_ids:
        if contact["party_id"] not in party_ids:
            return None
    elif contact["party_id"] is not None or contact["agent_id"] != principal.user_id:
        return None
    return contact["assurance"] or AssuranceLevel.LOW
