"""The whole OpenAPI schema fuzzed (schemathesis, in-process) as the contract promises it: every
operation, positive and negative data, as an agent (session with CSRF) and as an organisation's system
(token with every scope): no 5xx, no status code the schema does not document, every answer conforms
to its documented schema. Prints the number of operations and cases."""

from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils.crypto import get_random_string
from rest_framework.throttling import SimpleRateThrottle

from contactcentre.api.scopes import ALL_SCOPES
from contactcentre.api.services import api_client_create
from contactcentre.interactions.services import contact_moment_record
from contactcentre.processinglog import services as processinglog_services
from tests.casemanagement.factories import make_case
from tests.factories import UserFactory, organisation, staff
from tests.fuzzing import fuzz_schema

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 15  # per operation and per kind of data (positive, negative)


@pytest.fixture(autouse=True)
def _no_rate_limits_for_the_fuzzer(monkeypatch):
    # The fuzzer is one caller making many calls: lift the rates (429 stays documented, and is tested elsewhere).
    rates = {scope: "1000000/min" for scope in django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    # Likewise the lock-out after wrong purpose references, or the agent's later operations would all be 429s.
    monkeypatch.setattr(processinglog_services, "WRONG_REFERENCES_MAX", 1_000_000)


def _report(who: str, operations: int, cases: int, statuses: Counter, failures: list[str]) -> Counter:
    """Print the figures and every failure; answer the number of calls per (method, path, status)."""
    by_status = Counter()
    for (_method, _path, status), count in statuses.items():
        by_status[status] += count
    print(f"\nschemathesis as {who}: {operations} operations, {cases} cases, {len(failures)} failures")
    print("   status codes:", dict(sorted(by_status.items())))
    for failure in sorted(set(failures)):
        print("  ", failure)
    assert not failures
    return statuses


def _answered(statuses: Counter, method: str, path: str) -> set[int]:
    return {status for (m, p, status) in statuses if (m, p) == (method, path)}


def test_the_whole_schema_as_an_organisations_system(openapi_schema):
    case = make_case()
    _client, token = api_client_create(name="fuzz", organisation=case.organisation, scopes=list(ALL_SCOPES))
    contact, _ = contact_moment_record(channel="phone", actor=organisation(_client), party=case.party)
    statuses = _report(
        "an organisation's system",
        *fuzz_schema(
            openapi_schema,
            headers={"Authorization": f"Bearer {token}"},
            path_parameters={"case_id": case.pk, "contact_id": contact.pk, "party_id": case.party_id},
            max_examples=MAX_EXAMPLES,
        ),
    )
    # Signed in for real: its own cases are read and written, citizens' endpoints are closed to it.
    assert 200 in _answered(statuses, "GET", "/api/v1/cases/{case_id}")
    assert _answered(statuses, "POST", "/api/v1/contact-moments") & {200, 201}
    assert _answered(statuses, "GET", "/api/v1/citizen/base-data") == {401}


def test_the_whole_schema_as_an_agent(openapi_schema):
    user = UserFactory(role="agent")
    case = make_case()
    contact, _ = contact_moment_record(channel="phone", actor=staff(user), party=case.party)
    browser = Client()
    browser.force_login(user)
    csrf = get_random_string(32)  # a CSRF secret, sent as the cookie and as the header
    cookies = {
        django_settings.SESSION_COOKIE_NAME: browser.cookies[django_settings.SESSION_COOKIE_NAME].value,
        django_settings.CSRF_COOKIE_NAME: csrf,
    }
    statuses = _report(
        "an agent",
        *fuzz_schema(
            openapi_schema,
            headers={"X-CSRFToken": csrf},
            cookies=cookies,
            path_parameters={"case_id": case.pk, "contact_id": contact.pk, "party_id": case.party_id},
            max_examples=MAX_EXAMPLES,
        ),
    )
    # Signed in for real, CSRF passed: writes get past the session check.
    assert 200 in _answered(statuses, "GET", "/api/v1/me")
    assert _answered(statuses, "POST", "/api/v1/contact-moments") & {200, 201}
    assert _answered(statuses, "GET", "/api/v1/citizen/base-data") == {401}


def test_the_whole_schema_anonymously(openapi_schema):
    statuses = _report("an anonymous caller", *fuzz_schema(openapi_schema, max_examples=5))
    public = {(m, p) for (m, p, _status) in statuses if p.startswith(("/api/v1/kennisbank/", "/api/v1/life-events/"))}
    for (method, path, status), _count in statuses.items():
        if (method, path) not in public:
            # Auth is enforced before anything of the request is looked at: only a malformed request
            # (400: a NUL in the query, an Idempotency-Key over 255 characters) or a path that is no
            # route (404: an id that is not a number) is refused before, whoever asks. Nothing answered.
            allowed = {400, 401} | ({404} if "{" in path else set())
            assert status in allowed, (method, path, status)
