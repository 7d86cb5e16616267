"""The Twilio signature check, with requests signed by the twilio package's RequestValidator."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from twilio.request_validator import RequestValidator

from channels_app.twilio_signature import twilio_signed

TOKEN = "test-twilio-token"
BASE = "https://contact.example.nl"


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.TWILIO_AUTH_TOKEN, settings.TWILIO_WEBHOOK_BASE_URL = TOKEN, BASE


@twilio_signed
def _view(request):
    return HttpResponse("ok")


def _post(path, params, *, signed_url=None, token=TOKEN, **headers):
    signature = RequestValidator(token).compute_signature(signed_url or BASE + path, params)
    return RequestFactory().post(path, params, HTTP_X_TWILIO_SIGNATURE=signature, **headers)


PARAMS = {"CallSid": "CA123", "From": "+31612345678", "Digits": "1"}


def test_a_correctly_signed_request_passes():
    assert _view(_post("/twilio/voice/?step=menu", PARAMS)).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda: _post("/twilio/voice/", PARAMS, signed_url=BASE + "/twilio/other/"),  # wrong URL
        lambda: _post("/twilio/voice/", PARAMS, signed_url="https://evil.example/twilio/voice/"),
        lambda: _post("/twilio/voice/", PARAMS, token="another-token"),
        lambda: RequestFactory().post("/twilio/voice/", PARAMS),  # no signature
    ],
)
def test_wrong_url_token_or_missing_signature_is_refused(tamper):
    assert _view(tamper()).status_code == 403


def test_a_tampered_parameter_is_refused():
    request = _post("/twilio/voice/", PARAMS)
    forged = RequestFactory().post(
        "/twilio/voice/", {**PARAMS, "Digits": "2"}, HTTP_X_TWILIO_SIGNATURE=request.headers["X-Twilio-Signature"]
    )
    assert _view(forged).status_code == 403


def test_a_forged_host_header_does_not_change_the_url_checked():
    request = _post("/twilio/voice/", PARAMS, HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="evil.example")
    assert _view(request).status_code == 200


def test_no_auth_token_configured_refuses_everything(settings):
    request = _post("/twilio/voice/", PARAMS)
    settings.TWILIO_AUTH_TOKEN = ""
    assert _view(request).status_code == 403


def test_get_is_not_allowed():
    assert _view(RequestFactory().get("/twilio/voice/")).status_code == 405
