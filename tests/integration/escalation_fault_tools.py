"""Processes the escalation fault tests start (tests/integration/test_escalation_faults.py).

    python -m tests.integration.escalation_fault_tools create N ORG_ID AGENT_ID PARTY_ID
        creates N escalations through casemanagement's service, as the web process would, printing
        "created K" every 50; each one's wake-up of the relay goes to the broker.
    python -m tests.integration.escalation_fault_tools sweep SECONDS
        publishes the relay task every SECONDS, as beat's sweep does (its
        schedule in settings is a minute; the tests cannot wait that long), ignoring a broker that
        is down.

The tests set the broker apart from REDIS_URL with Celery's CELERY_BROKER_URL environment variable, so
that only the broker is the fault: the cache (and with it the purpose checks) stays on the suite's Redis.
"""

import contextlib
import os
import sys
import time

import django


def create(count: int, organisation_id: int, agent_id: int, party_id: int) -> None:
    from django.contrib.auth import get_user_model

    from casemanagement.escalations import escalation_create
    from contactcentre.interactions.services import contact_moment_record
    from contactcentre.registry.models import Party
    from tests.factories import staff

    agent = get_user_model().objects.get(pk=agent_id)
    actor, party = staff(agent), Party.objects.get(pk=party_id)
    contact = None
    for number in range(1, count + 1):
        if number % 20 == 1:  # a contact may lead to several escalations; a new one now and then
            contact, _created = contact_moment_record(actor=actor, agent=agent, channel="phone", party=party)
        escalation_create(contact=contact, actor=actor, question=f"Vraag {number}")
        if number % 50 == 0 or number == count:
            print(f"created {number}", flush=True)


def sweep(interval: float) -> None:
    from kombu.exceptions import OperationalError

    from casemanagement.tasks import relay_escalation_deliveries

    while True:
        with contextlib.suppress(OperationalError, OSError):  # the broker is down: the next sweep tries
            relay_escalation_deliveries.apply_async(retry=False)
        time.sleep(interval)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")
    django.setup()
    command, *args = sys.argv[1:]
    if command == "create":
        create(*(int(arg) for arg in args))
    elif command == "sweep":
        sweep(float(args[0]))
    else:  # pragma: no cover
        raise SystemExit(f"unknown command {command!r}")
