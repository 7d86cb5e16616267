"""Signed webhooks: Standard Webhooks signing and SSRF-safe delivery (casemanagement/webhooks.py).

No network beyond 127.0.0.1: receivers are http.server threads on a free local port; names that would
need DNS are answered by faking `webhooks._resolve`.
"""

import base64
import json
import socket
import ssl
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from casemanagement import webhooks
from casemanagement.webhooks import (
    DeliveryResult,
    WebhookVerificationError,
    address_refusal,
    deliver,
    generate_secret,
    sign,
    verify,
)

# The Standard Webhooks specification's published test vector.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"o" * 32).decode()


def now_ts() -> int:
    return int(time.time())


# --- signing and verifying ----------------------------------------------------------------------------


def test_signature_matches_the_standard_webhooks_test_vector():
    headers = sign([VECTOR_SECRET], VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY)
    assert headers == {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": "1614265330",
        "webhook-signature": VECTOR_SIGNATURE,
    }
    verify(VECTOR_SECRET, headers, VECTOR_BODY, now=datetime.fromtimestamp(VECTOR_TIMESTAMP + 10, tz=UTC))
    # The secret without its prefix is the same key.
    verify(
        VECTOR_SECRET.removeprefix("whsec_"),
        headers,
        VECTOR_BODY,
        now=datetime.fromtimestamp(VECTOR_TIMESTAMP, tz=UTC),
    )


def test_sign_verify_round_trip_and_header_names_are_case_insensitive():
    body = b'{"escalation": "E-1"}'
    headers = sign([SECRET], "msg_1", now_ts(), body)
    verify(SECRET, headers, body)
    verify(SECRET, {key.upper(): value for key, value in headers.items()}, body)


def test_generated_secrets_are_random_32_byte_keys_that_sign():
    first, second = generate_secret(), generate_secret()
    assert first != second
    assert first.startswith("whsec_")
    assert len(base64.b64decode(first.removeprefix("whsec_"))) == 32
    headers = sign([first], "msg_1", now_ts(), b"{}")
    verify(first, headers, b"{}")
    with pytest.raises(WebhookVerificationError):
        verify(second, headers, b"{}")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda headers, body: (headers, body + b" "),
        lambda headers, body: (headers, body.replace(b"E-1", b"E-2")),
        lambda headers, body: ({**headers, "webhook-id": "msg_2"}, body),
        lambda headers, body: ({**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}, body),
        lambda headers, body: ({**headers, "webhook-signature": "v1," + base64.b64encode(b"x" * 32).decode()}, body),
        lambda headers, body: (
            {**headers, "webhook-signature": headers["webhook-signature"].replace("v1,", "v2,")},
            body,
        ),
        lambda headers, body: ({key: value for key, value in headers.items() if key != "webhook-signature"}, body),
        lambda headers, body: ({**headers, "webhook-timestamp": "soon"}, body),
    ],
    ids=["body-appended", "body-changed", "id", "timestamp", "signature", "version", "missing", "non-numeric"],
)
def test_tampered_messages_are_refused(tamper):
    body = b'{"escalation":"E-1"}'
    headers, body = tamper(sign([SECRET], "msg_1", now_ts(), body), body)
    with pytest.raises(WebhookVerificationError):
        verify(SECRET, headers, body)


def test_old_and_future_timestamps_are_refused():
    body = b"{}"
    old = sign([SECRET], "msg_1", now_ts() - 301, body)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(SECRET, old, body)
    future = sign([SECRET], "msg_1", now_ts() + 301, body)
    with pytest.raises(WebhookVerificationError, match="too new"):
        verify(SECRET, future, body)
    # Within the tolerance, and with a wider tolerance, they pass.
    verify(SECRET, sign([SECRET], "msg_1", now_ts() - 200, body), body)
    verify(SECRET, old, body, tolerance=timedelta(minutes=10))
    # A narrower tolerance refuses sooner.
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(SECRET, sign([SECRET], "msg_1", now_ts() - 60, body), body, tolerance=timedelta(seconds=30))


