"""The purpose "working on a case": a case of this person that the principal may see (for an
organisation's system, one of its own organisation's cases). Declared as the processing log's checker
for Purpose.CASE in CasemanagementConfig."""

from django.db.models import Q

from casemanagement.models import Escalation
from casemanagement.selectors import cases_visible
from casemanagement.services import normalise_reference
from contactcentre.principal import Principal
from contactcentre.registry.assurance import AssuranceLevel

_MAX_ID = 2**63 - 1


def case_reference_check(*, principal: Principal, reference: str, party_ids) -> str | None:
    """The lowest assurance (a case identifies nobody) when the case named by reference or id is
    visible to the principal and belongs to one of `party_ids` (with none known yet, as in a search for
    the case's party: any visible case); else None."""
    ref = str(reference or "").strip()
    if not ref:
        return None
    match = Q(reference=normalise_reference(ref))
    if ref.isascii() and ref.isdigit() and int(ref) <= _MAX_ID:
        match |= Q(pk=int(ref))
    cases = cases_visible(principal=principal).filter(match)
    party_ids = list(party_ids)
    if party_ids:
        cases = cases.filter(party_id__in=party_ids)
    return AssuranceLevel.LOW if cases.exists() else None


def second_line_reference_check(*, principal: Principal, reference: str, party_ids) -> str | None:
    """The purpose "handling an escalation": an organisation's system opens a person's data only for
    an escalation routed to its organisation, about that person (the lowest assurance applies)."""
    ref = str(reference or "").strip()
    if not principal.is_organisation or not ref:
        return None
    escalations = Escalation.objects.filter(
        reference=normalise_reference(ref), organisation_id=principal.organisation_id
    )
    if party_ids:
        escalations = escalations.filter(party_id__in=list(party_ids))
    return AssuranceLevel.LOW if escalations.exists() else None
