"""Per-IP throttles and the log-in lock-out trust X-Forwarded-For only as far as TRUSTED_PROXY_COUNT
proxies (issue 15, point 6): a forged header per request escapes neither."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from rest_framework.throttling import ScopedRateThrottle

from contactcentre.api.client_address import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
SEARCH = "/api/v1/kennisbank/search/"
PROXY = "10.0.0.9"
PASSWORD = "a-strong-test-password-1"


@pytest.fixture
def low_public_rate(monkeypatch):
    # ScopedRateThrottle reads the rates once, at import: set them on the class (THROTTLE_PUBLIC_SEARCH).
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public_search": "3/min"})


@pytest.fixture
def one_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def _search(api, **headers) -> int:
    return api.get(SEARCH, {"q": "aow"}, **headers).status_code


def test_by_default_no_proxy_is_trusted(settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert settings.AXES_CLIENT_IP_CALLABLE == "contactcentre.api.client_address.client_address"


def test_the_proxy_count_comes_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | {"TRUSTED_PROXY_COUNT": "2"}
    code = "from django.conf import settings as s; print(s.REST_FRAMEWORK['NUM_PROXIES'], s.TRUSTED_PROXY_COUNT)"
    command = [sys.executable, "manage.py", "shell", "-c", code]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["2", "2"]


def test_without_proxies_a_forged_forwarded_for_does_not_escape_the_throttle(api, low_public_rate):
    codes = [_search(api, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    # Another connecting address has its own budget.
    assert _search(api, REMOTE_ADDR="198.51.100.8", HTTP_X_FORWARDED_FOR="203.0.113.1") == 200


def test_behind_one_proxy_the_last_forwarded_address_is_the_client(api, low_public_rate, one_proxy):
    alice = [_search(api, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.1") for n in range(4)]
    assert alice == [200, 200, 200, 429]  # forging the left part (the client's own) changes nothing
    # Another client behind the same proxy: its own budget.
    assert _search(api, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2") == 200
    assert _search(api, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2") == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "198.51.100.7"),
        (0, None, "198.51.100.7"),
        (1, "1.1.1.1, 203.0.113.5", "203.0.113.5"),
        (1, None, "198.51.100.7"),
        (2, "1.1.1.1, 203.0.113.5, 10.0.0.8", "203.0.113.5"),
    ],
)
def test_client_address_for_the_login_lockout(settings, proxies, forwarded, expected):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    headers = {"REMOTE_ADDR": "198.51.100.7"}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **headers)) == expected


def _login(username: str, password: str, **headers) -> int:
    response = Client().post("/admin/login/?next=/admin/", {"username": username, "password": password}, **headers)
    return response.status_code


def test_without_proxies_a_forged_forwarded_for_does_not_escape_the_login_lockout(settings):
    UserFactory(username="anna", is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login("anna", "wrong", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert _login("anna", PASSWORD, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99") == 429


def test_behind_one_proxy_the_login_lockout_is_per_client(settings, one_proxy):
    UserFactory(username="anna", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login("anna", "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert _login("anna", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.1") == 429
    # Anna from another address behind the same proxy is not locked out with the attacker.
    assert _login("anna", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2") == 302