def test_rotation_signs_with_both_secrets_and_either_receiver_accepts():
    body = b'{"escalation":"E-1"}'
    headers = sign([SECRET, OTHER_SECRET], "msg_1", now_ts(), body)
    signatures = headers["webhook-signature"].split(" ")
    assert len(signatures) == 2
    assert all(signature.startswith("v1,") for signature in signatures)
    verify(SECRET, headers, body)  # a receiver still on the old secret
    verify(OTHER_SECRET, headers, body)  # a receiver already on the new one
    with pytest.raises(WebhookVerificationError):
        verify(generate_secret(), headers, body)
    # Each signature is the one a single secret gives.
    assert signatures[0] == sign([SECRET], "msg_1", int(headers["webhook-timestamp"]), body)["webhook-signature"]


def test_sign_needs_a_secret_and_a_plain_message_id():
    with pytest.raises(ValueError):
        sign([], "msg_1", now_ts(), b"{}")
    with pytest.raises(ValueError):
        sign([SECRET], "", now_ts(), b"{}")
    with pytest.raises(ValueError):
        sign([SECRET], "msg 1", now_ts(), b"{}")


# --- a local receiver --------------------------------------------------------------------------------------


class Receiver:
    """An http.server on 127.0.0.1 that records what it gets and answers `status` (and `headers`)."""

    def __init__(self, status=204, headers=None, delay=0.0, host="127.0.0.1"):
        self.status, self.headers, self.delay = status, headers or {}, delay
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                receiver.requests.append((self.path, dict(self.headers.items()), self.rfile.read(length)))
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(receiver.status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, *args):
                pass

        server_class = ThreadingHTTPServer
        if ":" in host:
            server_class = type("ThreadingHTTPServerV6", (ThreadingHTTPServer,), {"address_family": socket.AF_INET6})
        self.server = server_class((host, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    servers = []

    def make(**kwargs):
        server = Receiver(**kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def private_targets(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True


# --- delivery ----------------------------------------------------------------------------------------------


def test_private_targets_are_refused_by_default(settings):
    assert settings.WEBHOOK_ALLOW_PRIVATE_TARGETS is False


def test_delivery_to_a_local_receiver_that_verifies_the_signature(receiver, private_targets):
    target = receiver(status=200)
    payload = {
        "escalation": "E-1",
        "vraag": "Wanneer wordt mijn toeslag uitbetaald?",
        "at": datetime(2026, 6, 1, tzinfo=UTC),
    }
    result = deliver(f"{target.url}/hooks/escalations?org=belastingdienst", [SECRET, OTHER_SECRET], "msg_42", payload)
    assert result == DeliveryResult(status_code=200, error=None, permanent=False)
    assert result.delivered and not result.retryable
    [(path, headers, body)] = target.requests
    assert path == "/hooks/escalations?org=belastingdienst"
    lowered = {key.lower(): value for key, value in headers.items()}
    assert lowered["content-type"] == "application/json"
    assert lowered["webhook-id"] == "msg_42"
    assert lowered["host"] == f"127.0.0.1:{target.port}"
    verify(SECRET, headers, body)
    verify(OTHER_SECRET, headers, body)
    assert json.loads(body) == {
        "escalation": "E-1",
        "vraag": "Wanneer wordt mijn toeslag uitbetaald?",
        "at": "2026-06-01T00:00:00Z",
    }


def test_delivery_connects_to_the_checked_address_not_a_second_dns_answer(receiver, private_targets, monkeypatch):
    """DNS is asked once; the request goes to that address with the endpoint's name as Host."""
    target = receiver(status=202)
    lookups = []

    def resolve_once(host, port):
        lookups.append(host)
        return ["127.0.0.1"] if len(lookups) == 1 else ["10.0.0.1"]  # a rebinding answer would come second

    monkeypatch.setattr(webhooks, "_resolve", resolve_once)
    result = deliver(f"http://webhooks.gemeente.test:{target.port}/in", [SECRET], "msg_1", {"a": 1})
    assert result.delivered, result
    assert lookups == ["webhooks.gemeente.test"]
    [(_, headers, _)] = target.requests
    assert {key.lower(): value for key, value in headers.items()}["host"] == f"webhooks.gemeente.test:{target.port}"


def test_delivery_to_an_ipv6_literal_keeps_the_brackets(receiver, private_targets):
    try:
        target = receiver(status=204, host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    result = deliver(f"{target.url}/hook", [SECRET], "msg_1", {"a": 1}, timeout=(1, 1))
    assert result.delivered, result
    [(_, headers, body)] = target.requests
    assert {key.lower(): value for key, value in headers.items()}["host"] == f"[::1]:{target.port}"
    verify(SECRET, headers, body)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.1.2.3:8080/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.1/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/hook",
        "http://224.0.0.1/hook",
        "http://0.0.0.0/hook",
        "http://240.0.0.1/hook",
        "http://100.64.0.1/hook",
        "http://localhost/hook",
        "https://localhost:8443/hook",
    ],
)
def test_loopback_private_link_local_and_other_internal_targets_are_refused(url):
    result = deliver(url, [SECRET], "msg_1", {"a": 1}, timeout=(0.5, 0.5))
    assert result.status_code is None
    assert result.permanent
    assert result.error.startswith("refused target:")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/hook",
        "gopher://example.org/",
        "//example.org/hook",
        "http://user:pass@example.org/hook",
        "https://token@example.org/hook",
        "http:///hook",
        "http://example.org:99999/hook",
    ],
)
def test_other_schemes_credentials_and_malformed_urls_are_refused_before_any_lookup(url, monkeypatch):
    def no_lookup(host, port):
        raise AssertionError("no DNS lookup for a URL we refuse anyway")

    monkeypatch.setattr(webhooks, "_resolve", no_lookup)
    result = deliver(url, [SECRET], "msg_1", {"a": 1})
    assert result.permanent
    assert result.error.startswith("refused target:")


def test_a_name_with_any_internal_address_is_refused(monkeypatch):
    """Every A/AAAA record is checked, not just the first."""
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: ["93.184.216.34", "10.0.0.5"])
    result = deliver("https://hooks.example.org/in", [SECRET], "msg_1", {"a": 1})
    assert result.permanent
    assert "10.0.0.5" in result.error


