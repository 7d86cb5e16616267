"""Form posts signed the way Twilio signs its webhooks (the twilio package's RequestValidator over the
public URL and the form parameters), and TwiML read back as plain nested tuples for exact asserts."""

import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator

WEBHOOK_TOKEN = "test-webhook-token"
PUBLIC_BASE = "https://contact.example.nl"
CALLER_NUMBER = "+31612345678"


class TwilioSigner:
    """`post(path, params)` as Twilio would send it; `signed_url`, `token` or `signature` to forge."""

    def __init__(self, client, *, token: str = WEBHOOK_TOKEN, base: str = PUBLIC_BASE):
        self.client, self.token, self.base = client, token, base

    def signature(self, path: str, params: dict, *, signed_url: str | None = None, token: str | None = None) -> str:
        return RequestValidator(token or self.token).compute_signature(signed_url or self.base + path, params)

    def post(self, path: str, params: dict, *, signed_url=None, token=None, signature=None, **extra):
        if signature is None:
            signature = self.signature(path, params, signed_url=signed_url, token=token)
        if signature:
            extra["HTTP_X_TWILIO_SIGNATURE"] = signature
        return self.client.post(path, params, **extra)


def twiml(response) -> tuple:
    """The TwiML document as (tag, attributes, text, children), recursively."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/xml"
    return _node(ET.fromstring(response.content))


def _node(element) -> tuple:
    text = (element.text or "").strip() or None
    return (element.tag, dict(element.attrib), text, [_node(child) for child in element])


def said(tree: tuple) -> list[str]:
    """Everything <Say> says, in document order."""
    tag, _attributes, text, children = tree
    own = [text] if tag == "Say" else []
    return own + [line for child in children for line in said(child)]
