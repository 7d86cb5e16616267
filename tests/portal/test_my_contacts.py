"""Mijn contacten: the citizen reads their own contacts with the contact centre across every channel,
newest first, in plain Dutch (who started it, how it ended, the answer given); never another's, never
who served them or the organisation's own notes; 20 to a page in a constant number of queries; the
read logged as self service."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.selectors import contact_moments_of_citizen
from contactcentre.principal import Principal
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from lifeevents.models import LifeEvent
from tests.casemanagement.factories import PersonFactory
from tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True


def _sign_in(client, person):
    assert client.post("/mijn/inloggen/", {"person": person.pk}).status_code == 302


def _contact(person, minutes_ago: int, **fields) -> ContactMoment:
    fields = {"channel": "phone", "ended_at": NOW, **fields}
    return ContactMoment.objects.create(party=person, started_at=NOW - timedelta(minutes=minutes_ago), **fields)


def _subjects(html: str) -> list[str]:
    return [part.split("</h2>")[0] for part in html.split("<h2>")[1:]]


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/mijn/contacten/")
    assert (response.status_code, response["Location"]) == (302, "/mijn/inloggen/?next=/mijn/contacten/")


def test_staff_are_no_citizens(client):
    client.force_login(UserFactory(role="agent"))
    assert client.get("/mijn/contacten/")["Location"] == "/mijn/inloggen/?next=/mijn/contacten/"


def test_only_reading(client, demo):
    _sign_in(client, PersonFactory())
    assert client.post("/mijn/contacten/").status_code == 405


def test_my_contacts_newest_first_in_plain_dutch_and_never_another_s_nor_who_served_me(client, demo):
    me, other = PersonFactory(), PersonFactory()
    moving = LifeEvent.objects.create(slug="verhuizen", name="Verhuizen")
    agent = UserFactory(role="agent", username="agent.jansen")
    _contact(
        me,
        30,
        topic="Verhuizing doorgeven",
        question="Ik ga verhuizen.\nWat moet ik doen?",
        answer="Geef het binnen vijf dagen door.",
        outcome="answered",
        life_event=moving,
        agent=agent,
        desk="Balie 7",
    )
    _contact(me, 20, channel="email", direction="outbound", topic="Uw afspraak", outcome="status_given")
    _contact(me, 10, channel="web", question="Mag ik mijn schuur als werkplaats gebruiken?", ended_at=None)
    _contact(other, 5, topic="Het contact van een ander")
    _sign_in(client, me)
    response = client.get("/mijn/contacten/")
    html = response.content.decode()
    assert response.status_code == 200
    assert _subjects(html) == [
        "Mag ik mijn schuur als werkplaats gebruiken?",
        "Uw afspraak",
        "Verhuizing doorgeven",
    ]
    assert "Het contact van een ander" not in html
    assert "· Website/portaal · U nam contact op</p>" in html
    assert "· E-mail · Wij namen contact op</p>" in html
    assert "· Telefoon · U nam contact op</p>" in html
    assert "<dt>Uw vraag</dt><dd>Ik ga verhuizen.<br>Wat moet ik doen?</dd>" in html
    assert "<dt>Levensgebeurtenis</dt><dd>Verhuizen</dd>" in html
    assert "<dt>Uitkomst</dt><dd>Uw vraag is beantwoord</dd>" in html
    assert "<dt>Ons antwoord</dt><dd>Geef het binnen vijf dagen door.</dd>" in html
    assert "<dt>Uitkomst</dt><dd>U heeft gehoord hoe het ervoor staat</dd>" in html
    assert "<dt>Uitkomst</dt><dd>Wij zijn ermee bezig</dd>" in html  # still open, no outcome yet
    assert "agent.jansen" not in html and "Balie 7" not in html
    assert 'aria-current="page">Mijn contacten</a>' in html


def test_the_read_is_logged_as_self_service_for_me(client, demo):
    me = PersonFactory()
    _contact(me, 2, topic="Eerste")
    _contact(me, 1, topic="Tweede")
    _sign_in(client, me)
    client.get("/mijn/contacten/")
    read = ProcessingRecord.objects.get(object_type="contact_moment", action="read")
    assert (read.actor_type, read.purpose, read.subject) == ("citizen", "self_service", subject_pseudonym(me.pk))


def test_without_contacts_nothing_is_logged(client, demo):
    _contact(PersonFactory(), 1, topic="Van een ander")
    _sign_in(client, PersonFactory())
    assert "U heeft nog geen contact met ons gehad." in client.get("/mijn/contacten/").content.decode()
    assert not ProcessingRecord.objects.filter(object_type="contact_moment", action="read").exists()


def _page_queries(client) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/mijn/contacten/").content.decode()
    return [query["sql"] for query in queries.captured_queries], html


def test_the_number_of_queries_does_not_grow_with_the_contacts(client, demo):
    me = PersonFactory()
    moving = LifeEvent.objects.create(slug="verhuizen", name="Verhuizen")
    _contact(me, 0, topic="Contact 0", life_event=moving)
    _sign_in(client, me)
    few, _html = _page_queries(client)
    for n in range(1, 15):
        _contact(me, n, topic=f"Contact {n}", life_event=moving, agent=UserFactory(role="agent"))
    many, html = _page_queries(client)
    assert len(_subjects(html)) == 15
    assert len(many) == len(few)
    assert len([sql for sql in many if "interactions_contactmoment" in sql]) == 2  # the count and the page


def test_twenty_to_a_page(client, demo):
    me = PersonFactory()
    for n in range(23):
        _contact(me, 100 - n, topic=f"Contact {n:02d}")
    _sign_in(client, me)
    first = client.get("/mijn/contacten/").content.decode()
    second = client.get("/mijn/contacten/?page=2").content.decode()
    assert _subjects(first) == [f"Contact {n:02d}" for n in range(22, 2, -1)]
    assert _subjects(second) == ["Contact 02", "Contact 01", "Contact 00"]
    assert "Pagina 1 van 2" in first and 'href="?page=2"' in first
    assert "Pagina 2 van 2" in second and 'href="?page=1"' in second


def test_the_selector_gives_a_citizen_their_own_and_anybody_else_nothing():
    me, other = PersonFactory(), PersonFactory()
    older = _contact(me, 2, topic="Ouder")
    newer = _contact(me, 1, topic="Nieuwer")
    _contact(other, 0, topic="Ander contact")
    citizen = Principal.citizen(party_id=me.pk, assurance="substantial")
    assert list(contact_moments_of_citizen(principal=citizen)) == [newer, older]
    supervisor = staff(UserFactory(role="supervisor"))
    assert list(contact_moments_of_citizen(principal=supervisor)) == []
