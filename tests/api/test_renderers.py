"""The orjson renderer (contactcentre/api/renderers.py) writes exactly DRF's bytes, except that every
timestamp is written one way: UTC, ending in "Z"."""

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from contactcentre.api.renderers import JSONRenderer

AMSTERDAM_WINTER = timezone(timedelta(hours=1))

CASES = [
    {"id": 7, "name": "Jan de Vries", "closed_at": None, "is_open": True, "score": 0.125},
    [
        {
            "at": datetime(2026, 11, 28, 21, 42, 40, 914216, tzinfo=UTC),
            "whole_second": datetime(2026, 11, 28, 21, 42, 40, tzinfo=UTC),
            "day": date(2026, 2, 28),
            "clock": time(9, 30),
        }
    ],
    {"amount": Decimal("12.50"), "uuid": UUID("12345678-1234-5678-1234-567812345678"), "lazy": gettext_lazy("Zaak")},
    {"text": 'Straße 12, ’s-Hertogenbosch, € 5, 😀, line\u2028separator\u2029end, "quoted" \\ slash </script>'},
    {1: "int key", "nested": {"tuple": (1, 2), "empty": [], "set": {3}}},
    "just a string",
    12345678901234567890123,  # beyond 64 bits: DRF's encoder writes it
]


@pytest.mark.parametrize("data", CASES)
def test_the_same_bytes_as_drf(data):
    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)


def test_every_timestamp_is_utc_with_a_z_on_both_paths():
    data = {
        "utc": datetime(2026, 11, 28, 21, 42, 40, 914216, tzinfo=UTC),
        "local": datetime(2026, 11, 28, 22, 42, 40, 914216, tzinfo=AMSTERDAM_WINTER),
        "summer": datetime(2026, 7, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
        "naive": datetime(2026, 11, 28, 22, 42),  # taken to be in TIME_ZONE (Europe/Amsterdam), as Django does
        "day": date(2026, 2, 28),
    }
    expected = {
        "utc": "2026-11-28T21:42:40.914216Z",
        "local": "2026-11-28T21:42:40.914216Z",
        "summer": "2026-07-01T12:00:00Z",
        "naive": "2026-11-28T21:42:00Z",
        "day": "2026-02-28",
    }
    assert json.loads(JSONRenderer().render(data)) == expected
    assert json.loads(JSONRenderer().render(data, "application/json; indent=4")) == expected


def test_serialized_timestamps_reach_the_renderer_as_datetimes():
    from rest_framework import serializers

    class Row(serializers.Serializer):
        at = serializers.DateTimeField()

    local = datetime(2026, 11, 28, 22, 42, tzinfo=AMSTERDAM_WINTER)
    assert JSONRenderer().render(Row({"at": local}).data) == b'{"at":"2026-11-28T21:42:00Z"}'


def test_orjson_does_the_encoding(monkeypatch):
    monkeypatch.setattr(DRFJSONRenderer, "render", lambda *args, **kwargs: pytest.fail("fell back to DRF"))
    for data in CASES[:-1]:  # all but the integer beyond 64 bits
        JSONRenderer().render(data)


def test_nothing_is_empty_and_indent_requests_are_drfs():
    assert JSONRenderer().render(None) == b""
    data = {"a": [1, {"b": None}]}
    indented = JSONRenderer().render(data, "application/json; indent=4")
    assert indented == DRFJSONRenderer().render(data, "application/json; indent=4")
    assert b"\n    " in indented


def test_the_api_answers_through_it(user_with_role):
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"][0] == "contactcentre.api.renderers.JSONRenderer"
    http, _ = user_with_role("agent")
    response = http.get("/api/v1/case-types")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert isinstance(response.accepted_renderer, JSONRenderer)
