"""What a viewer may see of a case: the case's confidentiality x who looks x the identity assurance.

| confidentiality | first line (view_case), low | first line, substantial/high | supervisor | owning org client |
|-----------------|-----------------------------|------------------------------|------------|-------------------|
| normal          | citizen                     | full                         | full       | full              |
| confidential    | existence                   | citizen                      | full       | full              |
| secret          | none                        | none                         | existence  | full              |

Another organisation's client sees nothing of a case. The citizen himself sees the citizen text of
his own normal and confidential cases and nothing of secret ones.
"""

from enum import IntEnum

from casemanagement.models import Confidentiality
from contactcentre.principal import Principal

ASSURANCE_RANK = {"": 0, "none": 0, "low": 1, "substantial": 2, "high": 3}


class Detail(IntEnum):
    NONE = 0
    EXISTENCE = 1  # organisation and open/closed: "there is a case"
    CITIZEN = 2  # + reference, type, citizen status text, deadline
    FULL = 3  # + internal status, history, reasons, confidentiality


class Clearance(IntEnum):
    """How far a principal is cleared, computed once per request (permission checks may query)."""

    NOTHING = 0
    CITIZEN = 1
    FIRST_LINE = 2
    SUPERVISOR = 3
    OWNER_CLIENT = 4  # an API client: full for its own organisation's cases, nothing for others


def clearance_of(principal: Principal | None) -> Clearance:
    if principal is None:
        return Clearance.NOTHING
    if principal.is_organisation:
        # Which endpoints a client may call is its scopes' business; what it sees is its own organisation's.
        return Clearance.OWNER_CLIENT
    if principal.is_citizen:
        return Clearance.CITIZEN
    if principal.has_perm("casemanagement.view_confidential_case"):
        return Clearance.SUPERVISOR
    if principal.has_perm("casemanagement.view_case"):
        return Clearance.FIRST_LINE
    return Clearance.NOTHING


_FIRST_LINE = {
    # confidentiality: (detail at low or no assurance, detail at substantial or high)
    Confidentiality.NORMAL: (Detail.CITIZEN, Detail.FULL),
    Confidentiality.CONFIDENTIAL: (Detail.EXISTENCE, Detail.CITIZEN),
    Confidentiality.SECRET: (Detail.NONE, Detail.NONE),
}
_SUPERVISOR = {
    Confidentiality.NORMAL: Detail.FULL,
    Confidentiality.CONFIDENTIAL: Detail.FULL,
    Confidentiality.SECRET: Detail.EXISTENCE,
}


def case_detail(
    *, confidentiality: str, clearance: Clearance, assurance: str = "", same_organisation: bool = False
) -> Detail:
    if clearance == Clearance.OWNER_CLIENT:
        return Detail.FULL if same_organisation else Detail.NONE
    if clearance == Clearance.SUPERVISOR:
        return _SUPERVISOR[confidentiality]
    if clearance == Clearance.FIRST_LINE:
        low, high = _FIRST_LINE[confidentiality]
        return high if ASSURANCE_RANK.get(assurance, 0) >= ASSURANCE_RANK["substantial"] else low
    if clearance == Clearance.CITIZEN:
        return Detail.NONE if confidentiality == Confidentiality.SECRET else Detail.CITIZEN
    return Detail.NONE
