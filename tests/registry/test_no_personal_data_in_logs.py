"""No BSN or IBAN in any log record written while the API handles them, at DEBUG level for every logger;
and the JSON access log carries the route pattern, never the request body or the concrete path."""

import logging
import re

import pytest
from django.db import connection
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

from contactcentre.api.logging import JsonFormatter
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.registry.models import BaseDataChange
from tests.registry.conftest import IBAN

pytestmark = pytest.mark.django_db

# A BSN stands on its own; nine digits inside a hex trace id or token are not one (and would make the
# scan flaky: about one random 32-hex trace id in two hundred holds a nine-digit run passing the elfproef).
NINE_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d{9}(?![0-9A-Za-z])")
IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}")
NEW_IBAN = "NL02ABNA0123456789"


def personal_numbers(text: str) -> set[str]:
    found = {m for m in NINE_DIGITS.findall(text) if stdnum_bsn.is_valid(m)}
    for match in IBAN_START.finditer(text):
        # Grow the candidate char by char (spaces allowed, as in printed IBANs); any valid prefix counts.
        compact = ""
        for char in text[match.start() : match.start() + 50]:
            if char == " ":
                continue
            if not char.isalnum():
                break
            compact += char.upper()
            if len(compact) >= 15 and stdnum_iban.is_valid(compact):
                found.add(compact)
    return found


def test_scanner_finds_what_it_looks_for():
    assert personal_numbers(f"x 999000007 y {IBAN} z nl02 abna 0123 4567 89") == {
        "999000007",
        IBAN,
        NEW_IBAN,
    }
    assert personal_numbers("trace 123456789 and NL91ABNA0417164301") == set()
    assert personal_numbers("trace_id ab999000007cd") == set()
    assert personal_numbers('{"bsn": "999000007"} bsn=999000007') == {"999000007"}


@pytest.fixture
def everything_logged(caplog):
    """Every logger at DEBUG, and SQL queries logged as with DEBUG=True (where parameters would show)."""
    caplog.set_level(logging.DEBUG)
    previous = connection.force_debug_cursor
    connection.force_debug_cursor = True
    yield caplog
    connection.force_debug_cursor = previous


def test_api_paths_that_handle_bsns_and_ibans_log_neither(everything_logged, user_with_role, rules, person):
    http, _ = user_with_role("counter_clerk")
    base = {"purpose": "contact", "purpose_reference": "cm-1"}
    calls = [
        http.post("/api/v1/parties/search", base | {"bsn": person.bsn}, format="json"),
        http.post("/api/v1/parties/search", {"bsn": person.bsn}, format="json"),  # 403: no purpose
        http.post("/api/v1/parties/search", base | {"bsn": person.bsn, "extra": person.bsn}, format="json"),  # 400
        http.get(f"/api/v1/parties/{person.pk}?purpose=contact&purpose_reference=cm-1&assurance=high"),
        http.post(
            f"/api/v1/parties/{person.pk}/base-data-changes",
            {
                "attribute": "iban",
                "value": NEW_IBAN,
                "assurance": "high",
                "channel": "counter",
                "contact_reference": "cm-1",
            },
            format="json",
        ),
        http.post(
            f"/api/v1/parties/{person.pk}/base-data-changes",
            {
                "attribute": "iban",
                "value": "NL02ABNA0123456780",
                "assurance": "high",
                "channel": "counter",
                "contact_reference": "cm-1",
            },
            format="json",
        ),  # 400: bad check digits
        http.post(
            f"/api/v1/parties/{person.pk}/base-data-changes",
            {"attribute": "iban", "value": IBAN, "assurance": "low", "channel": "counter", "contact_reference": "cm-1"},
            format="json",
        ),  # 422: assurance too low
    ]
    assert [c.status_code for c in calls] == [200, 403, 400, 200, 201, 400, 422]
    assert everything_logged.records, "nothing was captured: the scan would prove nothing"

    formatter = JsonFormatter()
    leaks = {}
    for record in everything_logged.records:
        text = formatter.format(record) + " " + repr(record.args)
        if numbers := personal_numbers(text):
            leaks[text] = numbers
    assert leaks == {}


def test_stored_audit_data_holds_no_full_iban_or_bsn(user_with_role, rules, person):
    http, _ = user_with_role("counter_clerk")
    http.post(
        f"/api/v1/parties/{person.pk}/base-data-changes",
        {
            "attribute": "iban",
            "value": NEW_IBAN,
            "assurance": "high",
            "channel": "counter",
            "contact_reference": "cm-1",
        },
        format="json",
    )
    stored = " ".join(str(v) for row in BaseDataChange.objects.values() for v in row.values())
    stored += " ".join(str(v) for row in ProcessingRecord.objects.values() for v in row.values())
    assert personal_numbers(stored) == set()


def test_access_log_names_the_route_and_never_the_body(caplog, user_with_role, person):
    caplog.set_level(logging.INFO, logger="contactcentre.access")
    http, _ = user_with_role("agent")
    http.post(
        "/api/v1/parties/search",
        {"bsn": person.bsn, "purpose": "contact", "purpose_reference": "cm-1"},
        format="json",
    )
    http.get(f"/api/v1/parties/{person.pk}?purpose=contact&purpose_reference=cm-1")
    access = [r for r in caplog.records if r.name == "contactcentre.access"]
    assert len(access) == 2
    standard = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "trace_id"}
    for record in access:
        assert set(vars(record)) - standard == {"method", "route", "status", "duration_ms"}
    assert [(r.method, r.route, r.status) for r in access] == [
        ("POST", "api/v1/parties/search", 200),
        ("GET", "api/v1/parties/<int:party_id>", 200),
    ]
    line = JsonFormatter().format(access[0])
    assert person.bsn not in line and "purpose_reference" not in line
