"""Staff sign in at /aanmelden/ (every demo role), land on the staff home page, sign out by POST; the
lock-out after AXES_FAILURE_LIMIT wrong passwords is keyed on username + address and says so in Dutch."""

import pytest
from django.test import Client

from contactcentre.api import demo, roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/aanmelden/"
LOGOUT = "/afmelden/"
HOME = "/medewerker/"
PASSWORD = "a-strong-test-password-1"
OFFICE_IP = "10.1.2.3"


def sign_in(client: Client, username: str, password: str, ip: str = OFFICE_IP, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


@pytest.mark.parametrize(("username", "role"), [(username, role) for username, role, *_ in demo.DEMO_USERS])
def test_every_demo_log_in_signs_in_and_lands_on_the_home_page_with_its_role(username, role):
    demo.seed()
    client = Client()
    response = sign_in(client, username, demo.DEMO_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == HOME

    home = client.get(HOME)
    assert home.status_code == 200
    page = home.content.decode()
    assert roles.ROLE_LABELS[role] in page
    assert f"gebruikersnaam {username}" in page
    assert 'href="/api/docs/"' in page
    # Only the functional administrator (is_staff) is shown the way to the admin.
    assert ('href="/admin/"' in page) == (role == roles.FUNCTIONAL_ADMIN)


def test_the_sign_in_page_is_dutch_labelled_and_has_a_skip_link():
    page = Client().get(LOGIN).content.decode()
    assert '<html lang="nl">' in page
    assert 'class="skip-link" href="#inhoud"' in page and '<main id="inhoud"' in page
    assert '<label for="id_username">' in page and '<label for="id_password">' in page
    assert "Aanmelden als medewerker" in page
    assert "<script" not in page


def test_the_home_page_speaks_english_when_asked():
    UserFactory(username="anna", role=roles.AGENT)
    client = Client()
    sign_in(client, "anna", PASSWORD)
    page = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page
    assert "Your roles" in page and "Customer contact agent" in page


def test_a_wrong_password_shows_the_form_again_with_an_error():
    UserFactory(username="anna")
    response = sign_in(Client(), "anna", "wrong")
    assert response.status_code == 200
    assert "Aanmelden is niet gelukt" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_wrong_passwords_lock_the_username_on_that_address_but_not_a_colleague_there(settings):
    UserFactory(username="anna", role=roles.AGENT)
    UserFactory(username="bas", role=roles.COUNTER_CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(Client(), "anna", "wrong").status_code == 200
    locked = sign_in(Client(), "anna", "wrong")  # the failure that reaches the limit locks
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Te vaak een verkeerd wachtwoord voor deze gebruikersnaam" in page
    assert f"over {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minuten" in page
    assert '<html lang="nl">' in page

    # Locked: the right password from that address is refused too, and no session is made.
    again = Client()
    assert sign_in(again, "anna", PASSWORD).status_code == 429
    assert again.get(HOME).status_code == 302
    # A colleague behind the same office address signs in; so does anna from another address.
    assert sign_in(Client(), "bas", PASSWORD)["Location"] == HOME
    assert sign_in(Client(), "anna", PASSWORD, ip="10.9.9.9")["Location"] == HOME


def test_sign_out_is_post_only_and_ends_the_session():
    UserFactory(username="anna", role=roles.AGENT)
    client = Client()
    sign_in(client, "anna", PASSWORD)
    assert client.get(LOGOUT).status_code == 405
    assert client.get(HOME).status_code == 200  # still signed in

    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert client.get(HOME)["Location"] == f"{LOGIN}?next={HOME}"


def test_the_home_page_sends_an_anonymous_visitor_to_sign_in():
    for method in ("get", "post"):
        response = getattr(Client(), method)(HOME)
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={HOME}"


def test_the_home_page_is_read_only():
    UserFactory(username="anna", role=roles.AGENT)
    client = Client()
    sign_in(client, "anna", PASSWORD)
    assert client.post(HOME).status_code == 405


def test_the_sign_in_form_needs_its_csrf_token():
    UserFactory(username="anna", role=roles.AGENT)
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, "anna", PASSWORD).status_code == 403
    assert "_auth_user_id" not in client.session

    client.get(LOGIN)
    token = client.cookies["csrftoken"].value
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD, "csrfmiddlewaretoken": token},
                           REMOTE_ADDR=OFFICE_IP)  # fmt: skip
    assert response.status_code == 302 and response["Location"] == HOME


def test_sign_out_needs_its_csrf_token():
    UserFactory(username="anna", role=roles.AGENT)
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    token = client.cookies["csrftoken"].value
    client.post(LOGIN, {"username": "anna", "password": PASSWORD, "csrfmiddlewaretoken": token}, REMOTE_ADDR=OFFICE_IP)
    assert client.post(LOGOUT).status_code == 403
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("target", ["https://elders.example/", "//elders.example/"])
def test_sign_in_never_redirects_off_site(target):
    UserFactory(username="anna", role=roles.AGENT)
    response = Client().post(f"{LOGIN}?next={target}", {"username": "anna", "password": PASSWORD, "next": target})
    assert response["Location"] == HOME


def test_a_signed_in_member_of_staff_is_sent_on_from_the_sign_in_page():
    UserFactory(username="anna", role=roles.AGENT)
    client = Client()
    sign_in(client, "anna", PASSWORD)
    assert client.get(LOGIN)["Location"] == HOME


def test_every_role_has_its_translatable_name():
    from contactcentre.console.views import ROLE_NAMES

    assert {role: str(name) for role, name in ROLE_NAMES.items()} == roles.ROLE_LABELS
