"""Mijn berichten: the citizen reads what the organisations wrote to them (the outbox), newest first,
with the channel it went by in plain Dutch; never another's; 20 to a page in a constant number of
queries; the read logged as self service."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcentre.interactions.models import Notification
from contactcentre.interactions.selectors import notifications_of_citizen
from contactcentre.interactions.services import notification_enqueue
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True


def _sign_in(client, person):
    assert client.post("/mijn/inloggen/", {"person": person.pk}).status_code == 302


def _message(person, subject, *, channel="portal", body="", key=None) -> Notification:
    notification, _created = notification_enqueue(
        party=person,
        subject=subject,
        body=body or f"Tekst van {subject}",
        dedupe_key=key or f"test:{person.pk}:{subject}",
        purpose="contact",
        purpose_reference="test",
        channel=channel,
    )
    return notification


def _subjects(html: str) -> list[str]:
    return [part.split("</h2>")[0] for part in html.split("<h2>")[1:]]


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/mijn/berichten/")
    assert (response.status_code, response["Location"]) == (302, "/mijn/inloggen/?next=/mijn/berichten/")


def test_staff_are_no_citizens(client):
    client.force_login(UserFactory(role="agent"))
    assert client.get("/mijn/berichten/")["Location"] == "/mijn/inloggen/?next=/mijn/berichten/"


def test_only_reading(client, demo):
    _sign_in(client, PersonFactory())
    assert client.post("/mijn/berichten/").status_code == 405


def test_my_messages_newest_first_with_their_channel_in_plain_dutch_and_never_another_s(client, demo):
    me, other = PersonFactory(), PersonFactory()
    _message(me, "Antwoord op uw vraag", body="Uw paspoort ligt klaar.\nNeem uw oude mee.")
    _message(me, "Uw zaak is bijgewerkt", channel="sms")
    _message(me, "Uw vraag is afgehandeld", channel="email")
    letter = _message(me, "Uw aanslag", channel="letter")
    Notification.objects.filter(pk=letter.pk).update(status="sent")
    _message(other, "Het antwoord aan een ander")
    _sign_in(client, me)
    response = client.get("/mijn/berichten/")
    html = response.content.decode()
    assert response.status_code == 200
    assert _subjects(html) == ["Uw aanslag", "Uw vraag is afgehandeld", "Uw zaak is bijgewerkt", "Antwoord op uw vraag"]
    assert "Het antwoord aan een ander" not in html
    assert "Uw paspoort ligt klaar.<br>Neem uw oude mee." in html
    assert "· Per brief</p>" in html  # sent
    assert "· Per e-mail (nog niet verzonden)</p>" in html
    assert "· Per sms (nog niet verzonden)</p>" in html
    assert "· In Mijn omgeving</p>" in html  # a portal message lives here: never "not sent"
    assert 'aria-current="page">Mijn berichten</a>' in html


def test_the_read_is_logged_as_self_service_for_me(client, demo):
    me = PersonFactory()
    _message(me, "Eerste")
    _message(me, "Tweede")
    _sign_in(client, me)
    client.get("/mijn/berichten/")
    read = ProcessingRecord.objects.get(object_type="notification", action="read")
    assert (read.actor_type, read.purpose, read.subject) == ("citizen", "self_service", subject_pseudonym(me.pk))


def test_without_messages_nothing_is_logged(client, demo):
    _sign_in(client, PersonFactory())
    assert "U heeft nog geen berichten." in client.get("/mijn/berichten/").content.decode()
    assert not ProcessingRecord.objects.filter(object_type="notification", action="read").exists()


def _page_queries(client, path="/mijn/berichten/") -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(path).content.decode()
    return [query["sql"] for query in queries.captured_queries], html


def test_the_number_of_queries_does_not_grow_with_the_messages(client, demo):
    me = PersonFactory()
    _message(me, "Bericht 0")
    _sign_in(client, me)
    few, _html = _page_queries(client)
    for n in range(1, 15):
        _message(me, f"Bericht {n}")
    many, html = _page_queries(client)
    assert len(_subjects(html)) == 15
    assert len(many) == len(few)
    assert len([sql for sql in many if "interactions_notification" in sql]) == 2  # the count and the page


def test_twenty_to_a_page(client, demo):
    me = PersonFactory()
    for n in range(23):
        _message(me, f"Bericht {n:02d}")
    _sign_in(client, me)
    first = client.get("/mijn/berichten/").content.decode()
    second = client.get("/mijn/berichten/?page=2").content.decode()
    assert _subjects(first) == [f"Bericht {n:02d}" for n in range(22, 2, -1)]
    assert _subjects(second) == ["Bericht 02", "Bericht 01", "Bericht 00"]
    assert "Pagina 1 van 2" in first and 'href="?page=2"' in first
    assert "Pagina 2 van 2" in second and 'href="?page=1"' in second
    assert _subjects(client.get("/mijn/berichten/?page=x").content.decode()) == _subjects(first)


def test_the_selector_gives_a_citizen_their_own_and_anybody_else_nothing():
    me, other = PersonFactory(), PersonFactory()
    mine = _message(me, "Mijn bericht")
    _message(other, "Ander bericht")
    citizen = Principal.citizen(party_id=me.pk, assurance="substantial")
    assert list(notifications_of_citizen(principal=citizen)) == [mine]
    supervisor = staff(UserFactory(role="supervisor"))
    assert list(notifications_of_citizen(principal=supervisor)) == []
