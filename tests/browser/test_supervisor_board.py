"""A supervisor opens the board; contacts recorded and closed meanwhile (committed, as a door records
them) move its figures without a reload; when the server goes away the board says so and picks up
again by itself when it is back. axe-core on the page."""

import re

import pytest
from playwright.sync_api import expect

from contactcentre.api import roles
from contactcentre.interactions.models import Channel, ContactMoment
from contactcentre.interactions.services import contact_moment_close, contact_moment_record
from contactcentre.principal import SYSTEM
from tests.browser.conftest import assert_accessible, elsewhere

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_board_follows_the_day_live(asgi_live_server, staff_page):
    page = staff_page(roles.SUPERVISOR)
    page.get_by_role("link", name="Bord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bord")
    phone = page.locator('[data-board="today.channels.phone.contacts"]')
    answered = page.locator('[data-board="today.channels.phone.answered"]')
    connection = page.locator("#board-connection")
    announcer = page.locator("#board-announcer")
    expect(phone).to_have_text("0")
    expect(connection).to_have_text("Live bijgewerkt")
    assert_accessible(page)

    contact, _created = elsewhere(contact_moment_record, channel=Channel.PHONE, actor=SYSTEM)

    expect(phone).to_have_text("1")
    expect(page.locator('[data-board="today.total.contacts"]').first).to_have_text("1")
    expect(announcer).to_have_text("Er wachten weer bellers: 1.")  # the call waits: said aloud
    elsewhere(contact_moment_close, contact=contact, outcome=ContactMoment.Outcome.ANSWERED, actor=SYSTEM)
    expect(answered).to_have_text("1")
    expect(page.locator('[data-board="calls.waiting"]')).to_have_text("0")

    asgi_live_server.stop()
    expect(connection).to_have_text(re.compile("Verbinding verbroken"))
    expect(announcer).to_have_text("Verbinding met het bord verbroken.")
    elsewhere(contact_moment_record, channel=Channel.PHONE, actor=SYSTEM)  # while the board cannot hear of it
    asgi_live_server.start()

    expect(connection).to_have_text("Live bijgewerkt", timeout=15_000)  # the snapshot on reconnecting
    expect(phone).to_have_text("2")
    # Back, and the call recorded meanwhile waits: both said, at once.
    expect(announcer).to_have_text("Verbinding met het bord hersteld. Er wachten weer bellers: 1.")
    assert_accessible(page)
