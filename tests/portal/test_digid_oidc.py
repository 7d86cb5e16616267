"""DigiD through an OpenID Connect broker: a real code exchange and ID token check against a local broker
(tests/oidc_provider.py). The level of assurance comes from the token's claim, the person from its BSN
(looked up as self service, logged), and only substantial or high starts a citizen session. A forged
state, a cancelled log-in or a foreign signature end on a clear page; the BSN is in no URL or log."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from contactcentre.principal import CITIZEN_SESSION_KEY
from contactcentre.processinglog.models import ProcessingRecord
from contactcentre.processinglog.pseudonyms import subject_pseudonym
from tests.casemanagement.factories import PersonFactory
from tests.oidc_provider import FakeProvider, new_key

pytestmark = pytest.mark.django_db

LOGIN = "/mijn/inloggen/"
CALLBACK = "/mijn/inloggen/digid/"
SAML = "urn:oasis:names:tc:SAML:2.0:ac:classes:"
UNKNOWN_BSN = "111222333"  # valid (elfproef), nobody's


@pytest.fixture
def broker(settings):
    fake = FakeProvider()
    for name, value in fake.settings("DIGID_").items():
        setattr(settings, name, value)
    settings.DIGID_OIDC_ENABLED = True
    yield fake
    fake.close()


def digid_sign_in(client, broker, claims: dict, **query):
    start = client.get(LOGIN, query)
    assert start.status_code == 302
    back = broker.authorize(start["Location"], claims)
    return back, client.get(back)


def citizen_session(client):
    return client.session.get(CITIZEN_SESSION_KEY)


def test_the_sign_in_starts_the_code_flow_at_the_broker_even_in_the_demo(client, broker, settings):
    settings.DEMO_MODE = True
    start = client.get(LOGIN, {"next": "/mijn/inzage/"})
    assert start.status_code == 302
    url = urlsplit(start["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{broker.issuer}/authorize"
    assert query["redirect_uri"] == [f"http://testserver{CALLBACK}"]
    assert query["scope"] == ["openid"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32


@pytest.mark.parametrize(
    ("acr", "assurance"),
    [
        (f"{SAML}MobileTwofactorContract", "substantial"),  # DigiD Midden
        (f"{SAML}Smartcard", "substantial"),  # DigiD Substantieel
        (f"{SAML}SmartcardPKI", "high"),  # DigiD Hoog
        ("http://eidas.europa.eu/LoA/substantial", "substantial"),
        ("http://eidas.europa.eu/LoA/high", "high"),
        ("Substantieel", "substantial"),
    ],
)
def test_the_person_signs_in_at_the_level_of_the_claim_and_the_lookup_is_logged(client, broker, acr, assurance):
    person = PersonFactory()
    back, response = digid_sign_in(client, broker, {"sub": "s-1", "bsn": person.bsn, "acr": acr}, next="/mijn/inzage/")
    assert (response.status_code, response["Location"]) == (302, "/mijn/inzage/")
    assert citizen_session(client) == {"party_id": person.pk, "assurance": assurance}
    assert person.bsn not in back
    record = ProcessingRecord.objects.get(object_type="party", action=ProcessingRecord.Action.SEARCH)
    assert (record.actor_type, record.purpose, record.subject) == (
        "system",
        "self_service",
        subject_pseudonym(person.pk),
    )
    assert client.get("/mijn/").status_code == 200


@pytest.mark.parametrize(
    "acr", [f"{SAML}PasswordProtectedTransport", "basis", "http://eidas.europa.eu/LoA/low", "urn:anders", None]
)
def test_a_log_in_below_substantial_or_of_an_unknown_level_starts_no_session(client, broker, acr):
    person = PersonFactory()
    claims = {"sub": "s-1", "bsn": person.bsn} | ({"acr": acr} if acr else {})
    _back, response = digid_sign_in(client, broker, claims)
    assert response.status_code == 403
    assert "Uw inlogmethode is niet sterk genoeg" in response.content.decode()
    assert citizen_session(client) is None
    assert client.get("/mijn/").status_code == 302


@pytest.mark.parametrize("bsn", [UNKNOWN_BSN, "123456789", "", None])
def test_an_unknown_or_invalid_bsn_gets_a_clear_page_and_no_session(client, broker, bsn, caplog):
    PersonFactory()
    claims = {"sub": "s-1", "acr": f"{SAML}Smartcard"} | ({"bsn": bsn} if bsn is not None else {})
    with caplog.at_level(logging.DEBUG):
        _back, response = digid_sign_in(client, broker, claims)
    page = response.content.decode()
    assert response.status_code == 404
    assert "Wij kennen u nog niet" in page
    assert citizen_session(client) is None
    assert UNKNOWN_BSN not in page and UNKNOWN_BSN not in caplog.text


def test_the_claims_names_are_configurable(client, broker, settings):
    settings.DIGID_OIDC_BSN_CLAIM = "urn:nl:bsn"
    settings.DIGID_OIDC_ASSURANCE_CLAIM = "loa"
    person = PersonFactory()
    claims = {"sub": "s-1", "urn:nl:bsn": person.bsn, "loa": "hoog", "bsn": UNKNOWN_BSN, "acr": "basis"}
    _back, response = digid_sign_in(client, broker, claims)
    assert response["Location"] == "/mijn/"
    assert citizen_session(client) == {"party_id": person.pk, "assurance": "high"}


def test_a_forged_state_is_refused_without_asking_the_broker(client, broker):
    person = PersonFactory()
    start = client.get(LOGIN)
    back = broker.authorize(start["Location"], {"sub": "s-1", "bsn": person.bsn, "acr": f"{SAML}Smartcard"})
    response = client.get(back.replace("state=", "state=x"))
    assert response.status_code == 400
    assert "Inloggen met DigiD is niet gelukt" in response.content.decode()
    assert broker.token_requests == 0
    assert citizen_session(client) is None
    # Nor may the real return be used in another browser.
    assert Client().get(back).status_code == 400
    assert broker.token_requests == 0


def test_a_cancelled_log_in_is_refused_and_its_state_cannot_be_used_again(client, broker):
    person = PersonFactory()
    start = client.get(LOGIN)
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    assert client.get(CALLBACK, {"error": "access_denied", "state": state}).status_code == 400
    back = broker.authorize(start["Location"], {"sub": "s-1", "bsn": person.bsn, "acr": f"{SAML}Smartcard"})
    assert client.get(back).status_code == 400
    assert citizen_session(client) is None


def test_an_id_token_signed_with_another_key_is_refused(client, broker):
    broker.signing_key = new_key()
    person = PersonFactory()
    _back, response = digid_sign_in(client, broker, {"sub": "s-1", "bsn": person.bsn, "acr": f"{SAML}Smartcard"})
    assert response.status_code == 400
    assert citizen_session(client) is None
    assert not ProcessingRecord.objects.filter(object_type="party").exists()


def test_without_a_broker_the_return_address_is_unavailable(client):
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 503
