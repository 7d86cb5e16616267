"""A supervisor opens the board; contacts recorded and closed meanwhile (committed, as a door records
them) move its figures without a reload; when the server goes away the board says so and picks up
again by itself when it is back; escalations past their deadline are marked and announced. axe-core on
the page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casemanagement.models import Escalation
from contactcentre.api import roles
from contactcentre.interactions.models import Channel, ContactMoment
from contactcentre.interactions.services import contact_moment_close, contact_moment_record
from contactcentre.interactions.work_items import work_item_create
from contactcentre.principal import SYSTEM
from tests.browser.conftest import assert_accessible, elsewhere
from tests.firstline.board_scene import NEAR_BREACH_HOURS, board_scene

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


def test_escalations_past_their_deadline_are_marked_and_announced(asgi_live_server, staff_page, settings):
    settings.ESCALATION_NEAR_BREACH_HOURS = NEAR_BREACH_HOURS
    scene = board_scene(timezone.now())
    page = staff_page(roles.SUPERVISOR)
    page.goto("/medewerker/bord/")
    expect(page.locator("#board-connection")).to_have_text("Live bijgewerkt")

    def late_mark(escalation):
        return page.get_by_role("row").filter(has_text=escalation.reference).get_by_text("verlopen")

    expect(late_mark(scene.overdue)).to_be_visible()
    expect(late_mark(scene.near)).to_be_hidden()
    assert_accessible(page)

    Escalation.objects.filter(pk=scene.near.pk).update(resolution_due=timezone.now() - timedelta(minutes=1))
    elsewhere(work_item_create, queue_code="post", kind="scan", title="Brief")  # any board event refreshes it

    expect(page.locator('[data-board="escalations.past_deadline"]')).to_have_text("2")
    expect(late_mark(scene.near)).to_be_visible()  # the rows drawn again from the snapshot
    expect(page.locator("#board-announcer")).to_have_text("Meer doorverwijzingen over de termijn: nu 2.")
