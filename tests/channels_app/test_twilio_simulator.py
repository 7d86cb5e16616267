"""The Twilio simulator against the app served on 127.0.0.1 (pytest-django's live server): its webhooks are
signed so that the app accepts them, a call is followed through <Gather> and <Redirect> to its end, and the
simulator, its command and its page exist only in DEMO_MODE, the page only for signed-in staff."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from twilio.request_validator import RequestValidator

from channels_app.simulator import twilio as simulator
from channels_app.simulator.twilio import SimulatorError, sms_simulate, twilio_signature, voice_simulate
from contactcentre.interactions.models import ContactMoment
from contactcentre.interactions.services import work_queue_ensure
from contactcentre.registry.models import Consent
from tests.channels_app.conftest import PHONE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = "simulator-test-token"
STOPPED = "U krijgt geen sms-berichten meer van ons. Stuur START om ze weer te krijgen."


@pytest.fixture
def app(live_server, settings):
    settings.DEMO_MODE = True
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_WEBHOOK_BASE_URL = live_server.url
    settings.ROOT_URLCONF = "tests.channels_app.simulator_urls"
    work_queue_ensure(code="sms", name="Sms")  # the migration's row is gone after a transactional test
    return live_server


def _sms_granted(person) -> bool:
    return Consent.objects.get(party=person, purpose=Consent.Purpose.SMS_NOTIFICATIONS).granted


def test_the_signature_is_twilios():
    params = {"From": "+31612345678", "Body": "STOP"}
    signature = twilio_signature("https://x.example/twilio/sms/", params, TOKEN)
    assert RequestValidator(TOKEN).validate("https://x.example/twilio/sms/", params, signature)


def test_an_sms_is_signed_so_the_app_accepts_it_and_the_reply_is_shown(app, person):
    simulation = sms_simulate(sender=PHONE, body="STOP")

    [exchange] = simulation.exchanges
    assert (exchange.url, exchange.status) == (f"{app.url}/twilio/sms/", 200)
    assert (exchange.params["From"], exchange.params["Body"]) == (PHONE, "STOP")
    assert exchange.params["MessageSid"].startswith("SM") and len(exchange.params["MessageSid"]) == 34
    assert simulation.heard == [STOPPED]
    assert exchange.twiml == f"<Response>\n  <Message>{STOPPED}</Message>\n</Response>"
    assert _sms_granted(person) is False


def test_the_same_message_sid_twice_has_one_effect(app, person):
    first = sms_simulate(sender=PHONE, body="STOP")
    sid = first.exchanges[0].params["MessageSid"]
    sms_simulate(sender=PHONE, body="START", message_sid="SM" + "1" * 32)
    again = sms_simulate(sender=PHONE, body="STOP", message_sid=sid)
    assert again.heard == [STOPPED]
    assert _sms_granted(person) is True
    assert ContactMoment.objects.count() == 2


def test_the_signature_is_over_the_public_url_also_when_sent_elsewhere(app, settings, person):
    settings.TWILIO_WEBHOOK_BASE_URL = "https://contact.example.nl"  # what Twilio calls, behind the proxy
    simulation = sms_simulate(sender=PHONE, body="STOP", transport_base=app.url)
    assert (simulation.exchanges[0].url, simulation.exchanges[0].status) == (
        "https://contact.example.nl/twilio/sms/",
        200,
    )
    assert simulation.heard == [STOPPED]


def test_a_request_signed_with_another_token_is_refused_by_the_app(app, monkeypatch, person):
    real = simulator.twilio_signature
    monkeypatch.setattr(simulator, "twilio_signature", lambda url, params, token: real(url, params, "not-the-token"))
    simulation = sms_simulate(sender=PHONE, body="STOP")
    assert simulation.exchanges[0].status == 403
    assert simulation.heard == []
    assert simulation.ended == "De app antwoordde 403 zonder TwiML."
    assert _sms_granted(person) is True


def test_a_call_follows_gather_and_redirect_until_it_is_enqueued(app):
    simulation = voice_simulate(sender=PHONE, digits=["1", "2"])

    steps = [(e.url.removeprefix(app.url), e.status, e.params.get("Digits"), e.action) for e in simulation.exchanges]
    assert steps == [
        ("/twilio/voice/", 200, None, "toetst 1"),
        ("/twilio/voice/menu/?step=1", 200, "1", "Twilio volgt <Redirect>"),
        ("/twilio/voice/", 200, None, "toetst 2"),
        ("/twilio/voice/menu/?step=1", 200, "2", ""),
    ]
    assert simulation.heard == [
        "Welkom.",
        "Kies 1 voor nog een keer, 2 voor een medewerker, 3 voor elders.",
        "Nog een keer.",
        "Welkom.",
        "Kies 1 voor nog een keer, 2 voor een medewerker, 3 voor elders.",
        "Stap 1: een ogenblik.",
    ]
    assert simulation.ended == "Het gesprek eindigt bij <Enqueue> agents."
    call_sids = {e.params["CallSid"] for e in simulation.exchanges}
    assert len(call_sids) == 1
    assert [e.params["CallStatus"] for e in simulation.exchanges] == ["ringing"] + ["in-progress"] * 3


def test_a_caller_without_more_keys_hangs_up_at_the_gather(app):
    simulation = voice_simulate(sender=PHONE)
    assert len(simulation.exchanges) == 1
    assert simulation.ended == "De beller heeft niets meer te kiezen of te zeggen en hangt op."


def test_a_redirect_out_of_the_app_is_not_followed(app):
    simulation = voice_simulate(sender=PHONE, digits=["3"])
    assert len(simulation.exchanges) == 2
    assert simulation.ended == "https://elders.example/twilio/voice/ ligt buiten de app; de simulator volgt het niet."


def test_the_command_prints_the_twiml(app, person):
    out = StringIO()
    call_command("twilio_simulate", "sms", "--from", PHONE, "--body", "STOP", "--url", app.url, stdout=out)
    printed = out.getvalue()
    assert f"POST {app.url}/twilio/sms/ -> 200" in printed
    assert f"<Message>{STOPPED}</Message>" in printed
    assert f"> {STOPPED}" in printed

    out = StringIO()
    call_command("twilio_simulate", "voice", "--from", PHONE, "--digits", "2", stdout=out)
    assert "-> toetst 2" in out.getvalue()
    assert out.getvalue().rstrip().endswith("Het gesprek eindigt bij <Enqueue> agents.")


def test_the_sender_is_sent_in_e164_as_twilio_does_and_a_wrong_number_is_refused(app, person):
    assert sms_simulate(sender="06 12345678", body="STOP").exchanges[0].params["From"] == PHONE
    with pytest.raises(SimulatorError, match="12 is geen geldig telefoonnummer"):
        voice_simulate(sender="12")


def test_an_error_page_is_shown_shortened(app, settings, monkeypatch):
    monkeypatch.setattr(simulator, "VOICE_PATH", "/twilio/nowhere/")  # the app answers 404 with a page
    settings.DEBUG = True
    simulation = voice_simulate(sender=PHONE)
    [exchange] = simulation.exchanges
    assert exchange.status == 404
    assert len(exchange.body) > 300 and exchange.twiml == exchange.body[:300] + " ..."
    assert simulation.ended == "De app antwoordde 404 zonder TwiML; Twilio hangt op."


def test_the_command_says_so_when_the_app_is_not_running(settings):
    settings.DEMO_MODE, settings.TWILIO_AUTH_TOKEN = True, TOKEN
    with pytest.raises(CommandError, match="De app is niet bereikbaar op http://127.0.0.1:9/twilio/sms/"):
        call_command("twilio_simulate", "sms", "--from", PHONE, "--body", "hallo", "--url", "http://127.0.0.1:9")


def test_without_demo_mode_the_simulator_the_command_and_the_page_refuse(settings, client):
    settings.DEMO_MODE = False
    settings.TWILIO_AUTH_TOKEN = TOKEN
    with pytest.raises(SimulatorError):
        sms_simulate(sender=PHONE, body="hallo")
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("twilio_simulate", "voice", "--from", PHONE, stdout=StringIO())
    client.force_login(UserFactory(role="agent"))
    assert client.get("/demo/twilio/").status_code == 404
    assert client.post("/demo/twilio/", {"kind": "sms", "sender": PHONE, "body": "STOP"}).status_code == 404


def test_the_page_needs_a_staff_sign_in(app, client):
    response = client.get("/demo/twilio/")
    assert response.status_code == 302
    assert response["Location"] == "/aanmelden/?next=/demo/twilio/"
    assert client.post("/demo/twilio/", {"kind": "sms", "sender": PHONE, "body": "STOP"}).status_code == 302
    assert ContactMoment.objects.count() == 0


def test_the_page_sends_an_sms_and_shows_the_twiml(app, person):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(role="agent"))
    page = browser.get("/demo/twilio/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_sender">Telefoonnummer van de burger:</label>' in html
    token = page.cookies["csrftoken"].value

    response = browser.post(
        "/demo/twilio/", {"kind": "sms", "sender": "06 12345678", "body": "STOP", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<li>{STOPPED}</li>" in html
    assert "&lt;Message&gt;" in html  # the TwiML, escaped
    assert _sms_granted(person) is False


def test_the_page_shows_what_is_wrong_with_the_form(app, client):
    client.force_login(UserFactory(role="agent"))
    response = client.post("/demo/twilio/", {"kind": "sms", "sender": "geen nummer", "body": "", "digits": "1,x"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"sender", "body", "digits"}
    assert ContactMoment.objects.count() == 0
