import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def test_readyz_checks_the_database(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "error"}


def test_incoming_traceparent_is_continued(client, caplog):
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    caplog.set_level(logging.INFO, logger="contactcentre.access")
    response = client.get("/healthz", HTTP_TRACEPARENT=f"00-{trace_id}-00f067aa0ba902b7-01")
    version, passed_on, span, flags = response["traceparent"].split("-")
    assert (version, passed_on, flags) == ("00", trace_id, "01")
    assert span != "00f067aa0ba902b7"
    assert [r.trace_id for r in caplog.records if r.name == "contactcentre.access"] == [trace_id]


@pytest.mark.parametrize("header", ["garbage", "00-" + "0" * 32 + "-00f067aa0ba902b7-01", ""])
def test_invalid_traceparent_starts_a_new_trace(client, header):
    response = client.get("/healthz", HTTP_TRACEPARENT=header)
    assert response["traceparent"].split("-")[1] not in ("0" * 32, "")


def test_access_log_is_structured_and_names_the_route_not_the_path(client, caplog):
    from contactcentre.api.logging import JsonFormatter

    caplog.set_level(logging.INFO, logger="contactcentre.access")
    client.get("/api/v1/me?bsn=123456782")
    record = next(r for r in caplog.records if r.name == "contactcentre.access")
    line = json.loads(JsonFormatter().format(record))
    assert line["route"] == "api/v1/me"
    assert line["status"] == 401
    assert "123456782" not in json.dumps(line)
