"""Who is calling: one typed principal, built once per request by the authentication that recognised
the caller (a staff member's session, a citizen's DigiD session, an organisation's API token), or
made explicitly by a task or command acting as the system. Services and selectors branch on its
`kind`, never on the type of some user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class PrincipalKind(StrEnum):
    STAFF = "staff"  # an agent, counter clerk, supervisor or administrator (a Django user)
    CITIZEN = "citizen"  # a person signed in with DigiD, acting on their own data
    ORGANISATION = "organisation"  # an organisation's system (API client token) or case worker (worklist)
    SYSTEM = "system"  # the system itself (tasks, commands, imports)


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    user: Any = None  # STAFF, and a case worker (ORGANISATION): the Django user
    roles: frozenset[str] = frozenset()  # STAFF: the names of the user's groups
    party_id: int | None = None  # CITIZEN: the person they are
    assurance: str = ""  # CITIZEN: the level the sign-in reached
    client: Any = None  # ORGANISATION through the API: the ApiClient
    organisation_id: int | None = None  # ORGANISATION
    organisation_code: str = ""  # ORGANISATION
    scopes: frozenset[str] = field(default=frozenset())  # ORGANISATION

    # What DRF and Django ask of request.user.
    is_authenticated = True
    is_anonymous = False

    @classmethod
    def staff(cls, user, *, roles) -> Principal:
        return cls(kind=PrincipalKind.STAFF, user=user, roles=frozenset(roles))

    @classmethod
    def citizen(cls, *, party_id: int, assurance: str) -> Principal:
        return cls(kind=PrincipalKind.CITIZEN, party_id=int(party_id), assurance=str(assurance))

    @classmethod
    def organisation(cls, client) -> Principal:
        return cls(
            kind=PrincipalKind.ORGANISATION,
            client=client,
            organisation_id=client.organisation_id,
            organisation_code=client.organisation.code,
            scopes=frozenset(client.scopes),
        )

    @classmethod
    def case_worker(cls, user, *, organisation, scopes) -> Principal:
        """A person of a second-line organisation working its escalations in the built-in worklist:
        acts for the organisation exactly as its API client would (so every organisation-scoped read
        and write applies unchanged), and is recorded as that person."""
        return cls(
            kind=PrincipalKind.ORGANISATION,
            user=user,
            organisation_id=organisation.pk,
            organisation_code=organisation.code,
            scopes=frozenset(scopes),
        )

    @property
    def is_staff(self) -> bool:
        return self.kind is PrincipalKind.STAFF

    @property
    def is_citizen(self) -> bool:
        return self.kind is PrincipalKind.CITIZEN

    @property
    def is_organisation(self) -> bool:
        return self.kind is PrincipalKind.ORGANISATION

    @property
    def is_system(self) -> bool:
        return self.kind is PrincipalKind.SYSTEM

    @property
    def is_case_worker(self) -> bool:
        return self.kind is PrincipalKind.ORGANISATION and self.user is not None

    @property
    def name(self) -> str:
        """Who acts, by name: the person (staff, case worker) or the organisation's system."""
        if self.user is not None:
            return self.user.get_username()
        if self.client is not None:
            return self.client.name
        return ""

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def key(self) -> str:
        """A stable key for throttles and lock-outs; not personal data (a citizen is keyed by party id
        only inside the cache, never in a log)."""
        if self.user is not None:  # staff, or a case worker acting for their organisation
            return f"user:{self.user.pk}"
        if self.kind is PrincipalKind.ORGANISATION:
            return f"client:{self.client.pk}"
        if self.kind is PrincipalKind.CITIZEN:
            return f"citizen:{self.party_id}"
        return "system"

    def has_perm(self, perm: str) -> bool:
        return self.kind is PrincipalKind.STAFF and self.user.has_perm(perm)

    def has_perms(self, perms) -> bool:
        return self.kind is PrincipalKind.STAFF and self.user.has_perms(perms)

    def has_scope(self, scope: str) -> bool:
        return self.kind is PrincipalKind.ORGANISATION and scope in self.scopes

    def __repr__(self) -> str:
        return f"<Principal {self.key}>"


SYSTEM = Principal(kind=PrincipalKind.SYSTEM)

# The session entry of a citizen signed in with DigiD (written by registry.citizen.citizen_session_start).
CITIZEN_SESSION_KEY = "registry.citizen"


def citizen_from_session(session) -> Principal | None:
    data = session.get(CITIZEN_SESSION_KEY)
    if not isinstance(data, dict) or "party_id" not in data:
        return None
    return Principal.citizen(party_id=int(data["party_id"]), assurance=str(data.get("assurance", "")))
