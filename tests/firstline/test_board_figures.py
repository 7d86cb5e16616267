"""The board's figures of the day: per channel, per door and in total, and the knowledge articles the
first line tried before escalating; counted from local midnight, in a fixed number of queries."""

from datetime import UTC, datetime

import pytest

from contactcentre.firstline.board import start_of_day, supervisor_board
from contactcentre.processinglog.models import ProcessingRecord
from tests.firstline.board_scene import day_scene

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # 11:00 in Amsterdam
ZERO = {"contacts": 0, "answered": 0, "escalated": 0, "average_handling_seconds": None}


def figures(contacts, answered, escalated, average):
    return {"contacts": contacts, "answered": answered, "escalated": escalated, "average_handling_seconds": average}


def test_today_per_channel_per_door_and_in_total():
    day = day_scene(NOW)

    assert supervisor_board(now=NOW)["today"] == {
        "since": datetime(2026, 12, 6, 23, 0, tzinfo=UTC),
        "channels": {
            "phone": figures(3, 2, 1, 240),  # 4, 2 and 6 minutes
            "sms": figures(1, 0, 0, None),  # the one at midnight counts; nothing ended yet
            "web": figures(1, 1, 0, 60),
            "webchat": ZERO,
            "email": figures(1, 0, 0, None),
            "post": ZERO,
            "counter": ZERO,
        },
        "doors": {
            "staff": figures(2, 1, 1, 300),
            "self_service": figures(3, 1, 0, 120),
            "organisation": figures(1, 1, 0, 60),
        },
        "total": figures(6, 3, 1, 195),
    }
    assert day.since == datetime(2026, 12, 6, 23, 0, tzinfo=UTC)


def test_the_articles_tried_before_escalating_today_most_often_first():
    day = day_scene(NOW)

    assert supervisor_board(now=NOW)["failed_articles"] == [
        {"article_id": day.renewal.pk, "title": "Hoe verleng ik mijn rijbewijs?", "times": 2},
        {"article_id": day.passport.pk, "title": "Wat kost een paspoort?", "times": 1},
    ]  # yesterday's escalation and its article are not today's signal


def test_an_empty_day_has_every_channel_and_door_at_zero():
    today = supervisor_board(now=NOW)["today"]
    assert set(today["channels"]) == {"phone", "sms", "web", "webchat", "email", "post", "counter"}
    assert all(row == ZERO for row in [*today["channels"].values(), *today["doors"].values(), today["total"]])
    assert supervisor_board(now=NOW)["failed_articles"] == []


@pytest.mark.parametrize(
    ("now", "midnight"),
    [
        (NOW, datetime(2026, 12, 6, 23, 0, tzinfo=UTC)),  # winter time, UTC+1
        (datetime(2026, 12, 6, 23, 30, tzinfo=UTC), datetime(2026, 12, 6, 23, 0, tzinfo=UTC)),  # just after
        (datetime(2026, 12, 6, 22, 59, tzinfo=UTC), datetime(2026, 12, 5, 23, 0, tzinfo=UTC)),  # just before
        (datetime(2026, 7, 1, 10, 0, tzinfo=UTC), datetime(2026, 6, 30, 22, 0, tzinfo=UTC)),  # summer, UTC+2
    ],
)
def test_the_day_starts_at_midnight_in_the_centres_time_zone(now, midnight):
    assert start_of_day(now) == midnight


def test_the_figures_take_the_same_queries_for_twice_the_day_and_log_nobody(django_assert_num_queries):
    day_scene(NOW)
    day_scene(NOW)  # twice the contacts and escalations
    logged = ProcessingRecord.objects.count()
    with django_assert_num_queries(6):
        board = supervisor_board(now=NOW)
    assert board["today"]["total"] == figures(12, 6, 2, 195)
    assert [row["times"] for row in board["failed_articles"]] == [4, 2]
    assert ProcessingRecord.objects.count() == logged
