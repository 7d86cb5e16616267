"""The agent console in a real browser: an agent opens a contact, finds the person by phone number,
searches the knowledge base and resolves the contact with "this answered it"; an agent changes a
phone number with the code the SMS brought and escalates a permit question after the routing
preview; and the main path again with the keyboard only. axe-core on every page visited."""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casemanagement.models import Escalation, RoutingRule
from channels_app.services import verification_messages_send_due
from contactcentre.interactions.models import ContactMoment
from contactcentre.registry.models import DigitalAddress, Organisation
from contactcentre.registry.services import data_source_rules_seed
from lifeevents.models import LifeEvent
from tests.browser.conftest import assert_accessible
from tests.casemanagement.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)
QUESTION = "Hoe geef ik mijn verhuizing door?"


def _caller():
    person = PersonFactory(given_names="Sanne", surname="de Vries")
    DigitalAddress.objects.create(
        party=person, kind="phone", value="+31612345678", is_default=True, verified_at=timezone.now()
    )
    return person


def _code_from_sms(directory) -> str:
    (message,) = [json.loads(path.read_text()) for path in directory.glob("*.json")]
    return re.search(r"\b(\d{6})\b", message["body"]).group(1)


def test_an_agent_finds_the_caller_by_phone_and_resolves_the_question_with_an_article(staff_page, knowledge):
    person = _caller()
    page = staff_page("agent")
    assert_accessible(page)

    page.get_by_role("link", name="Nieuw contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw contact")
    assert_accessible(page)
    page.get_by_label("Vraag (kort)").fill(QUESTION)
    page.get_by_label("Telefoonnummer").fill("06 12345678")
    page.get_by_role("button", name="Contact openen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sanne de Vries")
    assert_accessible(page)
    page.get_by_label("Zoek in de kennisbank").fill("verhuizing doorgeven")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#kennis-aantal")).to_contain_text("artikelen gevonden")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Dit beantwoordde de vraag")).first.click()
    expect(page.locator(".linked")).to_contain_text("Gekoppeld aan dit contact")
    expect(page.get_by_label("Uitkomst", exact=True)).to_have_value("answered")
    assert_accessible(page)
    page.get_by_role("button", name="Contact afsluiten").click()

    expect(page.locator(".messages")).to_contain_text("Contact afgesloten: Vraag beantwoord.")
    assert_accessible(page)
    contact = ContactMoment.objects.get()
    assert (contact.party, contact.identified_by, contact.outcome) == (person, "phone", "answered")
    assert contact.articles.count() == 1 and contact.life_event is not None


def test_an_agent_changes_a_phone_number_by_code_and_escalates_a_permit_question(
    staff_page, knowledge, settings, tmp_path
):
    settings.TWILIO_ACCOUNT_SID = ""  # SMS to files, as in the embedded default
    settings.SMS_FILE_PATH = str(tmp_path)
    data_source_rules_seed()
    building = LifeEvent.objects.get(slug="verbouwen-bouwen")
    permits = Organisation.objects.get(code="omgevingsdienst")
    RoutingRule.objects.create(
        name="Verbouwen", order=50, life_event=building, organisation=permits, queue="vergunningen"
    )
    RoutingRule.objects.create(
        name="Alles wat overblijft",
        order=70,
        is_default=True,
        organisation=Organisation.objects.get(code="gem-voorbeeldstad"),
    )
    person = _caller()
    page = staff_page("agent")
    page.goto("/medewerker/contacten/nieuw/")
    page.get_by_label("Telefoonnummer").fill("0612345678")
    page.get_by_role("button", name="Contact openen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sanne de Vries")

    page.get_by_label("Gegeven", exact=True).select_option("phone")
    page.get_by_label("Nieuwe waarde").fill("06 23456789")
    page.get_by_role("button", name="Wijzigen").click()
    expect(page.locator("#gegevens")).to_contain_text("Er is een code gestuurd naar")
    assert_accessible(page)
    verification_messages_send_due()  # what the outbox sender does after commit
    page.get_by_label("Code", exact=True).fill(_code_from_sms(tmp_path))
    page.get_by_role("button", name="Code bevestigen").click()
    expect(page.locator(".messages")).to_contain_text("Telefoonnummer gewijzigd en geverifieerd.")
    expect(page.locator("#basisgegevens + dl")).to_contain_text("+316******89")  # masked at assurance low
    assert DigitalAddress.objects.get(party=person, kind="phone", is_default=True).value == "+31623456789"
    assert_accessible(page)

    page.get_by_label("Vraag voor de tweede lijn").fill("Heb ik een vergunning nodig voor een dakkapel?")
    page.get_by_label("Levensgebeurtenis").select_option(label="Verbouwen en bouwen")
    page.get_by_role("button", name="Toon route").click()
    route = page.locator(".route")
    expect(route).to_contain_text("Omgevingsdienst Regio Voorbeeldstad")
    expect(route).to_contain_text("vergunningen")
    expect(route).to_contain_text("Regel 'Verbouwen'")
    assert not Escalation.objects.exists()
    assert_accessible(page)
    page.get_by_role("button", name="Doorzetten naar Omgevingsdienst Regio Voorbeeldstad").click()

    expect(page.locator(".messages")).to_contain_text("Doorgezet naar Omgevingsdienst Regio Voorbeeldstad")
    assert_accessible(page)
    escalation = Escalation.objects.get()
    assert (escalation.organisation, escalation.queue, escalation.party) == (permits, "vergunningen", person)


def test_the_main_path_with_the_keyboard_only(staff_page, knowledge):
    _caller()
    page = staff_page("agent")
    page.goto("/medewerker/contacten/nieuw/")  # phone is the channel chosen
    keyboard = page.keyboard
    keyboard.press("Alt+p")  # the person search: not relying on where the focus lands at load
    expect(page.get_by_label("BSN")).to_be_focused()
    keyboard.press("Shift+Tab")  # the question, just before it
    expect(page.get_by_label("Vraag (kort)")).to_be_focused()
    keyboard.type(QUESTION)
    keyboard.press("Tab")  # BSN
    keyboard.press("Tab")  # phone number
    expect(page.get_by_label("Telefoonnummer")).to_be_focused()
    keyboard.type("0612345678")
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sanne de Vries")
    assert_accessible(page)

    keyboard.press("Alt+z")
    expect(page.get_by_label("Zoek in de kennisbank")).to_be_focused()
    keyboard.type("verhuizing doorgeven")
    keyboard.press("Enter")
    expect(page.locator("#kennis-aantal")).to_be_focused()
    keyboard.press("Tab")  # the first article's full answer
    keyboard.press("Tab")  # its "this answered it"
    expect(page.locator(":focus")).to_have_text(re.compile("^Dit beantwoordde de vraag"))
    keyboard.press("Enter")
    expect(page.locator(".linked")).to_be_focused()
    assert_accessible(page)

    keyboard.press("Alt+u")
    expect(page.get_by_label("Uitkomst", exact=True)).to_be_focused()
    expect(page.get_by_label("Uitkomst", exact=True)).to_have_value("answered")
    keyboard.press("Tab")  # what was said
    keyboard.press("Tab")  # close
    keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Contact afgesloten: Vraag beantwoord.")
    assert_accessible(page)
    contact = ContactMoment.objects.get()
    assert contact.outcome == "answered" and contact.articles.count() == 1
