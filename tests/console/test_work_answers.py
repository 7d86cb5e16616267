"""Answering from the work page: a web question, an SMS or an e-mail held by me gets one written answer
in the outbox on its own channel, its contact is closed with the answer and the item is done, all at
once; another's item, an unknown sender, an empty answer change nothing. A callback's outcome."""

import pytest

from contactcentre.api import roles
from contactcentre.firstline.services import web_question_submit
from contactcentre.interactions.models import CallbackRequest, Channel, ContactMoment, Notification, WorkItem
from contactcentre.interactions.services import callback_request_create, contact_moment_record, work_queue_ensure
from contactcentre.interactions.work_items import agent_skill_set, work_item_claim, work_item_create
from contactcentre.principal import SYSTEM, Principal
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queues(db):
    for code in ("web", "sms", "email"):
        work_queue_ensure(code=code, name=code)


def _agent(client=None):
    user = UserFactory(role=roles.AGENT)
    agent_skill_set(user=user, queue_codes=["web", "sms", "email"])
    if client is not None:
        client.force_login(user)
    return user


def _held(user, *, kind, channel, party=True):
    person = PersonFactory() if party else None
    if kind == "web":
        contact = web_question_submit(
            citizen=Principal.citizen(party_id=person.pk, assurance="substantial"), question="Mijn vraag"
        )
        item = WorkItem.objects.get(contact_moment=contact)
    else:
        contact, _ = contact_moment_record(channel=channel, actor=SYSTEM, party=person, question="Mijn vraag")
        item = work_item_create(queue_code=kind, kind=kind, title="Vraag", contact_moment=contact)
    work_item_claim(principal=staff(user), item_id=item.pk)
    return item


@pytest.mark.parametrize(
    ("kind", "channel", "outbox"),
    [("web", Channel.WEB, "portal"), ("sms", Channel.SMS, "sms"), ("email", Channel.EMAIL, "email")],
)
def test_an_answer_goes_once_on_the_items_own_channel_and_completes_it(client, kind, channel, outbox):
    user = _agent(client)
    item = _held(user, kind=kind, channel=channel)

    response = client.post(f"/medewerker/werk/{item.pk}/antwoorden/", {"text": "  U krijgt het op de 20e.  "})
    client.post(f"/medewerker/werk/{item.pk}/antwoorden/", {"text": "Nog eens"})  # the item is done: refused

    assert response.status_code == 302
    notification = Notification.objects.get()
    assert (notification.channel, notification.body, notification.party_id) == (
        outbox,
        "U krijgt het op de 20e.",
        item.contact_moment.party_id,
    )
    assert notification.dedupe_key == f"work-item-answer:{item.pk}"
    contact = ContactMoment.objects.get(pk=item.contact_moment_id)
    assert (contact.outcome, contact.answer) == ("answered", "U krijgt het op de 20e.")
    assert contact.ended_at is not None
    item.refresh_from_db()
    assert (item.status, item.outcome) == ("done", "Beantwoord")


def test_another_agents_item_cannot_be_answered(client):
    item = _held(_agent(), kind="web", channel=Channel.WEB)
    _agent(client)

    assert client.post(f"/medewerker/werk/{item.pk}/antwoorden/", {"text": "Antwoord"}).status_code == 403

    assert not Notification.objects.exists()
    assert ContactMoment.objects.get(pk=item.contact_moment_id).ended_at is None
    assert WorkItem.objects.get(pk=item.pk).status == "claimed"


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_answer_changes_nothing(client, text):
    user = _agent(client)
    item = _held(user, kind="sms", channel=Channel.SMS)

    response = client.post(f"/medewerker/werk/{item.pk}/antwoorden/", {"text": text}, follow=True)

    assert "Schrijf een antwoord van hoogstens 2000 tekens." in response.content.decode()
    assert not Notification.objects.exists()
    assert WorkItem.objects.get(pk=item.pk).status == "claimed"


def test_an_unknown_sender_is_not_answered_through_the_outbox(client):
    user = _agent(client)
    item = _held(user, kind="email", channel=Channel.EMAIL, party=False)

    response = client.post(f"/medewerker/werk/{item.pk}/antwoorden/", {"text": "Antwoord"}, follow=True)

    assert "De afzender is niet bekend" in response.content.decode()
    assert not Notification.objects.exists()
    assert WorkItem.objects.get(pk=item.pk).status == "claimed"
    assert ContactMoment.objects.get(pk=item.contact_moment_id).ended_at is None


def test_a_callback_is_not_answered_in_writing_but_its_outcome_is_recorded(client):
    user = _agent(client)
    callback = callback_request_create(
        queue=work_queue_ensure(code="web", name="web"), phone_number="0612345678", question="Bel", actor=staff(user)
    )
    item = WorkItem.objects.get(source_key=f"callback:{callback.pk}")
    work_item_claim(principal=staff(user), item_id=item.pk)

    client.post(f"/medewerker/werk/{item.pk}/antwoorden/", {"text": "Antwoord"})
    assert WorkItem.objects.get(pk=item.pk).status == "claimed"
    client.post(f"/medewerker/werk/{item.pk}/terugbellen/", {"reached": "0", "result": "Voicemail"})

    callback.refresh_from_db()
    assert (callback.status, callback.result) == (CallbackRequest.Status.FAILED, "Voicemail")
    item.refresh_from_db()
    assert (item.status, item.outcome) == ("done", "Niet bereikt")
    assert not Notification.objects.exists()


def test_another_agents_callback_outcome_cannot_be_recorded(client):
    owner = _agent()
    callback = callback_request_create(
        queue=work_queue_ensure(code="web", name="web"), phone_number="0612345678", question="Bel", actor=staff(owner)
    )
    item = WorkItem.objects.get(source_key=f"callback:{callback.pk}")
    work_item_claim(principal=staff(owner), item_id=item.pk)
    _agent(client)

    assert client.post(f"/medewerker/werk/{item.pk}/terugbellen/", {"reached": "1"}).status_code == 403

    callback.refresh_from_db()
    assert callback.status == CallbackRequest.Status.OPEN
