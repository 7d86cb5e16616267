"""A citizen finds an answer on the public pages, by mouse and by keyboard only, and says whether it
helped; every page visited passes axe-core and runs no inline script (the CSP would block it)."""

import re

import pytest
from playwright.sync_api import expect

from lifeevents.models import ArticleFeedback
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_finds_an_answer_through_a_life_event_and_gives_feedback(page, knowledge):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )

    page.goto("/")
    expect(page).to_have_title("Wat gebeurt er in uw leven? – Klantcontactcentrum")
    assert_accessible(page)

    page.get_by_role("link", name="Verhuizen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verhuizen")
    assert_accessible(page)

    page.get_by_role("link", name="Hoe geef ik mijn verhuizing door aan de gemeente?").click()
    expect(page).to_have_url(re.compile(r"/antwoorden/kb-0001/$"))
    assert_accessible(page)

    page.get_by_label("Ja").check()
    page.get_by_label("Toelichting (optioneel, zonder persoonsgegevens)").fill("Duidelijk, dank u")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Dank u wel")
    assert_accessible(page)
    assert list(ArticleFeedback.objects.values_list("helpful", "comment")) == [(True, "Duidelijk, dank u")]
    assert violations == []


def test_search_by_keyboard_only(page, knowledge):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    # From the skip link, tab to the search field; type and submit with Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "zoekvraag":
            break
    expect(page.get_by_label("Stel uw vraag in uw eigen woorden")).to_be_focused()
    page.keyboard.type("hoe geef ik mijn nieuwe adres door")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/zoeken/\?q="))
    expect(page.get_by_role("link", name="Hoe geef ik mijn verhuizing door aan de gemeente?")).to_be_visible()
    assert_accessible(page)
