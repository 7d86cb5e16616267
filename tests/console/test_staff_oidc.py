"""Staff sign-in through the organisation's identity provider: a real code exchange and ID token check
against a local provider (tests/oidc_provider.py). The account and its role groups follow the claims;
forged state, a foreign signature, audience, issuer or an expired token are refused; failed returns lock
nobody out; sign-out ends the session."""

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from contactcentre.api import roles
from tests.factories import UserFactory
from tests.oidc_provider import FakeProvider, new_key

pytestmark = pytest.mark.django_db

LOGIN = "/aanmelden/"
START = "/aanmelden/organisatie/"
CALLBACK = "/aanmelden/organisatie/terug/"
HOME = "/medewerker/"
OFFICE_IP = "10.1.2.3"
FAILED = "Aanmelden met uw organisatieaccount is niet gelukt."
ANNA = {
    "sub": "0f6c1d2e",
    "preferred_username": "anna.devries",
    "email": "anna.devries@voorbeeldstad.nl",
    "given_name": "Anna",
    "family_name": "de Vries",
}


@pytest.fixture
def provider(settings):
    fake = FakeProvider()
    for name, value in fake.settings().items():
        setattr(settings, name, value)
    settings.STAFF_OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "contactcentre.api.oidc.StaffOIDCBackend"]
    roles.roles_sync()
    yield fake
    fake.close()


def provider_sign_in(client: Client, provider: FakeProvider, claims: dict, userinfo=None, **query):
    start = client.get(START, query, REMOTE_ADDR=OFFICE_IP)
    assert start.status_code == 302
    return client.get(provider.authorize(start["Location"], claims, userinfo), REMOTE_ADDR=OFFICE_IP)


def role_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def refused(client: Client, response) -> bool:
    """Back on the sign-in page with the message, and not signed in."""
    assert response.status_code == 302 and response["Location"] == LOGIN
    return FAILED in client.get(LOGIN).content.decode() and "_auth_user_id" not in client.session


def test_without_configuration_the_sign_in_page_shows_only_the_form():
    page = Client().get(LOGIN).content.decode()
    assert "Aanmelden met uw organisatieaccount" not in page
    assert Client().get(START).status_code == 404
    assert Client().get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404


def test_when_configured_the_sign_in_page_offers_the_organisation_account(provider):
    page = Client().get(f"{LOGIN}?next=/medewerker/contacten/1/").content.decode()
    assert (
        f'<a class="button" href="{START}?next=/medewerker/contacten/1/">Aanmelden met uw organisatieaccount</a>'
        in page
    )
    assert 'name="username"' in page  # the form stays


def test_a_new_staff_member_gets_an_account_with_only_the_known_roles_of_the_claim(provider):
    client = Client()
    claims = {**ANNA, "roles": ["agent", "supervisor", "superuser", "is_staff"]}
    response = provider_sign_in(client, provider, claims)
    assert response.status_code == 302 and response["Location"] == HOME

    user = get_user_model().objects.get(username="anna.devries")
    assert role_names(user) == {roles.AGENT, roles.SUPERVISOR}
    assert (user.email, user.first_name, user.last_name) == ("anna.devries@voorbeeldstad.nl", "Anna", "de Vries")
    assert not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert int(client.session["_auth_user_id"]) == user.pk
    page = client.get(HOME).content.decode()
    assert "Klantcontactmedewerker" in page and "Teamleider" in page
    assert "U bent aangemeld als Anna de Vries (gebruikersnaam anna.devries)." in page


def test_the_roles_follow_the_claim_at_every_sign_in_and_other_groups_stay(provider, settings):
    settings.STAFF_OIDC_ROLES_CLAIM = "groups"
    user = UserFactory(username="anna.devries", role=roles.AGENT)
    newsletter = Group.objects.create(name="nieuwsbrief")
    user.groups.add(newsletter)

    provider_sign_in(Client(), provider, {**ANNA, "groups": "counter_clerk functional_admin"})
    user.refresh_from_db()
    assert role_names(user) == {roles.COUNTER_CLERK, roles.FUNCTIONAL_ADMIN, "nieuwsbrief"}
    assert user.is_staff  # the functional administrator may use the admin
    assert user.has_usable_password()  # an existing account keeps its password

    provider_sign_in(Client(), provider, {**ANNA, "groups": ["counter_clerk"]})
    user.refresh_from_db()
    assert role_names(user) == {roles.COUNTER_CLERK, "nieuwsbrief"}
    assert not user.is_staff


def test_with_a_userinfo_endpoint_its_claims_count_for_the_same_subject_only(provider, settings):
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.issuer}/userinfo"
    client = Client()
    id_token = {"sub": ANNA["sub"], "preferred_username": "anna.devries"}
    response = provider_sign_in(client, provider, id_token, userinfo={**ANNA, "roles": ["post_room"]})
    assert response["Location"] == HOME
    user = get_user_model().objects.get(username="anna.devries")
    assert (role_names(user), user.last_name) == ({roles.POST_ROOM}, "de Vries")

    other = Client()
    another_subject = {**ANNA, "sub": "someone-else", "preferred_username": "mallory", "roles": ["supervisor"]}
    assert refused(other, provider_sign_in(other, provider, id_token, userinfo=another_subject))
    assert role_names(user) == {roles.POST_ROOM}
    assert not get_user_model().objects.filter(username="mallory").exists()


