"""A citizen signs in with the simulated DigiD, asks to be called back, sets the channel and language of
our messages (and the portal turns English), and an anonymous visitor tells a public page whether it
helped, with htmx and without; axe-core on every page, and no Content-Security-Policy violation."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contactcentre.interactions.models import CallbackRequest, WorkItem
from contactcentre.interactions.services import work_queue_ensure
from contactcentre.registry.models import DigitalAddress, Party
from contactcentre.registry.services import data_source_rules_seed
from lifeevents.models import PageFeedback
from tests.browser.conftest import assert_accessible
from tests.casemanagement.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_asks_for_a_callback_and_sets_their_channel_and_language(page, settings):
    settings.DEMO_MODE = True
    data_source_rules_seed()
    work_queue_ensure(code=settings.PORTAL_CALLBACK_QUEUE, name="Terugbellen")
    me = PersonFactory(given_names="Fatima", surname="El Amrani", preferred_channel="letter")
    DigitalAddress.objects.create(
        party=me, kind="phone", value="+31612345678", is_default=True, verified_at=timezone.now()
    )

    page.goto("/mijn/terugbellen/")
    assert_accessible(page)
    page.get_by_label(me.display_name).check()
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Terugbelverzoek")
    expect(page.get_by_label("Telefoonnummer")).to_have_value("+31612345678")
    assert_accessible(page)
    page.get_by_label("Wanneer mogen wij bellen?").select_option(index=1)
    page.get_by_label("Waar gaat uw vraag over?").fill("Hoe lang duurt mijn aanvraag voor bijzondere bijstand nog?")
    page.get_by_role("button", name="Bel mij terug").click()
    expect(page.locator(".messages")).to_contain_text("Uw terugbelverzoek is ontvangen")
    expect(page.get_by_role("list", name="Uw openstaande terugbelverzoeken")).to_contain_text("bijzondere bijstand")
    assert_accessible(page)
    callback = CallbackRequest.objects.get()
    assert (callback.party_id, callback.phone_number, callback.status) == (me.pk, "+31612345678", "open")
    assert WorkItem.objects.get(source_key=f"callback:{callback.pk}").queue.code == settings.PORTAL_CALLBACK_QUEUE

    page.get_by_role("link", name="Mijn voorkeuren").click()
    expect(page.get_by_label("Brief")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("U heeft nog geen gecontroleerd e-mailadres")
    assert_accessible(page)

    page.get_by_label("Sms", exact=True).check()
    page.get_by_label("Engels").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
    me.refresh_from_db()
    assert (me.preferred_channel, me.preferred_language) == ("sms", "en")


def test_an_anonymous_visitor_answers_did_this_help_with_and_without_htmx(page, browser, live_server):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto("/zoeken/")
    expect(page).to_have_title(re.compile("Zoeken"))
    assert_accessible(page)
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Nee", exact=True).check()
    footer.get_by_label("Wat miste u? (optioneel, zonder persoonsgegevens)").fill("Ik vond niets over parkeren")
    footer.get_by_role("button", name="Versturen").click()
    expect(footer.get_by_role("status")).to_contain_text("Dank u wel")
    expect(page).to_have_url(re.compile(r"/zoeken/$"))  # swapped in place: no page load
    assert_accessible(page)

    without_script = browser.new_context(base_url=live_server.url, locale="nl-NL", java_script_enabled=False)
    plain = without_script.new_page()
    plain.goto("/")
    plain.get_by_role("contentinfo").get_by_label("Ja", exact=True).check()
    plain.get_by_role("contentinfo").get_by_role("button", name="Versturen").click()
    expect(plain).to_have_url(re.compile(r"/\?bedankt=1#feedback-titel$"))
    expect(plain.get_by_role("contentinfo").get_by_role("status")).to_contain_text("Dank u wel")
    without_script.close()

    assert list(PageFeedback.objects.order_by("id").values_list("path", "helpful", "comment")) == [
        ("/zoeken/", False, "Ik vond niets over parkeren"),
        ("/", True, ""),
    ]
    assert not Party.objects.exists()
    assert violations == []
