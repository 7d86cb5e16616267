"""A case worker of the permit authority signs in, opens an escalation on the worklist, accepts it and
resolves it with a text for the citizen; the citizen gets the outcome by SMS (their preferred channel)
and, signed in to the portal, sees the outcome on "Mijn zaken", the message (sent by SMS) on "Mijn
berichten", and in "Wie zag mijn gegevens" that the organisation handled their question.
axe-core on every page."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from casemanagement.escalations import escalation_create
from casemanagement.models import CaseWorker, Escalation, RoutingRule
from channels_app.services import notifications_send_due
from contactcentre.api import roles
from contactcentre.interactions.services import contact_moment_record
from contactcentre.registry.models import Consent, DigitalAddress
from tests.browser.conftest import assert_accessible
from tests.casemanagement.factories import PersonFactory
from tests.factories import OrganisationFactory, UserFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)
OUTCOME = "U mag de dakkapel aan de voorkant plaatsen zonder vergunning."


def _citizen_who_wants_sms():
    person = PersonFactory(given_names="Fatima", surname="El Amrani", preferred_channel="sms")
    now = timezone.now()
    DigitalAddress.objects.create(party=person, kind="phone", value="+31612345678", is_default=True, verified_at=now)
    Consent.objects.create(party=person, purpose="sms_notifications", granted=True, channel="portal", changed_at=now)
    return person


def _permit_question(person) -> Escalation:
    permits = OrganisationFactory(code="omgevingsdienst", name="Omgevingsdienst Regio Voorbeeldstad")
    RoutingRule.objects.create(name="Vergunningen", is_default=True, organisation=permits, order=999)
    agent = UserFactory(role=roles.AGENT)
    contact, _ = contact_moment_record(channel="phone", actor=staff(agent), agent=agent, party=person)
    return escalation_create(
        contact=contact,
        actor=staff(agent),
        question="Mag ik een dakkapel aan de voorkant plaatsen?",
        context="Het artikel over dakkapellen noemt de voorkant niet.",
    )


def test_a_case_worker_resolves_an_escalation_and_the_citizen_gets_the_outcome(
    staff_page, browser, live_server, settings, tmp_path
):
    settings.DEMO_MODE = True
    settings.TWILIO_ACCOUNT_SID = ""  # SMS to files, as in the embedded default
    settings.SMS_FILE_PATH = str(tmp_path)
    person = _citizen_who_wants_sms()
    escalation = _permit_question(person)

    page = staff_page(roles.CASE_WORKER, username="bram")
    CaseWorker.objects.create(user=get_user_model().objects.get(username="bram"), organisation=escalation.organisation)
    page.get_by_role("link", name="Werklijst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werklijst")
    row = page.get_by_role("row").filter(has_text=escalation.reference)
    expect(row).to_contain_text("Afgeleverd")
    assert_accessible(page)

    row.get_by_role("link", name=escalation.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Doorverwijzing {escalation.reference}")
    expect(page.get_by_text("Het artikel over dakkapellen noemt de voorkant niet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Aannemen").click()
    expect(page.get_by_role("status")).to_contain_text("Status: Aangenomen.")
    assert_accessible(page)

    page.get_by_label("Uitkomst voor de burger").fill(OUTCOME)
    page.get_by_role("button", name="Afhandelen en de burger berichten").click()
    expect(page.get_by_role("status")).to_contain_text("Status: Afgehandeld.")
    expect(page.locator(".data-list")).to_contain_text(OUTCOME)
    assert_accessible(page)
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.RESOLVED

    assert notifications_send_due()["sent"] == 1  # what the outbox sender does after commit
    (message,) = [json.loads(path.read_text()) for path in tmp_path.glob("*.json")]
    assert message["to"] == "+31612345678"
    assert OUTCOME in message["body"] and escalation.reference in message["body"]

    citizen = browser.new_context(base_url=live_server.url, locale="nl-NL").new_page()
    citizen.goto("/mijn/")
    citizen.get_by_label(person.display_name).check()
    citizen.get_by_role("button", name="Inloggen").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Mijn zaken")
    question = citizen.get_by_role("row").filter(has_text=escalation.reference)
    expect(question).to_contain_text("Mag ik een dakkapel aan de voorkant plaatsen?")
    expect(question).to_contain_text("Omgevingsdienst Regio Voorbeeldstad")
    expect(question.get_by_role("cell").nth(1)).to_have_text(f"AfgehandeldUitkomst: {OUTCOME}")  # a <br> between
    expect(question).not_to_contain_text("Het artikel over dakkapellen")  # the first line's own context
    assert_accessible(citizen)

    citizen.get_by_role("link", name="Mijn berichten").click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Mijn berichten")
    outcome = citizen.get_by_role("article").filter(has=citizen.get_by_role("heading", name="Uw vraag is afgehandeld"))
    expect(outcome).to_contain_text("Per sms")
    expect(outcome).to_contain_text(f"Uw vraag met kenmerk {escalation.reference} is afgehandeld")
    expect(outcome).to_contain_text(OUTCOME)
    assert_accessible(citizen)
    citizen.get_by_role("link", name="Wie zag mijn gegevens").click()
    handled = citizen.get_by_role("row").filter(has_text="Medewerker (omgevingsdienst)")
    expect(handled.filter(has_text=re.compile("uw vraag aan een andere organisatie")).first).to_contain_text(
        "Behandelen van een doorverwijzing (tweede lijn)"
    )
    assert_accessible(citizen)
    citizen.context.close()