@pytest.mark.parametrize("claimed", [{"roles": ["beheer", "root"]}, {"roles": 7}, {}])
def test_a_staff_member_without_a_known_role_gets_no_group_and_the_no_role_home(provider, claimed):
    client = Client()
    provider_sign_in(client, provider, {**ANNA, **claimed})
    assert role_names(get_user_model().objects.get(username="anna.devries")) == set()
    page = client.get(HOME).content.decode()
    assert "U hebt nog geen rol." in page
    assert client.get("/medewerker/contacten/1/").status_code == 403


def test_a_forged_state_is_refused_without_asking_the_provider(provider):
    client = Client()
    start = client.get(START)
    back = provider.authorize(start["Location"], {**ANNA, "roles": ["agent"]})
    forged = back.replace("state=", "state=x")
    assert refused(client, client.get(forged))
    assert provider.token_requests == 0
    assert not get_user_model().objects.filter(username="anna.devries").exists()


def test_a_return_is_used_once(provider):
    client = Client()
    start = client.get(START)
    back = provider.authorize(start["Location"], {**ANNA, "roles": ["agent"]})
    assert client.get(back)["Location"] == HOME
    client.post("/afmelden/")
    assert refused(client, client.get(back))


def test_an_id_token_signed_with_another_key_is_refused(provider):
    provider.signing_key = new_key()
    client = Client()
    assert refused(client, provider_sign_in(client, provider, {**ANNA, "roles": ["agent"]}))
    assert provider.token_requests == 1  # the exchange happened; the token's check refused it
    assert not get_user_model().objects.filter(username="anna.devries").exists()


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-client"},
        {"iss": "https://elders.example"},
        {"exp": int(time.time()) - 3600},
        {"nonce": "not-the-one-sent"},
        {"preferred_username": ""},
        {"preferred_username": "x" * 151},
    ],
)
def test_an_id_token_for_another_client_issuer_expired_replayed_or_nameless_is_refused(provider, claims):
    client = Client()
    assert refused(client, provider_sign_in(client, provider, {**ANNA, "roles": ["agent"], **claims}))
    assert get_user_model().objects.count() == 0


@pytest.mark.parametrize("garbled", ["not-a-token", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_a_garbled_id_token_is_refused(provider, garbled):
    provider.garbled_id_token = garbled
    client = Client()
    assert refused(client, provider_sign_in(client, provider, {**ANNA, "roles": ["agent"]}))
    assert get_user_model().objects.count() == 0


def test_a_disabled_account_is_refused(provider):
    UserFactory(username="anna.devries", role=roles.AGENT, is_active=False)
    client = Client()
    assert refused(client, provider_sign_in(client, provider, {**ANNA, "roles": ["agent"]}))


def test_a_provider_that_is_down_is_a_clear_failure(provider):
    client = Client()
    start = client.get(START)
    back = provider.authorize(start["Location"], {**ANNA, "roles": ["agent"]})
    provider.close()
    assert refused(client, client.get(back))


def test_failed_returns_from_the_provider_lock_nobody_out_at_the_office(provider, settings):
    UserFactory(username="bas", role=roles.COUNTER_CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):  # each with its own state, a code the provider refuses
        client = Client()
        back = provider.authorize(client.get(START, REMOTE_ADDR=OFFICE_IP)["Location"], ANNA)
        wrong_code = back.replace("code=", "code=x")
        assert refused(client, client.get(wrong_code, REMOTE_ADDR=OFFICE_IP))
    assert AccessAttempt.objects.count() == 0

    client = Client()
    assert provider_sign_in(client, provider, {**ANNA, "roles": ["agent"]})["Location"] == HOME
    colleague = Client().post(LOGIN, {"username": "bas", "password": "a-strong-test-password-1"}, REMOTE_ADDR=OFFICE_IP)
    assert colleague["Location"] == HOME


def test_the_password_lock_out_still_holds_beside_the_provider(provider, settings):
    UserFactory(username="bas", role=roles.COUNTER_CLERK)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(LOGIN, {"username": "bas", "password": "wrong"}, REMOTE_ADDR=OFFICE_IP)
    locked = Client().post(LOGIN, {"username": "bas", "password": "a-strong-test-password-1"}, REMOTE_ADDR=OFFICE_IP)
    assert locked.status_code == 429


def test_sign_out_ends_the_session_of_a_provider_sign_in(provider):
    client = Client()
    provider_sign_in(client, provider, {**ANNA, "roles": ["agent"]})
    assert client.get(HOME).status_code == 200
    response = client.post("/afmelden/")
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
    assert client.get(HOME)["Location"] == f"{LOGIN}?next={HOME}"


def test_after_sign_in_the_provider_sends_back_to_the_page_asked_for_and_never_off_site(provider):
    client = Client()
    assert provider_sign_in(client, provider, {**ANNA, "roles": ["agent"]}, next="/medewerker/?x=1")["Location"] == (
        "/medewerker/?x=1"
    )
    other = Client()
    assert (
        provider_sign_in(other, provider, {**ANNA, "roles": ["agent"]}, next="https://elders.example/")["Location"]
        == HOME
    )
