"""A counter clerk calls the next ticket, serves the visitor found by the BSN on their identity document,
records the passport checked, opens the customer view of the visit, finishes it and opens the printable
summary; axe-core on every page."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from channels_app.counter.models import Ticket
from channels_app.counter.services import ticket_take
from tests.browser.conftest import assert_accessible
from tests.casemanagement.factories import PersonFactory, make_case
from tests.channels_app.counter_support import make_office
from tests.factories import staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_counter_clerk_serves_a_ticket_with_an_identity_check_and_prints_the_summary(staff_page):
    page = staff_page("counter_clerk", username="baliemedewerker")
    clerk = get_user_model().objects.get(username="baliemedewerker")
    office = make_office(clerks=[clerk])
    visitor = PersonFactory(given_names="Fatima", surname="El Amrani")
    make_case(party=visitor, reference="ZAAK-2026-0042")
    ticket_take(office_code=office.code, service_code="paspoort-id", actor=staff(clerk))

    page.get_by_role("link", name="Balie", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Balie Vestiging stadhuis")
    expect(page.locator("#wachtrij-titel")).to_have_text("Wachtrij: 1 wachtende")
    assert_accessible(page)

    page.get_by_label("Naam van uw balie").fill("Balie 3")
    page.get_by_role("button", name="Deze balie kiezen").click()
    page.get_by_role("button", name="Volgende roepen").click()
    expect(page.get_by_role("status")).to_have_text("P001 is opgeroepen naar Balie 3.")
    expect(page.locator("#wachtrij-titel")).to_have_text("Wachtrij: 0 wachtenden")
    assert_accessible(page)

    page.get_by_label("BSN van het identiteitsbewijs").check()
    page.get_by_label("BSN of zaaknummer").fill(visitor.bsn)
    page.get_by_role("button", name="Bezoeker helpen").click()
    expect(page.get_by_role("status")).to_have_text("U helpt P001: Fatima El Amrani. Controleer het identiteitsbewijs.")
    assert_accessible(page)

    page.get_by_label("Gecontroleerd identiteitsbewijs").select_option(label="Paspoort")
    page.get_by_role("button", name="Identiteit vastleggen").click()
    expect(page.get_by_role("status")).to_have_text("Identiteit vastgesteld met: Paspoort.")
    contact = Ticket.objects.get().contact_moment
    assert (contact.identity_document, contact.assurance) == ("passport", "high")
    assert_accessible(page)

    page.get_by_role("link", name="Klantbeeld en acties openen").click()
    expect(page).to_have_url(re.compile(rf"/medewerker/contacten/{contact.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima El Amrani")
    expect(page.get_by_role("row").filter(has_text="ZAAK-2026-0042")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_label("Resultaat van het bezoek").select_option(label="Status gegeven")
    page.get_by_role("button", name="Afronden en samenvatting maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samenvatting van uw bezoek")
    expect(page.locator(".visit-summary")).to_contain_text("Resultaat: Status gegeven.")
    expect(page.locator(".visit-summary")).to_contain_text("U hoeft niets meer te doen.")
    assert visitor.bsn not in page.content()
    assert Ticket.objects.get().status == "done"
    assert_accessible(page)

    page.emulate_media(media="print")  # on paper: the visit only, no menu and no buttons
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("status")).to_be_hidden()
    expect(page.get_by_role("button", name="Afdrukken")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
