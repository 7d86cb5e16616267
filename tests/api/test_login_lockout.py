"""Brute force: lock-out keyed on username and IP, so a colleague behind the same office IP is not locked out."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-strong-test-password-1"
OFFICE_IP = "10.1.2.3"


def login(username: str, password: str, ip: str) -> int:
    response = Client().post("/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return response.status_code


def test_lockout_after_failures_and_the_bystanders_who_are_not_locked_out(settings):
    UserFactory(username="anna", is_staff=True)
    UserFactory(username="bas", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login("anna", "wrong", OFFICE_IP) == 200  # the form again, with an error
    assert login("anna", "wrong", OFFICE_IP) == 429  # the failure that reaches the limit locks
    # Locked: even the right password from that IP is refused.
    assert login("anna", PASSWORD, OFFICE_IP) == 429
    # A colleague on the same office IP is not locked out.
    assert login("bas", PASSWORD, OFFICE_IP) == 302
    # The same user from another IP is not locked out either.
    assert login("anna", PASSWORD, "10.9.9.9") == 302


def test_successful_login_resets_the_count(settings):
    UserFactory(username="anna", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login("anna", "wrong", OFFICE_IP)
    assert login("anna", PASSWORD, OFFICE_IP) == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login("anna", "wrong", OFFICE_IP)
    assert login("anna", PASSWORD, OFFICE_IP) == 302


def test_session_rotates_at_login():
    UserFactory(username="anna", is_staff=True)
    client = Client()
    client.get("/admin/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/admin/login/?next=/admin/", {"username": "anna", "password": PASSWORD}, REMOTE_ADDR=OFFICE_IP)
    assert client.session.session_key != before
    client.post("/admin/logout/")
    assert "_auth_user_id" not in client.session
