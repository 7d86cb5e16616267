"""Work queues: oldest first within priority, claims that are a person's until they run out, the
own list, a supervisor's reassign, and the events the boards receive after commit."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contactcentre import realtime
from contactcentre.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from contactcentre.interactions.models import WorkItem, WorkQueue
from contactcentre.interactions.selectors import work_items_of_agent, work_queue_overview
from contactcentre.interactions.services import contact_moment_connect, contact_moment_record, work_queue_ensure
from contactcentre.interactions.work_items import (
    agent_skill_set,
    work_item_claim,
    work_item_claim_next,
    work_item_complete,
    work_item_complete_for_source,
    work_item_create,
    work_item_reassign,
    work_item_release,
    work_items_release_expired,
)
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.models import ProcessingRecord
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def queues(db):
    return work_queue_ensure(code="email", name="E-mail"), work_queue_ensure(code="post", name="Post")


def _agent(*codes, role="agent"):
    user = UserFactory(role=role)
    agent_skill_set(user=user, queue_codes=list(codes))
    return user, staff(user)


def test_claims_take_the_most_urgent_then_the_oldest_of_my_queues(queues):
    _user, agent = _agent("email")
    now = timezone.now()
    old = work_item_create(queue_code="email", kind="email", title="oud", source_key="e:1")
    WorkItem.objects.filter(pk=old.pk).update(created_at=now - timedelta(hours=2))
    newer = work_item_create(queue_code="email", kind="email", title="nieuw", source_key="e:2")
    urgent = work_item_create(queue_code="email", kind="email", title="spoed", priority=WorkItem.Priority.URGENT)
    work_item_create(queue_code="post", kind="scan", title="niet mijn werkbak")

    taken = [work_item_claim_next(principal=agent).pk for _ in range(3)]

    assert taken == [urgent.pk, old.pk, newer.pk]
    assert work_item_claim_next(principal=agent) is None  # the post queue is not my skill


def test_a_door_queue_that_went_missing_is_made_again(queues):
    WorkQueue.objects.filter(code="supervision").delete()
    item = work_item_create(queue_code="supervision", kind="supervision", title="x")
    assert (item.queue.code, item.queue.name) == ("supervision", "Signalen teamleider")


def test_the_same_source_makes_one_item(queues):
    first = work_item_create(queue_code="email", kind="email", title="a", source_key="email:<x@y>")
    again = work_item_create(queue_code="email", kind="email", title="b", source_key="email:<x@y>")
    assert again.pk == first.pk
    assert WorkItem.objects.count() == 1


def test_unknown_queue_kind_or_priority_is_refused(queues):
    with pytest.raises(NotFound):
        work_item_create(queue_code="nope", kind="email", title="x")
    with pytest.raises(ValidationFailed):
        work_item_create(queue_code="email", kind="fax", title="x")
    with pytest.raises(ValidationFailed):
        work_item_create(queue_code="email", kind="email", title="x", priority=9)
    assert WorkItem.objects.count() == 0


def test_a_held_item_cannot_be_taken_by_another_until_the_reservation_runs_out(queues):
    _anna, anna = _agent("email")
    _bert, bert = _agent("email")
    item = work_item_create(queue_code="email", kind="email", title="x")
    work_item_claim(principal=anna, item_id=item.pk)

    with pytest.raises(Conflict):
        work_item_claim(principal=bert, item_id=item.pk)
    assert work_item_claim_next(principal=bert) is None

    WorkItem.objects.filter(pk=item.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert work_item_claim_next(principal=bert).pk == item.pk
    item.refresh_from_db()
    assert item.claimed_by_id == _bert.pk


def test_only_the_holder_releases_or_completes(queues):
    _anna, anna = _agent("email")
    _bert, bert = _agent("email")
    item = work_item_create(queue_code="email", kind="email", title="x")
    work_item_claim(principal=anna, item_id=item.pk)

    with pytest.raises(AccessDenied):
        work_item_complete(principal=bert, item_id=item.pk)
    with pytest.raises(AccessDenied):
        work_item_release(principal=bert, item_id=item.pk)

    done = work_item_complete(principal=anna, item_id=item.pk, outcome="  beantwoord ")
    assert (done.status, done.outcome, done.claimed_until) == ("done", "beantwoord", None)
    with pytest.raises(Conflict):
        work_item_claim(principal=anna, item_id=item.pk)


def test_a_queue_i_am_not_skilled_for_is_not_found(queues):
    _anna, anna = _agent("post")
    item = work_item_create(queue_code="email", kind="email", title="x")
    with pytest.raises(NotFound):
        work_item_claim(principal=anna, item_id=item.pk)


def test_people_without_the_permission_take_nothing(queues):
    user = UserFactory()  # no role
    agent_skill_set(user=user, queue_codes=["email"])
    work_item_create(queue_code="email", kind="email", title="x")
    with pytest.raises(AccessDenied):
        work_item_claim_next(principal=staff(user))


def test_expired_reservations_return_to_the_queue(queues):
    _anna, anna = _agent("email")
    item = work_item_create(queue_code="email", kind="email", title="x")
    work_item_claim(principal=anna, item_id=item.pk)
    assert work_items_release_expired() == 0
    assert work_items_release_expired(now=timezone.now() + timedelta(hours=1)) == 1
    item.refresh_from_db()
    assert (item.status, item.claimed_by_id, item.claimed_until) == ("open", None, None)


def test_a_supervisor_reassigns_and_an_agent_may_not(queues):
    _anna, anna = _agent("email")
    bert_user, bert = _agent("email")
    _sup, supervisor = _agent(role="supervisor")
    item = work_item_create(queue_code="email", kind="email", title="x")
    work_item_claim(principal=anna, item_id=item.pk)

    with pytest.raises(AccessDenied):
        work_item_reassign(principal=anna, item_id=item.pk, user_id=bert_user.pk)
    with pytest.raises(ValidationFailed):
        work_item_reassign(principal=supervisor, item_id=item.pk, user_id=UserFactory().pk)  # no role

    moved = work_item_reassign(principal=supervisor, item_id=item.pk, user_id=bert_user.pk)
    assert moved.claimed_by_id == bert_user.pk
    assert [i.pk for i in work_items_of_agent(principal=bert)] == [item.pk]
    assert list(work_items_of_agent(principal=anna)) == []


def test_work_done_elsewhere_closes_its_item(queues):
    work_item_create(queue_code="email", kind="callback", title="x", source_key="callback:7")
    assert work_item_complete_for_source(source_key="callback:7", outcome="teruggebeld").status == "done"
    assert work_item_complete_for_source(source_key="callback:7") is None


def test_taking_a_persons_item_is_logged_with_the_contact_as_purpose(queues):
    _anna, anna = _agent("email")
    party = PersonFactory()
    contact, _ = contact_moment_record(channel="email", actor=SYSTEM, party=party)
    item = work_item_create(queue_code="email", kind="email", title="x", contact_moment=contact)
    assert item.party_id == party.pk
    work_item_claim_next(principal=anna)
    record = ProcessingRecord.objects.filter(object_type="work_item").get()
    assert (record.purpose, record.purpose_reference, record.action) == ("contact", str(contact.pk), "read")


def test_the_overview_counts_per_queue_in_one_query(queues):
    _anna, anna = _agent("email")
    for n in range(3):
        work_item_create(queue_code="email", kind="email", title=f"x{n}")
    work_item_claim_next(principal=anna)
    with CaptureQueriesContext(connection) as queries:
        rows = {row["code"]: row for row in work_queue_overview()}
    assert len(queries) == 1
    assert (rows["email"]["waiting"], rows["email"]["in_progress"], rows["email"]["agents"]) == (2, 1, 1)
    assert (rows["post"]["waiting"], rows["post"]["longest_wait_seconds"]) == (0, 0)


@pytest.fixture
def sent(monkeypatch):
    """What reaches the channel layer, by group (the layer itself is tested by the consumers' tests)."""
    messages: list[tuple[str, dict]] = []
    monkeypatch.setattr(realtime, "_send", lambda group, message: messages.append((group, message)))
    return messages


def test_board_and_holder_hear_of_a_claim_after_commit_only(queues, sent, django_capture_on_commit_callbacks):
    anna_user, anna = _agent("email")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = work_item_create(queue_code="email", kind="email", title="x")
    assert sent == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    data = {"id": item.pk, "queue": item.queue_id, "status": "open", "kind": "email"}
    assert sent == [(realtime.BOARD_GROUP, {"type": "realtime.event", "event": "work_item.created", "data": data})]

    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        work_item_claim_next(principal=anna)
    assert [(group, message["event"]) for group, message in sent] == [
        (realtime.BOARD_GROUP, "work_item.claimed"),
        (realtime.agent_group(anna_user.pk), "work_item.claimed"),
    ]


# The API


def test_api_claim_next_complete_and_my_list(queues, user_with_role):
    http, user = user_with_role("agent")
    agent_skill_set(user=user, queue_codes=["email"])
    item = work_item_create(queue_code="email", kind="email", title="Vraag over verhuizen")

    assert http.get("/api/v1/work-items").json()["results"][0]["id"] == item.pk
    taken = http.post("/api/v1/work-items/claim-next", {}, format="json")
    assert (taken.status_code, taken.json()["id"], taken.json()["status"]) == (200, item.pk, "claimed")
    assert [row["id"] for row in http.get("/api/v1/work-items?mine=1").json()["results"]] == [item.pk]
    assert http.post("/api/v1/work-items/claim-next", {}, format="json").status_code == 204

    done = http.post(f"/api/v1/work-items/{item.pk}/complete", {"outcome": "beantwoord"}, format="json")
    assert (done.status_code, done.json()["status"]) == (200, "done")


def test_api_refuses_another_agents_item_and_a_reassign_by_an_agent(queues, user_with_role):
    anna_http, anna = user_with_role("agent")
    bert_http, bert = user_with_role("agent")
    for user in (anna, bert):
        agent_skill_set(user=user, queue_codes=["email"])
    item = work_item_create(queue_code="email", kind="email", title="x")
    assert anna_http.post(f"/api/v1/work-items/{item.pk}/claim").status_code == 200

    refused = bert_http.post(f"/api/v1/work-items/{item.pk}/claim")
    assert (refused.status_code, refused.json()["code"]) == (409, "not_claimable")
    assert bert_http.post(f"/api/v1/work-items/{item.pk}/complete", {}, format="json").status_code == 403
    assert bert_http.post(f"/api/v1/work-items/{item.pk}/reassign", {"user": bert.pk}, format="json").status_code == 403
    assert bert_http.post("/api/v1/work-items/999999/claim").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/work-items"),
        ("post", "/api/v1/work-items/claim-next"),
        ("post", "/api/v1/work-items/1/claim"),
        ("post", "/api/v1/work-items/1/release"),
        ("post", "/api/v1/work-items/1/complete"),
        ("post", "/api/v1/work-items/1/reassign"),
        ("get", "/api/v1/work-queues/overview"),
    ],
)
def test_api_refuses_anonymous_and_organisations(api, client_with_scopes, method, path):
    assert getattr(api, method)(path).status_code in (401, 403)
    org_http, _client = client_with_scopes(["contacts:read", "contacts:write", "cases:read"])
    assert getattr(org_http, method)(path).status_code == 403


