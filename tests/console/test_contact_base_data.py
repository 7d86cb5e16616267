"""Changing base data from the workspace within the single-source rules: a code to the new phone
number or e-mail address first, a refusal said plainly, and a datum held elsewhere sent on as a
request to its source organisation."""

import pytest

from casemanagement.models import Escalation, RoutingRule
from contactcentre.api import roles
from contactcentre.registry.models import BaseDataChange, DigitalAddress, VerificationChallenge
from contactcentre.registry.services import data_source_rules_seed
from tests.console import contact_support
from tests.console.contact_support import HTMX, action_url, contact_of, person_with_phone, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules(settings):
    settings.REGISTRY_VERIFICATION_SENDER = "tests.console.contact_support.fake_sender"
    contact_support.SENT_CODES.clear()
    return data_source_rules_seed()


def _agent_with_contact(client, **kwargs):
    agent = signed_in(client, roles.AGENT, **kwargs)
    person = person_with_phone()
    return person, contact_of(agent, person)


def test_a_new_phone_number_is_changed_after_the_code_it_was_sent(client):
    person, contact = _agent_with_contact(client)

    asked = client.post(action_url("base-data", contact), {"attribute": "phone", "value": "06 23456789"}, **HTMX)

    assert "Er is een code gestuurd naar +316******89" in asked.content.decode()
    (sent,) = contact_support.SENT_CODES
    assert sent["recipient"] == "+31623456789"
    challenge = VerificationChallenge.objects.get(party=person)
    assert not DigitalAddress.objects.filter(party=person, value="+31623456789").exists()

    confirmed = client.post(
        action_url("base-data-confirm", contact), {"challenge": challenge.pk, "code": sent["code"]}, **HTMX
    )

    assert confirmed["HX-Redirect"] == f"/medewerker/contacten/{contact.pk}/"
    phone = DigitalAddress.objects.get(party=person, kind="phone", is_default=True)
    assert phone.value == "+31623456789" and phone.verified_at is not None
    change = BaseDataChange.objects.get()
    assert (change.status, change.contact_reference, change.channel) == ("applied", str(contact.pk), "phone")


def test_a_wrong_code_is_said_and_changes_nothing(client):
    person, contact = _agent_with_contact(client)
    client.post(action_url("base-data", contact), {"attribute": "phone", "value": "06 23456789"}, **HTMX)
    challenge = VerificationChallenge.objects.get()
    wrong = "000000" if contact_support.SENT_CODES[0]["code"] != "000000" else "111111"

    response = client.post(action_url("base-data-confirm", contact), {"challenge": challenge.pk, "code": wrong}, **HTMX)

    assert "De code klopt niet." in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.attempts == 1
    assert DigitalAddress.objects.get(party=person, is_default=True).value == contact_support.PHONE


def test_a_datum_without_verification_is_changed_at_once(client):
    person, contact = _agent_with_contact(client)

    response = client.post(action_url("base-data", contact), {"attribute": "preferred_language", "value": "en"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "en"


def test_a_bad_value_is_shown_on_its_field(client):
    person, contact = _agent_with_contact(client)

    response = client.post(action_url("base-data", contact), {"attribute": "email", "value": "geen-adres"}, **HTMX)

    assert 'id="gegevens-value_error"' in response.content.decode()
    assert not BaseDataChange.objects.exists() and not contact_support.SENT_CODES


def test_too_low_an_assurance_is_refused_with_the_rule(client):
    person, contact = _agent_with_contact(client)

    response = client.post(
        action_url("base-data", contact), {"attribute": "iban", "value": "NL91ABNA0417164300"}, **HTMX
    )

    page = response.content.decode()
    assert "betrouwbaarheidsniveau" in page and "Stuur door als verzoek" not in page
    assert not BaseDataChange.objects.exists()


def test_a_datum_held_elsewhere_is_refused_and_sent_on_as_a_request(client):
    person, contact = _agent_with_contact(client)
    wish = {"attribute": "residential_address", "value": "Kerkstraat 1, 1234 AB Voorbeeldstad", "reason": "Verhuisd"}

    refused = client.post(action_url("base-data", contact), wish, **HTMX)

    page = refused.content.decode()
    assert "wordt beheerd door" in page and "(BRP)" in page and "Stuur door als verzoek aan de bron" in page
    assert not Escalation.objects.exists()

    sent = client.post(action_url("base-data-request", contact), wish, **HTMX)

    assert sent["HX-Redirect"] == f"/medewerker/contacten/{contact.pk}/"
    escalation = Escalation.objects.get()
    assert (escalation.contact_moment, escalation.party, escalation.organisation.code) == (
        contact,
        person,
        "gem-voorbeeldstad",
    )
    assert (escalation.requested_attribute, escalation.requested_value) == (
        "residential_address",
        "Kerkstraat 1, 1234 AB Voorbeeldstad",
    )
    assert escalation.context == "Verhuisd" and not RoutingRule.objects.exists()


def test_an_anonymous_contact_changes_nothing(client):
    agent = signed_in(client, roles.AGENT)
    contact = contact_of(agent)

    response = client.post(action_url("base-data", contact), {"attribute": "preferred_language", "value": "en"}, **HTMX)

    assert "Stel eerst vast wie de klant is." in response.content.decode()
    assert not BaseDataChange.objects.exists()


def test_another_agents_contact_is_a_404(client):
    colleague = signed_in(client, roles.AGENT, username="collega")
    person = person_with_phone()
    contact = contact_of(colleague, person)
    signed_in(client, roles.AGENT, username="ik")

    assert (
        client.post(action_url("base-data", contact), {"attribute": "phone", "value": "0623456789"}).status_code == 404
    )
    assert (
        client.post(action_url("base-data-request", contact), {"attribute": "phone", "value": "x"}).status_code == 404
    )
    assert not VerificationChallenge.objects.exists() and not Escalation.objects.exists()


def test_a_supervisor_does_not_change_a_persons_data(client):
    supervisor = signed_in(client, roles.SUPERVISOR)
    contact = contact_of(supervisor, person_with_phone())

    response = client.post(action_url("base-data", contact), {"attribute": "preferred_language", "value": "en"})

    assert response.status_code == 403 and not BaseDataChange.objects.exists()
    assert "Gegevens wijzigen" not in client.get(f"/medewerker/contacten/{contact.pk}/").content.decode()
