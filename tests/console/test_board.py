"""The supervisors' board page: the figures of the board selector rendered on the server (complete
without script), for supervisors only, in a number of queries that does not grow with the day."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contactcentre.api import roles
from contactcentre.console import board as board_view
from contactcentre.firstline.board import supervisor_board
from tests.factories import UserFactory
from tests.firstline.board_scene import NEAR_BREACH_HOURS, board_scene, day_scene

pytestmark = pytest.mark.django_db
URL = "/medewerker/bord/"
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # 11:00 in Amsterdam


@pytest.fixture
def at_now(monkeypatch):
    """The board read at NOW (the page's only clock), so a day set up around NOW is today."""
    monkeypatch.setattr(board_view, "supervisor_board", lambda: supervisor_board(now=NOW))


def shown(page: str, place: str) -> str:
    """The text of the element that shows `place` of the board (data-board), the first if several."""
    return re.search(rf'data-board="{re.escape(place)}"[^>]*>([^<]*)<', page).group(1)


def rows(page: str, list_name: str) -> list[list[str]]:
    """The cells' texts of the rows the page drew for a list of the board (data-board-rows)."""
    body = re.search(rf'data-board-rows="{re.escape(list_name)}".*?>(.*?)</tbody>', page, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def signed_in(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    return user


def test_a_supervisor_sees_the_figures_of_the_day(client, at_now):
    day_scene(NOW)
    signed_in(client, roles.SUPERVISOR)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    # Three phone calls: two answered at the first line, one escalated; 4, 2 and 6 minutes.
    assert [shown(page, f"today.channels.phone.{figure}") for figure in ("contacts", "answered", "escalated")] == [
        "3",
        "2",
        "1",
    ]
    assert shown(page, "today.channels.phone.average_handling_seconds") == "4:00"
    assert shown(page, "today.channels.email.average_handling_seconds") == "–"  # nothing ended yet
    assert [shown(page, f"today.doors.staff.{figure}") for figure in ("contacts", "answered", "escalated")] == [
        "2",
        "1",
        "1",
    ]
    assert shown(page, "today.total.contacts") == "6"
    assert shown(page, "today.total.average_handling_seconds") == "3:15"
    assert shown(page, "at") == "11:00:00"
    assert rows(page, "failed_articles") == [["Hoe verleng ik mijn rijbewijs?", "2"], ["Wat kost een paspoort?", "1"]]
    assert rows(page, "escalations.nearest") == [["Geen doorverwijzingen over of bijna over de termijn."]]
    assert shown(page, "calls.waiting") == "0"


def test_queues_and_escalations_past_their_deadline_are_on_the_page(client, settings, at_now):
    settings.ESCALATION_NEAR_BREACH_HOURS = NEAR_BREACH_HOURS
    scene = board_scene(NOW)
    signed_in(client, roles.SUPERVISOR)

    page = client.get(URL).content.decode()

    assert shown(page, "calls.waiting") == "2"
    assert rows(page, "queues") == [["Post", "2", "2", "1", "1:30"], ["Sms", "0", "0", "0", "0:00"]]
    assert shown(page, "escalations.past_deadline") == "1"
    (overdue, *_), (near, *_) = rows(page, "escalations.nearest")
    assert (overdue, near) == (scene.overdue.reference, scene.near.reference)
    late = re.findall(r"<span class=\"status status-late\" data-late( hidden)?>", page)
    assert late[:2] == ["", " hidden"]  # the overdue one is marked, the near one not (nor the row template)


def test_only_supervisors_open_the_board(client):
    assert client.get(URL)["Location"].startswith("/aanmelden/?next=")
    assert client.post(URL)["Location"].startswith("/aanmelden/?next=")
    for role in (roles.AGENT, roles.COUNTER_CLERK, roles.POST_ROOM):
        signed_in(client, role)
        assert client.get(URL).status_code == 403, role
    signed_in(client, roles.SUPERVISOR)
    assert client.get(URL).status_code == 200
    assert client.post(URL).status_code == 405  # a page to read; nothing is written here


def test_the_menu_offers_the_board_to_supervisors_only(client):
    signed_in(client, roles.AGENT)
    assert URL not in client.get("/medewerker/").content.decode()
    signed_in(client, roles.SUPERVISOR)
    assert f'href="{URL}" aria-current="page"' in client.get(URL).content.decode()


def test_the_page_loads_its_script_and_has_none_inline(client):
    signed_in(client, roles.SUPERVISOR)
    page = client.get(URL).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert any("console/board.js" in attributes for attributes, _body in scripts)
    assert all('src="' in attributes and body == "" for attributes, body in scripts)
    assert "style=" not in page and "onclick" not in page


def test_the_query_count_does_not_grow_with_the_day(client, at_now):
    signed_in(client, roles.SUPERVISOR)
    day_scene(NOW)
    client.get(URL)  # the session's and permissions' caches warm
    with CaptureQueriesContext(connection) as one_day:
        client.get(URL)
    day_scene(NOW)
    day_scene(NOW)  # three times the contacts and escalations
    client.get(URL)  # again: the scene's new users reset the permissions' caches
    with CaptureQueriesContext(connection) as three_days:
        page = client.get(URL).content.decode()
    assert len(three_days) == len(one_day)
    assert shown(page, "today.total.contacts") == "18"
