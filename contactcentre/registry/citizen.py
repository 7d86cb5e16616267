"""The citizen as a principal: a person logged in (DigiD, later in the portal) acting on their own data.

The portal's log-in calls `citizen_session_start`; API views that serve "my own data" authenticate with
`contactcentre.registry.api.authentication.CitizenSessionAuthentication`, which yields a CitizenPrincipal.
A citizen principal carries no Django permissions and no API scopes: it can only reach views that are
explicitly scoped to the party of the logged-in citizen.
"""

from dataclasses import dataclass

from contactcentre.processinglog.pseudonyms import subject_pseudonym
from contactcentre.registry.assurance import AssuranceLevel, assurance_rank

CITIZEN_SESSION_KEY = "registry.citizen"


@dataclass(frozen=True)
class CitizenPrincipal:
    party_id: int
    assurance: str

    is_citizen = True
    is_api_client = False
    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    @property
    def pk(self) -> str:
        # Used as the actor id in the processing log: a pseudonym, not the party id or the BSN.
        return subject_pseudonym(self.party_id)

    def get_username(self) -> str:
        return ""

    def has_perm(self, perm: str, obj=None) -> bool:
        return False

    def has_perms(self, perms, obj=None) -> bool:
        return False

    def has_scope(self, scope: str) -> bool:
        return False


def citizen_session_start(*, request, party_id: int, assurance: str) -> CitizenPrincipal:
    """Bind the session to one party after an authentication of at least substantial level (DigiD)."""
    if assurance_rank(assurance) < assurance_rank(AssuranceLevel.SUBSTANTIAL):
        raise ValueError("a citizen session needs at least substantial assurance")
    request.session.cycle_key()  # a new session id at log-in (fixation)
    request.session[CITIZEN_SESSION_KEY] = {"party_id": int(party_id), "assurance": str(assurance)}
    return CitizenPrincipal(party_id=int(party_id), assurance=str(assurance))


def citizen_session_end(*, request) -> None:
    request.session.flush()


def citizen_from_session(session) -> CitizenPrincipal | None:
    data = session.get(CITIZEN_SESSION_KEY)
    if not isinstance(data, dict) or "party_id" not in data:
        return None
    return CitizenPrincipal(party_id=int(data["party_id"]), assurance=str(data.get("assurance", "")))