def test_api_overview_for_supervisors(queues, user_with_role):
    http, _user = user_with_role("supervisor")
    work_item_create(queue_code="post", kind="scan", title="brief")
    rows = {row["code"]: row for row in http.get("/api/v1/work-queues/overview").json()}
    assert rows["post"]["waiting"] == 1


# The screen pop


def test_a_connected_contact_pops_on_that_agents_screens_only_after_commit(sent, django_capture_on_commit_callbacks):
    anna = UserFactory(role="agent")
    party = PersonFactory()
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, party=party, external_id="CA-pop")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        connected = contact_moment_connect(contact=contact, agent=anna, actor=SYSTEM)
    assert connected.agent_id == anna.pk
    assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [
        (
            realtime.agent_group(anna.pk),
            {
                "type": "realtime.event",
                "event": "contact.connected",
                "data": {"contact_moment": contact.pk, "channel": "phone", "party": party.pk},
            },
        ),
        (
            realtime.BOARD_GROUP,
            {
                "type": "realtime.event",
                "event": "contact.connected",
                "data": {"contact_moment": contact.pk, "agent": anna.pk},
            },
        ),
    ]


def test_a_contact_connected_to_one_agent_is_not_put_through_to_another(sent):
    anna, bert = UserFactory(role="agent"), UserFactory(role="agent")
    contact, _ = contact_moment_record(channel="phone", actor=SYSTEM, external_id="CA-two")
    contact_moment_connect(contact=contact, agent=anna, actor=SYSTEM)
    with pytest.raises(Conflict):
        contact_moment_connect(contact=contact, agent=bert, actor=SYSTEM)
    with pytest.raises(ValidationFailed):
        contact_moment_connect(contact=contact, agent=UserFactory(), actor=SYSTEM)  # no role
