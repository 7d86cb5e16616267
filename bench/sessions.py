"""Signed-in agents and citizens for the load benchmarks (needs Django set up): a real session per
person, as the sign-in views would make it, with the headers a browser would send; and the contacts
the agents have at hand, the purpose the customer view requires."""

import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.utils import timezone

from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.purposes import OPEN_CONTACT_MAX_AGE
from contactcentre.principal import CITIZEN_SESSION_KEY
from contactcentre.registry.assurance import AssuranceLevel

BENCH_AGENT_PREFIX = "bench-agent-"  # the accounts bench/generate_scale_data.py makes
BENCH_TOPIC = "bench"  # the topic of the contacts these agents hold open


def _session_headers(values: dict) -> dict[str, str]:
    """The Cookie and X-CSRFToken headers of a new session holding `values` (the store's public API)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.update(values)
    store.create()
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret: cookie and header carry the same value
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return {"Cookie": cookie, "X-CSRFToken": csrf}


def signed_in_headers(user) -> dict[str, str]:
    """The headers of a fresh session of staff member `user`, as the login view makes it."""
    return _session_headers(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: next(b for b in settings.AUTHENTICATION_BACKENDS if "Axes" not in b),
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )


def citizen_headers(party_id: int) -> dict[str, str]:
    """The headers of a fresh citizen session of person `party_id` signed in at level substantial, as
    contactcentre.registry.citizen.citizen_session_start leaves it after DigiD."""
    return _session_headers({CITIZEN_SESSION_KEY: {"party_id": int(party_id), "assurance": AssuranceLevel.SUBSTANTIAL}})


def agent_sessions(count: int) -> list[tuple[User, dict[str, str]]]:
    """Signed-in agents, one per simulated client (16 clients are 16 agents at their desks)."""
    users = list(
        User.objects.filter(username__startswith=BENCH_AGENT_PREFIX, groups__name="agent").order_by("id")[:count]
    )
    if not users:
        raise SystemExit("No bench agents: run bench/generate_scale_data.py first.")
    return [(user, signed_in_headers(user)) for user in users]


def contacts_at_hand(wanted: list[tuple[int, User]]) -> dict[tuple[int, int], int]:
    """An open phone contact per (party id, agent): {(party_id, agent_id): contact id}. One the run
    before left for the same party and agent is taken again while it is still at hand, so the parties'
    histories (and what their customer view costs) stay as they are, run after run."""
    party_ids = [party_id for party_id, _agent in wanted]
    now = timezone.now()
    found = {
        (party_id, agent_id): pk
        for party_id, agent_id, pk in ContactMoment.objects.filter(
            topic=BENCH_TOPIC, ended_at=None, party_id__in=party_ids, started_at__gt=now - OPEN_CONTACT_MAX_AGE / 2
        ).values_list("party_id", "agent_id", "pk")
    }
    created = ContactMoment.objects.bulk_create(
        ContactMoment(
            channel="phone",
            party_id=party_id,
            identified_by="bsn",
            assurance="substantial",
            topic=BENCH_TOPIC,
            agent=agent,
            started_at=now,
        )
        for party_id, agent in wanted
        if (party_id, agent.pk) not in found
    )
    return found | {(c.party_id, c.agent_id): c.pk for c in created}
