"""Escalating from the workspace: the routing preview first (organisation, queue, deadlines the rules
pick, writing nothing), then the escalation on the agent's confirmation."""

import pytest

from casemanagement.models import Escalation, EscalationDelivery, RoutingRule
from contactcentre.api import roles
from contactcentre.processinglog.models import ProcessingRecord
from lifeevents.models import LifeEvent
from tests.console.contact_support import HTMX, action_url, contact_of, person_with_phone, signed_in
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
QUESTION = "Mag ik een dakkapel plaatsen zonder vergunning?"


@pytest.fixture
def building(db):
    """A rule for renovating (to the permit authority) and the municipality as the default."""
    event = LifeEvent.objects.create(slug="verbouwen-bouwen", name="Verbouwen of bouwen")
    permits = OrganisationFactory(code="omgevingsdienst", name="Omgevingsdienst")
    RoutingRule.objects.create(name="Verbouwen", order=50, life_event=event, organisation=permits, queue="vergunningen")
    RoutingRule.objects.create(
        name="Alles wat overblijft", order=70, is_default=True, organisation=OrganisationFactory(code="gemeente")
    )
    return event


def test_the_preview_shows_the_route_and_writes_no_escalation(client, building):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent, person_with_phone())

    response = client.post(
        action_url("escalate", contact), {"question": QUESTION, "life_event": building.pk, "step": "preview"}, **HTMX
    )

    page = response.content.decode()
    assert "Omgevingsdienst" in page and "vergunningen" in page
    assert "Regel &#x27;Verbouwen&#x27;: levensgebeurtenis: Verbouwen of bouwen." in page
    assert "Doorzetten naar Omgevingsdienst" in page
    assert not Escalation.objects.exists() and not EscalationDelivery.objects.exists()


def test_confirming_escalates_to_the_organisation_the_rules_pick(client, building):
    agent = signed_in(client, roles.AGENT)
    person = person_with_phone()
    contact = contact_of(agent, person)
    form = {"question": QUESTION, "context": "Geen artikel paste", "life_event": building.pk, "step": "confirm"}

    response = client.post(action_url("escalate", contact), form, **HTMX)

    escalation = Escalation.objects.get()
    assert response["HX-Redirect"] == f"/medewerker/contacten/{contact.pk}/"
    assert (escalation.organisation.code, escalation.queue, escalation.rule.name) == (
        "omgevingsdienst",
        "vergunningen",
        "Verbouwen",
    )
    assert (escalation.contact_moment, escalation.party, escalation.question, escalation.context) == (
        contact,
        person,
        QUESTION,
        "Geen artikel paste",
    )
    assert EscalationDelivery.objects.filter(escalation=escalation).count() == 1
    contact.refresh_from_db()
    assert contact.life_event == building and contact.ended_at is None
    page = client.get(f"/medewerker/contacten/{contact.pk}/").content.decode()
    assert f"Doorgezet naar Omgevingsdienst, kenmerk {escalation.reference}" in page


def test_without_a_life_event_the_default_rule_applies(client, building):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent, person_with_phone())

    client.post(action_url("escalate", contact), {"question": "Iets anders", "step": "confirm"}, **HTMX)

    assert Escalation.objects.get().organisation.code == "gemeente"


def test_an_empty_question_is_shown_on_the_form(client, building):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)

    response = client.post(action_url("escalate", contact), {"question": "", "step": "confirm"}, **HTMX)

    assert 'id="doorzetten-question_error"' in response.content.decode()
    assert not Escalation.objects.exists()


def test_no_rule_is_a_clear_refusal(client):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)

    response = client.post(action_url("escalate", contact), {"question": QUESTION, "step": "preview"}, **HTMX)

    assert "Geen routeringsregel past" in response.content.decode()


def test_another_agents_contact_is_a_404(client, building):
    contact = contact_of(signed_in(client, roles.AGENT, username="collega"), person_with_phone())
    signed_in(client, roles.AGENT, username="ik")

    for step in ("preview", "confirm"):
        assert client.post(action_url("escalate", contact), {"question": QUESTION, "step": step}).status_code == 404
    assert not Escalation.objects.exists()
    assert not ProcessingRecord.objects.filter(object_type="routing_preview").exists()


def test_a_role_that_does_not_escalate_is_refused(client, building):
    contact = contact_of(signed_in(client, roles.AGENT, username="agent"))
    signed_in(client, roles.POST_ROOM)

    assert client.post(action_url("escalate", contact), {"question": QUESTION, "step": "confirm"}).status_code == 403
    assert not Escalation.objects.exists()


def test_a_counter_clerk_escalates_their_visitors_question(client, building):
    clerk = signed_in(client, roles.COUNTER_CLERK)
    contact = contact_of(clerk, person_with_phone(), channel="counter")

    form = {"question": QUESTION, "life_event": building.pk, "step": "confirm"}
    client.post(action_url("escalate", contact), form, **HTMX)

    assert Escalation.objects.get().organisation.code == "omgevingsdienst"
