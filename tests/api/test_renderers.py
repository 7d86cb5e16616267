"""The orjson renderer (contactcentre/api/renderers.py) writes exactly DRF's bytes."""

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
            "local": datetime(2026, 11, 28, 22, 42, tzinfo=AMSTERDAM_WINTER),
            "naive": datetime(2026, 11, 28, 21, 42),
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
