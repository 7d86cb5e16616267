"""Registering the outcome closes the contact at hand; scheduling a callback closes it as "callback
requested" and puts the callback in the chosen team's queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contactcentre.api import roles
from contactcentre.interactions.models import CallbackRequest, ContactMoment, WorkItem
from contactcentre.interactions.services import work_queue_ensure
from tests.console.contact_support import HTMX, PHONE, action_url, contact_of, person_with_phone, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    return work_queue_ensure(code="kcc-terugbellen", name="Terugbellen klantcontactcentrum")


def test_the_outcome_closes_the_contact(client):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent, person_with_phone())

    response = client.post(action_url("outcome", contact), {"outcome": "answered", "answer": "Uitgelegd."}, **HTMX)

    assert response.status_code == 200 and response["HX-Redirect"] == f"/medewerker/contacten/{contact.pk}/"
    contact.refresh_from_db()
    assert (contact.outcome, contact.answer, contact.ended_at is not None) == ("answered", "Uitgelegd.", True)
    page = client.get(f"/medewerker/contacten/{contact.pk}/").content.decode()
    assert "Contact afgesloten: Vraag beantwoord." in page
    assert "Contact afsluiten" not in page  # no actions on a closed contact


def test_an_unknown_outcome_is_shown_on_the_form(client):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)

    response = client.post(action_url("outcome", contact), {"outcome": "opgelost"}, **HTMX)

    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
    contact.refresh_from_db()
    assert contact.ended_at is None


def test_a_contact_is_closed_once(client):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)
    client.post(action_url("outcome", contact), {"outcome": "answered"})

    response = client.post(action_url("outcome", contact), {"outcome": "referred"}, follow=True)

    assert "Dit contactmoment is al afgesloten." in response.content.decode()
    contact.refresh_from_db()
    assert contact.outcome == "answered"


def test_another_agents_contact_cannot_be_closed(client):
    contact = contact_of(signed_in(client, roles.AGENT, username="collega"))
    signed_in(client, roles.AGENT, username="ik")

    assert client.post(action_url("outcome", contact), {"outcome": "answered"}).status_code == 404
    contact.refresh_from_db()
    assert contact.ended_at is None


def test_a_role_without_contacts_cannot_close_one(client):
    contact = contact_of(signed_in(client, roles.AGENT, username="agent"))
    signed_in(client, roles.FUNCTIONAL_ADMIN)

    assert client.post(action_url("outcome", contact), {"outcome": "answered"}).status_code == 403


def test_a_callback_is_scheduled_and_the_contact_closed(client, team):
    agent = signed_in(client, roles.AGENT)
    person = person_with_phone()
    contact = contact_of(agent, person)
    form = {"queue": team.pk, "phone_number": "06 12345678", "question": "Bel terug over de WOZ"}

    response = client.post(action_url("callback", contact), form, **HTMX)

    assert response["HX-Redirect"] == f"/medewerker/contacten/{contact.pk}/"
    callback = CallbackRequest.objects.get()
    assert (callback.queue, callback.phone_number, callback.party, callback.contact_moment) == (
        team,
        PHONE,
        person,
        contact,
    )
    assert (callback.question, callback.requested_by) == ("Bel terug over de WOZ", agent)
    assert WorkItem.objects.get(kind="callback").queue == team
    contact.refresh_from_db()
    assert contact.outcome == ContactMoment.Outcome.CALLBACK_REQUESTED


def test_a_callback_with_bad_input_is_shown_and_nothing_is_scheduled(client, team):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)
    form = {"queue": team.pk, "phone_number": "12", "question": "Terugbellen"}
    tomorrow = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0)

    bad_number = client.post(action_url("callback", contact), form, **HTMX)
    bad_window = client.post(
        action_url("callback", contact),
        {
            **form,
            "phone_number": PHONE,
            "call_after": f"{tomorrow:%Y-%m-%dT%H:%M}",
            "call_before": f"{tomorrow:%Y-%m-%dT09:00}",
        },
        **HTMX,
    )

    assert 'id="terugbellen-phone_number_error"' in bad_number.content.decode()
    assert "Moet na &#x27;bellen vanaf&#x27; liggen." in bad_window.content.decode()
    assert not CallbackRequest.objects.exists()
    contact.refresh_from_db()
    assert contact.ended_at is None


def test_a_callback_for_another_agents_contact_is_a_404(client, team):
    contact = contact_of(signed_in(client, roles.AGENT, username="collega"))
    signed_in(client, roles.AGENT, username="ik")

    response = client.post(action_url("callback", contact), {"queue": team.pk, "phone_number": PHONE, "question": "x"})

    assert response.status_code == 404 and not CallbackRequest.objects.exists()


def test_a_role_without_callbacks_is_refused(client, team):
    contact = contact_of(signed_in(client, roles.AGENT, username="agent"))
    signed_in(client, roles.POST_ROOM)

    response = client.post(action_url("callback", contact), {"queue": team.pk, "phone_number": PHONE, "question": "x"})

    assert response.status_code == 403 and not CallbackRequest.objects.exists()


def test_without_script_the_whole_workspace_answers_with_the_error(client):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent, person_with_phone())

    response = client.post(action_url("outcome", contact), {"outcome": "opgelost"})

    page = response.content.decode()
    assert response.status_code == 400 and "<h1>" in page and 'id="uitkomst-outcome_error"' in page
    contact.refresh_from_db()
    assert contact.ended_at is None
