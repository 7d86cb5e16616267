"""The supervisors' board in one read: waiting calls, work queues, escalations due; no personal data."""

from datetime import UTC, datetime, timedelta

import pytest

from contactcentre.firstline.board import supervisor_board
from contactcentre.processinglog.models import ProcessingRecord
from tests.firstline.board_scene import NEAR_BREACH_HOURS, board_scene

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def scene(settings):
    settings.ESCALATION_NEAR_BREACH_HOURS = NEAR_BREACH_HOURS
    return board_scene(NOW)


def test_the_board_counts_what_waits_and_what_is_due(scene):
    board = supervisor_board(now=NOW)
    # Today's figures: tests/firstline/test_board_figures.py.
    assert {key: board[key] for key in ("at", "calls", "queues", "escalations")} == {
        "at": NOW,
        "calls": {"waiting": 2, "longest_wait_seconds": 120},
        "queues": [
            {"code": "post", "name": "Post", "waiting": 2, "in_progress": 2, "agents": 1, "longest_wait_seconds": 90},
            {"code": "sms", "name": "Sms", "waiting": 0, "in_progress": 0, "agents": 0, "longest_wait_seconds": 0},
        ],
        "escalations": {
            "past_deadline": 1,
            "near_deadline": 1,
            "nearest": [
                {
                    "id": scene.overdue.pk,
                    "reference": scene.overdue.reference,
                    "state": "new",
                    "resolution_due": NOW - timedelta(hours=1),
                    "organisation_code": scene.organisation_code,
                },
                {
                    "id": scene.near.pk,
                    "reference": scene.near.reference,
                    "state": "in_progress",
                    "resolution_due": NOW + timedelta(hours=2),
                    "organisation_code": scene.organisation_code,
                },
            ],
        },
    }


def test_the_nearest_escalations_are_capped_and_the_counts_are_not(scene, settings):
    later = NOW + timedelta(hours=7)  # the escalation due in 9 h is near now; the overdue ones stay first
    board = supervisor_board(now=later)
    assert board["escalations"]["past_deadline"] == 1 + 1  # the near one passed its deadline too
    assert board["escalations"]["near_deadline"] == 1
    assert [row["id"] for row in board["escalations"]["nearest"]][:2] == [scene.overdue.pk, scene.near.pk]


def test_an_empty_centre_has_zero_figures(settings):
    settings.ESCALATION_NEAR_BREACH_HOURS = NEAR_BREACH_HOURS
    board = supervisor_board(now=NOW)
    assert board["calls"] == {"waiting": 0, "longest_wait_seconds": 0}
    assert board["escalations"] == {"past_deadline": 0, "near_deadline": 0, "nearest": []}


def test_six_queries_and_no_processing_log_whatever_the_volume(scene, django_assert_num_queries):
    board_scene(NOW)  # twice the calls, items and escalations
    logged = ProcessingRecord.objects.count()
    with django_assert_num_queries(6):
        board = supervisor_board(now=NOW)
    assert board["calls"]["waiting"] == 4
    assert ProcessingRecord.objects.count() == logged  # counts and references only: nobody's data read
