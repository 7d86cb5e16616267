"""Who may see which base-data attribute, at which identity-assurance level.

Per view attribute and role: the minimum assurance to see the full value, and the minimum to see a
masked value (None: never). A viewer with several roles gets the most permissive. A party with a
secret address shows its addresses only to the roles in SECRET_ADDRESS_VISIBLE_AT (and to the
person themself); everyone else does not even see a masked form.
"""

from contactcentre.registry.assurance import AssuranceLevel

LOW, SUBSTANTIAL, HIGH = AssuranceLevel.LOW, AssuranceLevel.SUBSTANTIAL, AssuranceLevel.HIGH

AGENT = "agent"
COUNTER_CLERK = "counter_clerk"
SUPERVISOR = "supervisor"
API_CLIENT = "api_client"
CITIZEN = "citizen"

# The attributes of the base-data view, in output order.
VIEW_ATTRIBUTES = (
    "name",
    "date_of_birth",
    "residential_address",
    "correspondence_address",
    "emails",
    "phones",
    "bank_accounts",
    "preferred_channel",
    "preferred_language",
)
ADDRESS_ATTRIBUTES = ("residential_address", "correspondence_address")

_ALL_LOW = {AGENT: (LOW, None), COUNTER_CLERK: (LOW, None), SUPERVISOR: (LOW, None), API_CLIENT: (LOW, None)}

# attribute -> role -> (full at, masked at)
VISIBILITY: dict[str, dict[str, tuple[str | None, str | None]]] = {
    "name": _ALL_LOW,
    "date_of_birth": _ALL_LOW,
    "residential_address": {
        AGENT: (SUBSTANTIAL, LOW),
        COUNTER_CLERK: (SUBSTANTIAL, LOW),
        SUPERVISOR: (SUBSTANTIAL, LOW),
        API_CLIENT: (LOW, None),
    },
    "correspondence_address": {
        AGENT: (SUBSTANTIAL, LOW),
        COUNTER_CLERK: (SUBSTANTIAL, LOW),
        SUPERVISOR: (SUBSTANTIAL, LOW),
        API_CLIENT: (LOW, None),
    },
    "emails": {
        AGENT: (SUBSTANTIAL, LOW),
        COUNTER_CLERK: (SUBSTANTIAL, LOW),
        SUPERVISOR: (SUBSTANTIAL, LOW),
        API_CLIENT: (LOW, None),
    },
    "phones": {
        AGENT: (SUBSTANTIAL, LOW),
        COUNTER_CLERK: (SUBSTANTIAL, LOW),
        SUPERVISOR: (SUBSTANTIAL, LOW),
        API_CLIENT: (LOW, None),
    },
    # Bank accounts: the full number only once identity is at least DigiD level; systems see it masked.
    "bank_accounts": {
        AGENT: (SUBSTANTIAL, LOW),
        COUNTER_CLERK: (SUBSTANTIAL, LOW),
        SUPERVISOR: (None, LOW),
        API_CLIENT: (None, LOW),
    },
    "preferred_channel": _ALL_LOW,
    "preferred_language": _ALL_LOW,
}

# Secret address: only a counter clerk who checked an identity document sees it.
SECRET_ADDRESS_VISIBLE_AT = {COUNTER_CLERK: HIGH}
