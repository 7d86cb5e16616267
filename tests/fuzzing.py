"""Schemathesis in-process: fuzz one operation of our OpenAPI schema, asserting no 5xx and answers
that conform to the documented schema. Each app's tests/<app>/test_fuzz.py names its operations."""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance


@pytest.fixture
def openapi_schema(db):
    """The app served in-process; like Django's test client, keep the test's connection (and
    transaction) open across requests instead of letting request_started close it."""
    request_started.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)


def fuzz(operation, *, headers: dict | None = None, path_parameters: dict | None = None) -> None:
    """25 generated calls; path parameters named in `path_parameters` point at real objects, so the
    calls exercise them and not only 404s. Derandomised: CI sees the same examples on every run."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case):
        for name, value in (path_parameters or {}).items():
            if name in (case.path_parameters or {}):
                case.path_parameters[name] = value
        response = case.call(headers=headers or {})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()


CONTRACT_CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def fuzz_schema(
    schema,
    *,
    headers: dict | None = None,
    cookies: dict | None = None,
    path_parameters: dict | None = None,
    max_examples: int = 10,
) -> tuple[int, int, Counter, list[str]]:
    """Every operation of the schema, positive and negative data (`max_examples` each), with the checks
    the contract promises: no 5xx, only documented status codes, answers that conform to the schema.
    Failures are collected, not raised at the first (no shrinking), so one run reports them all.
    Returns (operations, cases, the status codes answered, failures)."""
    operations, cases, statuses, failures = 0, 0, Counter(), []
    for result in schema.get_all_operations():
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            cases += _fuzz_operation(
                result.ok(),
                mode,
                headers=headers or {},
                cookies=cookies or {},
                path_parameters=path_parameters if mode is GenerationMode.POSITIVE else {},
                max_examples=max_examples,
                statuses=statuses,
                failures=failures,
            )
    return operations, cases, statuses, failures


def _fuzz_operation(operation, mode, *, headers, cookies, path_parameters, max_examples, statuses, failures) -> int:
    calls = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        nonlocal calls
        for name, value in (path_parameters or {}).items():
            if name in (case.path_parameters or {}):
                case.path_parameters[name] = value
        calls += 1
        response = case.call(headers=headers, cookies=cookies)
        statuses[(operation.method.upper(), operation.path, response.status_code)] += 1
        try:
            case.validate_response(response, checks=CONTRACT_CHECKS, headers=headers)
        except (AssertionError, BaseExceptionGroup) as exc:  # every failed check is reported by the caller
            found = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
            what = "; ".join(" ".join(str(f).split())[:240] for f in found)
            failures.append(
                f"{operation.method.upper()} {operation.path} [{mode.value}] -> {response.status_code}: {what}"
                f" | path={case.path_parameters} query={case.query} body={str(case.body)[:160]}"
            )

    try:
        run()
    except Unsatisfiable:  # nothing negative to make of an operation without parameters or body
        assert mode is GenerationMode.NEGATIVE, operation.path
    return calls
