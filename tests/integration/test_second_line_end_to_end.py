"""Issue 16 end to end, on PostgreSQL, Redis and a real Celery worker: an agent escalates a contact with
an attachment, a rule routes it, the worker delivers it to a real local HTTP receiver that checks the
Standard Webhooks signature, the organisation downloads the attachment by the link in it and accepts
and resolves the escalation through the API with its own token, and the citizen's SMS goes out
through the twilio client to a local fake of Twilio's HTTP API, the sender woken by the commit."""

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from casemanagement.models import Escalation, RoutingRule, SecondLineEndpoint
from casemanagement.webhooks import generate_secret, verify
from contactcentre.api.services import api_client_create
from contactcentre.interactions.models import Notification
from contactcentre.registry.models import Consent, DigitalAddress
from tests.channels_app.fake_twilio import FakeTwilio
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.integration.conftest import needs_services, wait_until

pytestmark = [pytest.mark.integration, needs_services()]

PHONE = "+31612345678"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SID, TOKEN, FROM = "AC" + "ab" * 16, "e2e-token", "+3197010000002"


class Receiver:
    """The organisation's webhook receiver: it checks every signature and keeps what it accepted."""

    def __init__(self, secret: str):
        self.accepted: list[dict] = []
        self.refused = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    verify(secret, dict(self.headers.items()), body)
                except Exception:  # noqa: BLE001 - any failure of the check is a refusal
                    receiver.refused += 1
                    self.send_response(401)
                else:
                    receiver.accepted.append({"id": self.headers["webhook-id"], **json.loads(body)})
                    self.send_response(204)
                self.end_headers()

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/escalations"


@pytest.fixture
def twilio():
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def worker_settings(monkeypatch, settings, twilio):
    """What the worker process and this process both need: local targets allowed, Twilio at the fake."""
    values = {
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "1",
        "TWILIO_ACCOUNT_SID": SID,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_FROM_NUMBER": FROM,
        "TWILIO_API_BASE_URL": twilio.base_url,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
        setattr(settings, name, value if name != "WEBHOOK_ALLOW_PRIVATE_TARGETS" else True)
    return values


def test_escalated_delivered_signed_resolved_through_the_api_and_the_citizen_texted(
    worker_settings, celery_worker_process, twilio, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    secret = generate_secret()
    receiver = Receiver(secret)
    benefits = OrganisationFactory(code="toeslagen", name="Dienst Toeslagen")
    SecondLineEndpoint.objects.create(organisation=benefits, delivery="webhook", url=receiver.url, secrets=[secret])
    RoutingRule.objects.create(name="Toeslagen", order=10, topic="toeslag", organisation=benefits, queue="ht")
    RoutingRule.objects.create(name="Rest", order=99, is_default=True, organisation=OrganisationFactory())
    person = PersonFactory(preferred_channel="sms")
    DigitalAddress.objects.create(party=person, kind="phone", value=PHONE, is_default=True, verified_at=timezone.now())
    Consent.objects.create(
        party=person, purpose="sms_notifications", granted=True, channel="portal", changed_at=timezone.now()
    )

    agent = APIClient()
    agent.force_login(UserFactory(role="agent"))
    opened = agent.post(
        "/api/v1/first-line/contacts",
        {"channel": "phone", "identity_claim": {"kind": "bsn", "value": person.bsn}},
        format="json",
    )
    assert opened.status_code == 201, opened.content
    contact = opened.json()["contact"]["id"]
    made = agent.post(
        "/api/v1/escalations",
        {
            "contact_moment": contact,
            "question": "Mijn huurtoeslag is gestopt, waarom?",
            "share_history": "true",
            "attachments": [SimpleUploadedFile("beschikking.pdf", PDF, content_type="application/pdf")],
        },
        format="multipart",
    )
    assert made.status_code == 201, made.content
    reference = made.json()["reference"]
    escalation = Escalation.objects.get(reference=reference)
    assert (escalation.organisation, escalation.rule.name) == (benefits, "Toeslagen")

    # the worker, woken on commit, delivers it signed
    assert wait_until(lambda: receiver.accepted, timeout=30), "the worker did not deliver the escalation"
    assert receiver.refused == 0
    assert receiver.accepted[0]["escalation"]["reference"] == reference
    assert wait_until(lambda: Escalation.objects.get(pk=escalation.pk).state == "delivered", timeout=10)

    _client, token = api_client_create(
        name="Toeslagen zaaksysteem", organisation=benefits, scopes=["escalations:read", "escalations:write"]
    )
    system = APIClient()
    system.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    base = f"/api/v1/escalations/{reference}"
    [attachment] = receiver.accepted[0]["escalation"]["attachments"]
    assert (attachment["name"], attachment["content_type"], attachment["size"]) == (
        "beschikking.pdf",
        "application/pdf",
        len(PDF),
    )
    download = system.get(urlsplit(attachment["download_url"]).path)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert hashlib.sha256(PDF).hexdigest() == attachment["sha256"]
    assert system.post(f"{base}/accept", {}, format="json").status_code == 200
    resolved = system.post(f"{base}/resolve", {"resolution_text": "Uw toeslag loopt weer door."}, format="json")
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["state"] == "resolved"

    message = Notification.objects.get(party=person)
    assert message.channel == "sms"
    # No beat runs here: the resolve's commit woke the sender in the worker.
    assert wait_until(lambda: twilio.requests, timeout=30), "the worker was not woken to send the SMS"
    sms = twilio.requests[0]["form"]
    assert (sms["To"], sms["From"]) == (PHONE, FROM)
    assert "Uw toeslag loopt weer door." in sms["Body"] and reference in sms["Body"]
    assert wait_until(lambda: Notification.objects.get(pk=message.pk).status == "sent", timeout=10)
    assert len(receiver.accepted) == 1  # delivered once