def test_schemes_and_credentials_are_refused_even_when_private_targets_are_allowed(private_targets):
    assert deliver("file:///etc/passwd", [SECRET], "msg_1", {}).permanent
    result = deliver("http://user:pass@127.0.0.1:9/hook", [SECRET], "msg_1", {})
    assert result.permanent
    assert "credentials" in result.error


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("93.184.216.34", False),
        ("2606:2800:220:1:248:1893:25c8:1946", False),
        ("127.0.0.1", True),
        ("::1", True),
        ("::", True),
        ("10.0.0.1", True),
        ("fd00::1", True),
        ("169.254.169.254", True),
        ("fe80::1%eth0", True),
        ("::ffff:10.0.0.1", True),
        ("ff02::1", True),
        ("198.18.0.1", True),  # benchmarking range: not globally routable
    ],
)
def test_address_refusal(address, refused):
    assert (address_refusal(address) is not None) is refused


def test_an_unresolvable_name_is_retryable(monkeypatch):
    def fail(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(webhooks, "_resolve", fail)
    result = deliver("https://hooks.example.org/in", [SECRET], "msg_1", {})
    assert result.status_code is None
    assert not result.permanent
    assert "cannot resolve" in result.error


def test_redirects_are_not_followed(receiver, private_targets):
    elsewhere = receiver(status=200)
    target = receiver(status=302, headers={"Location": f"{elsewhere.url}/stolen"})
    result = deliver(f"{target.url}/hook", [SECRET], "msg_1", {"a": 1})
    assert result.status_code == 302
    assert not result.delivered
    assert result.permanent
    assert "redirect not followed" in result.error
    assert len(target.requests) == 1
    assert elsewhere.requests == []


@pytest.mark.parametrize(
    ("status", "delivered", "permanent"),
    [
        (200, True, False),
        (201, True, False),
        (204, True, False),
        (400, False, True),
        (401, False, True),
        (404, False, True),
        (410, False, True),
        (408, False, False),
        (429, False, False),
        (500, False, False),
        (502, False, False),
        (503, False, False),
    ],
)
def test_status_codes_decide_delivered_permanent_or_retryable(receiver, private_targets, status, delivered, permanent):
    target = receiver(status=status)
    result = deliver(f"{target.url}/hook", [SECRET], "msg_1", {"a": 1})
    assert result.status_code == status
    assert result.delivered is delivered
    assert result.permanent is permanent
    assert result.retryable is (not delivered and not permanent)


def test_a_silent_receiver_times_out_and_is_retryable(private_targets):
    """A listener that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        started = time.monotonic()
        result = deliver(f"http://127.0.0.1:{port}/hook", [SECRET], "msg_1", {"a": 1}, timeout=(1, 0.3))
        elapsed = time.monotonic() - started
    assert result.status_code is None
    assert not result.permanent
    assert result.error.startswith("timeout")
    assert elapsed < 3


def test_a_slow_receiver_past_the_read_timeout_is_retryable(receiver, private_targets):
    target = receiver(status=200, delay=1.0)
    result = deliver(f"{target.url}/hook", [SECRET], "msg_1", {"a": 1}, timeout=(1, 0.2))
    assert result.retryable
    assert result.error.startswith("timeout")


def test_a_closed_port_is_a_retryable_connection_error(private_targets):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more.
    result = deliver(f"http://127.0.0.1:{port}/hook", [SECRET], "msg_1", {"a": 1}, timeout=(1, 1))
    assert result.status_code is None
    assert result.retryable
    assert result.error.startswith("connection error")


def test_environment_proxies_are_not_used(receiver, private_targets, monkeypatch):
    target = receiver(status=204)
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("http_proxy", "http://10.9.9.9:3128")
    assert deliver(f"{target.url}/hook", [SECRET], "msg_1", {"a": 1}, timeout=(1, 1)).delivered


# --- https: the pinned address still speaks TLS to the endpoint's name -----------------------------------


@pytest.fixture
def tls_receiver(tmp_path):
    """An https receiver on 127.0.0.1 whose self-signed certificate names only `hooks.gemeente.test`."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hooks.gemeente.test")])
    now = datetime.now(tz=UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("hooks.gemeente.test")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = Receiver(status=200)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    server.sni = []
    context.sni_callback = lambda sock, server_name, ctx: server.sni.append(server_name)
    yield server, str(cert_file)
    server.close()


def test_https_delivery_to_a_pinned_address_checks_the_certificate_for_the_endpoint_name(
    tls_receiver, private_targets, monkeypatch
):
    server, ca_bundle = tls_receiver
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: ["127.0.0.1"])
    result = deliver(f"https://hooks.gemeente.test:{server.port}/in", [SECRET], "msg_1", {"a": 1}, ca_bundle=ca_bundle)
    assert result.delivered, result
    assert server.sni == ["hooks.gemeente.test"]
    [(_, headers, body)] = server.requests
    assert {key.lower(): value for key, value in headers.items()}["host"] == f"hooks.gemeente.test:{server.port}"
    verify(SECRET, headers, body)


def test_https_certificate_for_another_name_is_refused(tls_receiver, private_targets, monkeypatch):
    server, ca_bundle = tls_receiver
    monkeypatch.setattr(webhooks, "_resolve", lambda host, port: ["127.0.0.1"])
    result = deliver(f"https://evil.test:{server.port}/in", [SECRET], "msg_1", {"a": 1}, ca_bundle=ca_bundle)
    assert not result.delivered
    assert result.status_code is None
    assert server.requests == []
    # And without the test CA, a certificate certifi does not know is refused as well.
    result = deliver(f"https://hooks.gemeente.test:{server.port}/in", [SECRET], "msg_1", {"a": 1})
    assert not result.delivered
    assert server.requests == []
