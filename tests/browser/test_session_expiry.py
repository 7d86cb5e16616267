"""The idle session's warning in a real browser, with a short idle time: the dialog opens before the
session ends, "Ingelogd blijven" keeps the staff member signed in past the first expiry, and once the
time is up the page goes to the sign-in page; axe-core with the dialog open and on the sign-in page."""

import re
import time

import pytest
from playwright.sync_api import expect

from contactcentre.api import roles
from tests.browser.conftest import assert_accessible
from tests.casemanagement.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

IDLE_SECONDS = 30
WARNING_SECONDS = 15


def test_the_warning_opens_and_ingelogd_blijven_keeps_the_staff_member_signed_in(staff_page, settings):
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS
    page = staff_page(roles.AGENT)
    signed_in_by = time.monotonic()  # the session was last saved (at sign-in) before this

    dialog = page.get_by_role("alertdialog", name="Uw sessie verloopt bijna")
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=(IDLE_SECONDS - WARNING_SECONDS + 10) * 1000)
    expect(dialog).to_contain_text("Uw sessie verloopt over 1 minuut.")
    keep = dialog.get_by_role("button", name="Ingelogd blijven")
    expect(keep).to_be_focused()
    assert_accessible(page)
    keep.click()
    expect(dialog).to_be_hidden()

    # Past the expiry the sign-in gave, the session lives on (this request is too soon to extend it again).
    time.sleep(max(0.0, signed_in_by + IDLE_SECONDS + 3 - time.monotonic()))
    assert page.request.get("/medewerker/", max_redirects=0).status == 200

    # Left alone, the warning comes again and then the page goes to sign in, where it is welcome back.
    expect(dialog).to_be_visible(timeout=IDLE_SECONDS * 1000)
    expect(page).to_have_url(re.compile(r"/aanmelden/\?next=%2Fmedewerker%2F$"), timeout=IDLE_SECONDS * 1000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden als medewerker")
    assert_accessible(page)
    assert page.request.get("/medewerker/", max_redirects=0).status == 302


def test_a_citizen_is_warned_on_their_own_pages_too(page, settings):
    settings.DEMO_MODE = True
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = IDLE_SECONDS - 2
    me = PersonFactory(given_names="Fatima", surname="El Amrani")
    page.goto("/mijn/")
    page.get_by_label(me.display_name).check()
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn zaken")

    dialog = page.get_by_role("alertdialog", name="Uw sessie verloopt bijna")
    expect(dialog).to_be_visible(timeout=15_000)
    assert_accessible(page)
    dialog.get_by_role("button", name="Ingelogd blijven").click()
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/mijn/$"))
