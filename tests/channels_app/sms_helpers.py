"""Inbound SMS webhooks as Twilio sends them: form-encoded and signed with the twilio package's RequestValidator."""

from urllib.parse import urlencode
from xml.etree import ElementTree

from twilio.request_validator import RequestValidator

TOKEN = "test-sms-auth-token"
BASE = "https://contact.example.nl"
PATH = "/twilio/sms/"


def sms_params(body: str, *, sid: str = "SM00000000000000000000000000000001", sender: str = "+31612345678") -> dict:
    return {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": sender, "To": "+3197010000001", "Body": body}


def sms_post(client, params: dict, *, signed_url: str = BASE + PATH, token: str = TOKEN, signature: str | None = None):
    if signature is None:
        signature = RequestValidator(token).compute_signature(signed_url, params)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(PATH, urlencode(params), content_type="application/x-www-form-urlencoded", **headers)


def messages(response) -> list[str]:
    """The <Message> texts of a TwiML answer (which must be a <Response>)."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "Response"
    assert all(child.tag == "Message" for child in root)
    return [child.text for child in root]
