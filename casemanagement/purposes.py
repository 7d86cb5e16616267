"""The purpose "working on a case": a case of this person that the actor may see (for an API client,
one of its own organisation's cases). Registered with the processing log in CasemanagementConfig.ready()."""

from collections.abc import Callable

from django.db.models import Q

from casemanagement.selectors import cases_visible
from casemanagement.services import normalise_reference


def case_reference_holds(*, actor, reference: str, party_ids) -> bool:
    """Checker for Purpose.CASE: the case named by reference or id is visible to the actor and belongs to
    one of `party_ids` (with none known yet, as in a search for the case's party: any visible case)."""
    ref = str(reference or "").strip()
    if not ref:
        return False
    match = Q(reference=normalise_reference(ref))
    if ref.isdigit() and len(ref) <= 18:
        match |= Q(pk=int(ref))
    cases = cases_visible(principal=actor).filter(match)
    party_ids = list(party_ids)
    if party_ids:
        cases = cases.filter(party_id__in=party_ids)
    return cases.exists()


def case_reference_holds_deferred(batch, *, actor, reference: str, party_ids) -> Callable[[], bool]:
    """The form the processing log registers: the case check is not on a hot path and keeps its own
    query (run when the answer is asked for), not a place in the batch."""
    return lambda: case_reference_holds(actor=actor, reference=reference, party_ids=party_ids)
