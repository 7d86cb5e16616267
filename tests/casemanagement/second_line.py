"""Second-line fixtures for delivery tests, fault tests and the benchmark: an organisation with an
endpoint and a default routing rule, an agent handling contacts, and a local Standard Webhooks receiver
(an `http.server` thread that checks every signature with casemanagement.webhooks.verify)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from casemanagement.escalations import escalation_create
from casemanagement.models import RoutingRule, SecondLineEndpoint
from casemanagement.webhooks import WebhookVerificationError, generate_secret, verify
from contactcentre.interactions.services import contact_moment_record
from tests.casemanagement.factories import PersonFactory
from tests.factories import OrganisationFactory, UserFactory, staff


@dataclass
class SecondLine:
    organisation: object
    endpoint: SecondLineEndpoint
    agent: object
    party: object

    def contact(self):
        contact, _created = contact_moment_record(
            actor=staff(self.agent), agent=self.agent, channel="phone", party=self.party, question="Vraag"
        )
        return contact

    def escalate(self, contact=None, question: str = "Waar blijft mijn toeslag?"):
        return escalation_create(contact=contact or self.contact(), actor=staff(self.agent), question=question)


def second_line_setup(*, delivery: str, url: str = "", secret: str = "", working_hours=None, closing_days=()):
    """One organisation reached by `delivery`, the default routing rule to it, an agent and a person."""
    organisation = OrganisationFactory()
    endpoint = SecondLineEndpoint.objects.create(
        organisation=organisation,
        delivery=delivery,
        url=url,
        secrets=[secret or generate_secret()],
        working_hours=working_hours or {},
        closing_days=list(closing_days),
    )
    RoutingRule.objects.create(name="Standaard", is_default=True, organisation=organisation, order=1000)
    agent = UserFactory(role="agent")
    return SecondLine(organisation=organisation, endpoint=endpoint, agent=agent, party=PersonFactory())


@dataclass
class Reception:
    message_id: str
    reference: str
    received_at: float  # time.time()


@dataclass
class Receiver:
    """A local webhook receiver. `behaviour(n)` (n = the request's number, from 1) returns the status to
    answer, or a negative number of seconds to stay silent before answering 200 (a timeout)."""

    secret: str
    behaviour: object = None
    delay: float = 0.0
    receptions: list[Reception] = field(default_factory=list)
    rejected: int = 0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests += 1
                    number = receiver.requests
                answer = receiver.behaviour(number) if receiver.behaviour else 200
                if answer < 0:
                    time.sleep(-answer)
                    answer = 200
                elif receiver.delay:
                    time.sleep(receiver.delay)
                try:
                    verify(receiver.secret, dict(self.headers), body)
                except WebhookVerificationError:
                    with receiver.lock:
                        receiver.rejected += 1
                    answer = 401
                if answer == 200:
                    reference = json.loads(body)["escalation"]["reference"]
                    with receiver.lock:
                        receiver.receptions.append(Reception(self.headers["webhook-id"], reference, time.time()))
                try:
                    self.send_response(answer)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender gave up waiting (a timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def unique_message_ids(self) -> set[str]:
        with self.lock:
            return {reception.message_id for reception in self.receptions}

    def duplicates_by_business_key(self) -> int:
        """Escalation references received under more than one message id: a duplicate effect that
        de-duplicating by message id would not catch (a re-send of one message is not one)."""
        with self.lock:
            ids_per_reference = Counter(
                reference for reference, _id in {(r.reference, r.message_id) for r in self.receptions}
            )
        return sum(count - 1 for count in ids_per_reference.values())
