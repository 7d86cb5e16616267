"""The agent's work page: who may open it, what it lists (my items with their contact, my queues with
count and oldest, the waiting items), taking the next and a chosen item, giving back, finishing; its
query count does not grow with the number of items."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contactcentre.api import roles
from contactcentre.firstline.services import web_question_submit
from contactcentre.interactions.models import Channel, WorkItem
from contactcentre.interactions.services import callback_request_create, contact_moment_record, work_queue_ensure
from contactcentre.interactions.work_items import agent_skill_set, work_item_claim, work_item_create
from contactcentre.principal import SYSTEM, Principal
from contactcentre.processinglog.models import ProcessingRecord
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db
PAGE = "/medewerker/werk/"


@pytest.fixture(autouse=True)
def _queues(db):
    for code, name in (("web", "Vragen via de website"), ("email", "E-mail"), ("post", "Post")):
        work_queue_ensure(code=code, name=name)


def _agent(client, *codes, role=roles.AGENT):
    user = UserFactory(role=role)
    agent_skill_set(user=user, queue_codes=list(codes))
    client.force_login(user)
    return user


def _web_question(text="Wanneer krijg ik mijn huurtoeslag?"):
    person = PersonFactory()
    contact = web_question_submit(citizen=Principal.citizen(party_id=person.pk, assurance="substantial"), question=text)
    return WorkItem.objects.get(contact_moment=contact)


def _email_item(subject_line="Vraag"):
    contact, _ = contact_moment_record(channel=Channel.EMAIL, actor=SYSTEM, question=f"{subject_line}: mijn adres")
    return work_item_create(queue_code="email", kind="email", title="Vraag per e-mail", contact_moment=contact)


def test_anonymous_goes_to_sign_in_and_roles_without_work_are_refused(client):
    assert client.get(PAGE)["Location"].startswith("/aanmelden/?next=")
    for role in (roles.POST_ROOM, roles.FUNCTIONAL_ADMIN):
        client.force_login(UserFactory(role=role))
        assert client.get(PAGE).status_code == 403
        assert client.post("/medewerker/werk/volgende/").status_code == 403
    assert not WorkItem.objects.filter(status=WorkItem.Status.CLAIMED).exists()


def test_the_page_shows_my_items_with_their_contact_and_my_queues_with_count_and_oldest(client):
    user = _agent(client, "web", "email")
    mine = _web_question("Wanneer krijg ik mijn huurtoeslag?")
    work_item_claim(principal=staff(user), item_id=mine.pk)
    waiting = _email_item()
    work_item_create(queue_code="post", kind="scan", title="Brief in een andere werkbak")

    response = client.get(PAGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Wanneer krijg ik mijn huurtoeslag?" in page
    assert f'href="/medewerker/contacten/{mine.contact_moment_id}/"' in page
    assert f'action="/medewerker/werk/{waiting.pk}/pakken/"' in page
    assert "Brief in een andere werkbak" not in page  # not my queue
    queues = {row["code"]: row["waiting"] for row in response.context["queues"]}
    assert queues == {"web": 0, "email": 1}
    assert response.context["queues"][0]["oldest"] == waiting.created_at
    read = ProcessingRecord.objects.filter(object_type="work_item", action="read", purpose="contact")
    assert read.count() == 2  # the claim and the page


def test_a_callback_shows_its_number_and_window(client):
    user = _agent(client, "web")
    after = timezone.now() + timedelta(hours=1)
    callback = callback_request_create(
        queue=work_queue_ensure(code="web", name="Web"),
        phone_number="0612345678",
        question="Bel mij over de bijstand",
        actor=staff(user),
        call_after=after,
        call_before=after + timedelta(hours=2),
    )
    item = WorkItem.objects.get(source_key=f"callback:{callback.pk}")
    work_item_claim(principal=staff(user), item_id=item.pk)

    page = client.get(PAGE).content.decode()

    assert "+31612345678" in page and "Bel mij over de bijstand" in page
    assert f'action="/medewerker/werk/{item.pk}/terugbellen/"' in page


def test_claim_next_gives_the_most_urgent_then_the_oldest(client):
    user = _agent(client, "web", "email")
    old = _email_item()
    WorkItem.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    _web_question()
    urgent = work_item_create(queue_code="email", kind="email", title="spoed", priority=WorkItem.Priority.HIGH)

    response = client.post("/medewerker/werk/volgende/")

    assert response.status_code == 302 and response["Location"] == PAGE
    assert list(WorkItem.objects.filter(claimed_by=user).values_list("pk", flat=True)) == [urgent.pk]
    client.post("/medewerker/werk/volgende/")
    assert set(WorkItem.objects.filter(claimed_by=user).values_list("pk", flat=True)) == {urgent.pk, old.pk}


def test_claim_next_from_one_queue_and_nothing_left(client):
    user = _agent(client, "web", "email")
    _email_item()
    web = _web_question()

    client.post("/medewerker/werk/volgende/", {"queue": "web"})
    assert list(WorkItem.objects.filter(claimed_by=user).values_list("pk", flat=True)) == [web.pk]
    response = client.post("/medewerker/werk/volgende/", {"queue": "web"}, follow=True)
    assert "Er wacht geen werk in uw werkbakken." in response.content.decode()
    assert WorkItem.objects.filter(claimed_by=user).count() == 1


def test_claim_release_and_complete_a_chosen_item(client):
    user = _agent(client, "email")
    item = _email_item()

    client.post(f"/medewerker/werk/{item.pk}/pakken/")
    item.refresh_from_db()
    assert (item.status, item.claimed_by_id) == ("claimed", user.pk)
    client.post(f"/medewerker/werk/{item.pk}/teruggeven/")
    item.refresh_from_db()
    assert (item.status, item.claimed_by_id) == ("open", None)
    client.post(f"/medewerker/werk/{item.pk}/pakken/")
    client.post(f"/medewerker/werk/{item.pk}/afronden/", {"outcome": "Doorgestuurd naar de gemeente"})
    item.refresh_from_db()
    assert (item.status, item.outcome) == ("done", "Doorgestuurd naar de gemeente")


def test_an_item_held_by_another_cannot_be_taken_released_or_completed(client):
    other = UserFactory(role=roles.AGENT)
    agent_skill_set(user=other, queue_codes=["email"])
    item = _email_item()
    work_item_claim(principal=staff(other), item_id=item.pk)
    _agent(client, "email")

    response = client.post(f"/medewerker/werk/{item.pk}/pakken/", follow=True)
    assert "al in behandeling" in response.content.decode()
    assert client.post(f"/medewerker/werk/{item.pk}/teruggeven/").status_code == 403
    assert client.post(f"/medewerker/werk/{item.pk}/afronden/").status_code == 403
    item.refresh_from_db()
    assert (item.status, item.claimed_by_id) == ("claimed", other.pk)


def test_an_item_of_a_queue_i_do_not_work_is_not_found(client):
    item = work_item_create(queue_code="post", kind="scan", title="Brief")
    _agent(client, "email")
    assert client.post(f"/medewerker/werk/{item.pk}/pakken/").status_code == 404
    assert client.get(PAGE).status_code == 200
    assert WorkItem.objects.get(pk=item.pk).status == "open"


def test_the_actions_answer_only_posts(client):
    _agent(client, "email")
    item = _email_item()
    assert client.get(f"/medewerker/werk/{item.pk}/pakken/").status_code == 405
    assert client.post(PAGE).status_code == 405


def _claimed_callback(principal):
    callback = callback_request_create(
        queue=work_queue_ensure(code="web", name="Web"), phone_number="0612345678", question="Bel", actor=principal
    )
    work_item_claim(principal=principal, item_id=WorkItem.objects.get(source_key=f"callback:{callback.pk}").pk)


def test_its_query_count_does_not_grow_with_the_items(client):
    user = _agent(client, "web", "email")
    principal = staff(user)
    work_item_claim(principal=principal, item_id=_web_question().pk)
    _claimed_callback(principal)
    _email_item()
    client.get(PAGE)  # the session's and permissions' caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for number in range(4):
        work_item_claim(principal=principal, item_id=_web_question(f"Vraag {number}").pk)
        _claimed_callback(principal)
        _email_item()
    with CaptureQueriesContext(connection) as many:
        assert client.get(PAGE).status_code == 200
    assert len(many) == len(few)


def test_the_screen_pop_is_on_the_staff_pages_of_who_handles_contacts_only(client):
    _agent(client)
    page = client.get("/medewerker/").content.decode()
    assert 'src="/static/console/screen-pop.js"' in page
    assert 'data-contact-url="/medewerker/contacten/0/"' in page and 'role="alert"' in page
    client.force_login(UserFactory(role=roles.POST_ROOM))
    page = client.get("/medewerker/").content.decode()
    assert "screen-pop" not in page


def test_the_shortcuts_are_shown_and_named(client):
    user = _agent(client, "web")
    work_item_claim(principal=staff(user), item_id=_web_question().pk)
    page = client.get(PAGE).content.decode()
    assert 'data-shortcut="n" aria-keyshortcuts="Alt+N"' in page
    assert 'data-shortcut="a" aria-keyshortcuts="Alt+A"' in page
    assert "<kbd>Alt</kbd>+<kbd>N</kbd>" in page
