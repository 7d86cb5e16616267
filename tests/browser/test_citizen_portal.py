"""A citizen signs in with the simulated DigiD, sees a case status, changes a phone number with the
code the SMS brought, withdraws a consent, finds their question among their contacts and reads who
looked at their data; axe-core on every page."""

import json
import re

import pytest
from playwright.sync_api import expect

from channels_app.services import verification_messages_send_due
from contactcentre.interactions.models import WorkItem
from contactcentre.registry.models import Consent, DigitalAddress
from contactcentre.registry.services import data_source_rules_seed
from tests.browser.conftest import assert_accessible
from tests.casemanagement.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def _code_from_sms(directory) -> str:
    (message,) = [json.loads(path.read_text()) for path in directory.glob("*.json")]
    return re.search(r"\b(\d{6})\b", message["body"]).group(1)


def test_a_citizen_follows_their_case_changes_a_phone_number_and_withdraws_a_consent(page, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.TWILIO_ACCOUNT_SID = ""  # SMS to files, as in the embedded default
    settings.SMS_FILE_PATH = str(tmp_path)
    data_source_rules_seed()
    me = PersonFactory(given_names="Fatima", surname="El Amrani")
    case = make_case(party=me, reference="ZAAK-2026-0042")

    page.goto("/mijn/")
    expect(page).to_have_title(re.compile("Inloggen met DigiD"))
    assert_accessible(page)
    page.get_by_label(me.display_name).check()
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn zaken")
    row = page.get_by_role("row").filter(has_text="ZAAK-2026-0042")
    expect(row).to_contain_text(case.case_type.name)
    assert_accessible(page)

    page.get_by_role("link", name="Mijn gegevens", exact=True).click()
    page.get_by_label("Nieuw telefoonnummer").fill("06 23456789")
    page.get_by_role("button", name="Stuur een code").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    assert_accessible(page)
    verification_messages_send_due()  # what the outbox sender does after commit
    page.get_by_label("Code").fill(_code_from_sms(tmp_path))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("status")).to_contain_text("Gelukt")
    expect(page.locator(".data-list")).to_contain_text("+31623456789")
    assert DigitalAddress.objects.get(party=me, value="+31623456789").verified_at is not None
    assert_accessible(page)

    page.get_by_role("link", name="Mijn toestemmingen").click()
    page.get_by_role("button", name="Toestaan: Berichten per sms ontvangen").click()
    page.get_by_role("button", name="Intrekken: Berichten per sms ontvangen").click()
    expect(page.get_by_role("status")).to_contain_text("U heeft uw toestemming ingetrokken")
    assert Consent.objects.filter(party=me, purpose="sms_notifications").latest("id").granted is False
    assert_accessible(page)

    page.get_by_role("link", name="Vraag stellen").click()
    page.get_by_label("Wat wilt u weten?").fill("Mag ik mijn schuur als werkplaats gebruiken?")
    page.get_by_role("button", name="Zoek eerst een antwoord").click()
    assert_accessible(page)
    page.get_by_role("button", name="Stuur mijn vraag").click()
    expect(page.get_by_role("status")).to_contain_text("Uw vraag is ontvangen")
    assert WorkItem.objects.get(queue__code="web").party_id == me.pk

    page.get_by_role("link", name="Mijn contacten").click()
    expect(page.locator(".message-list").get_by_role("heading", level=2)).to_have_text(
        ["Mag ik mijn schuur als werkplaats gebruiken?"]
    )
    expect(page.locator(".message-list")).to_contain_text("Website/portaal · U nam contact op")
    assert_accessible(page)

    page.get_by_role("link", name="Wie zag mijn gegevens").click()
    expect(page.get_by_role("table")).to_contain_text("Burger bekijkt of wijzigt eigen gegevens")
    assert_accessible(page)
