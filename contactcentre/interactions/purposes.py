"""The purpose "the contact at hand": which contact moments may be named as the reason to open a
person's data. Registered with the processing log (a lower layer) in InteractionsConfig.ready()."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from contactcentre.interactions.models import ContactMoment
from contactcentre.registry.assurance import AssuranceLevel

# A contact stays a valid purpose while it is open, and for a while after it ended (the follow-up).
CONTACT_PURPOSE_WINDOW = timedelta(hours=12)
# An open contact older than this was forgotten, not "at hand".
OPEN_CONTACT_MAX_AGE = timedelta(hours=24)


def contact_at_hand_assurance(*, reference: str, party_ids, agent=None) -> str | None:
    """The identity assurance of the contact named by `reference`, when it is at hand; else None.

    At hand: open (and not forgotten) or ended within CONTACT_PURPOSE_WINDOW, and about one of
    `party_ids`. With no party known yet (a search to identify the caller), the contact must still be
    anonymous and handled by `agent`.
    """
    ref = str(reference or "").strip()
    if not (ref.isdigit() and len(ref) <= 18):  # a contact moment id that fits a bigint
        return None
    now = timezone.now()
    recent = Q(ended_at__gte=now - CONTACT_PURPOSE_WINDOW) | Q(
        ended_at__isnull=True, started_at__gte=now - OPEN_CONTACT_MAX_AGE
    )
    contacts = ContactMoment.objects.filter(recent, pk=int(ref))
    party_ids = list(party_ids)
    if party_ids:
        contacts = contacts.filter(party_id__in=party_ids)
    elif agent is not None:
        contacts = contacts.filter(party__isnull=True, agent_id=agent.pk)
    else:
        return None
    row = contacts.values("assurance").first()
    if row is None:
        return None
    return row["assurance"] or AssuranceLevel.LOW


def contact_reference_holds(*, actor, reference: str, party_ids) -> bool:
    """Checker for Purpose.CONTACT. Only first-line staff handle contacts; systems state a case."""
    if getattr(actor, "is_api_client", False) or getattr(actor, "is_citizen", False):
        return False
    return contact_at_hand_assurance(reference=reference, party_ids=party_ids, agent=actor) is not None
