"""Eight people taking work at the same moment: every item is claimed exactly once (PostgreSQL only:
SELECT ... FOR UPDATE SKIP LOCKED; SQLite serialises writers, so there is no race to show)."""

import threading

import pytest
from django.db import connection, connections

from contactcentre.interactions.models import WorkItem
from contactcentre.interactions.services import work_queue_ensure
from contactcentre.interactions.work_items import agent_skill_set, work_item_claim_next, work_item_create
from tests.factories import UserFactory, staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]


def test_eight_threads_claim_every_item_once():
    workers, items = 8, 200
    work_queue_ensure(code="email", name="E-mail")
    agents = []
    for _ in range(workers):
        user = UserFactory(role="agent")
        agent_skill_set(user=user, queue_codes=["email"])
        agents.append(staff(user))
    for n in range(items):
        work_item_create(queue_code="email", kind="email", title=f"bericht {n}")
    barrier = threading.Barrier(workers)
    claims: dict[int, list[int]] = {}
    errors = []

    def work(agent):
        taken = claims.setdefault(agent.user_id, [])
        try:
            barrier.wait(timeout=10)
            while (item := work_item_claim_next(principal=agent)) is not None:
                taken.append(item.pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    everything = [pk for taken in claims.values() for pk in taken]
    assert errors == []
    assert len(everything) == items
    assert len(set(everything)) == items  # nobody took an item someone else held
    assert sum(1 for taken in claims.values() if taken) > 1  # the work was really shared
    assert WorkItem.objects.filter(status="claimed").count() == items
    for user_id, taken in claims.items():
        assert set(WorkItem.objects.filter(claimed_by_id=user_id).values_list("pk", flat=True)) == set(taken)
