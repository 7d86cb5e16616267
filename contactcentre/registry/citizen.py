"""The citizen's session: a person signed in (DigiD, in the portal) acting on their own data.

The portal's sign-in calls `citizen_session_start`; API views that serve "my own data" authenticate with
`contactcentre.api.authentication.CitizenSessionAuthentication`, which yields a citizen
Principal. It carries no Django permissions and no API scopes: it reaches only the views scoped to the
party of the signed-in citizen.
"""

from contactcentre.principal import CITIZEN_SESSION_KEY, Principal
from contactcentre.registry.assurance import AssuranceLevel, assurance_rank


def citizen_session_start(*, request, party_id: int, assurance: str) -> Principal:
    """Bind the session to one party after an authentication of at least substantial level (DigiD)."""
    if assurance_rank(assurance) < assurance_rank(AssuranceLevel.SUBSTANTIAL):
        raise ValueError("a citizen session needs at least substantial assurance")
    request.session.cycle_key()  # a new session id at sign-in (fixation)
    request.session[CITIZEN_SESSION_KEY] = {"party_id": int(party_id), "assurance": str(assurance)}
    return Principal.citizen(party_id=party_id, assurance=assurance)


def citizen_session_end(*, request) -> None:
    request.session.flush()
