"""Signed webhooks to second-line organisations: Standard Webhooks signing and SSRF-safe delivery.

This is casemanagement's delivery module (DESIGN.md section 2): the only place that speaks HTTP to an
organisation's endpoint. Everything else calls `deliver` (and tests fake it at this boundary).

Signing follows the Standard Webhooks specification (https://www.standardwebhooks.com/), through its
reference library `standardwebhooks`: the headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
`webhook-signature`, a space-separated list of `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`,
one per current secret of the endpoint (so a secret can be rotated with two valid at once). Secrets
have the form `whsec_<base64 key>`. `verify` is what a receiver does; organisations may copy it or use
any Standard Webhooks library.

Delivery (`deliver`) refuses what could turn the server against its own network (SSRF):
- only http and https, no credentials in the URL, no proxies from the environment;
- the host is resolved once and every address it resolves to must be public (not loopback, private,
  link-local such as the 169.254.169.254 metadata service, multicast, reserved, unspecified, or
  otherwise not globally routable), unless `settings.WEBHOOK_ALLOW_PRIVATE_TARGETS` (tests, local
  development);
- the connection goes to that checked address, not to a second DNS answer (no DNS rebinding between
  check and connect): the URL is requested at the address, with the original name in the Host header
  and, for https, as the TLS server name (SNI) and the name the certificate must match;
- redirects are not followed; connect and read timeouts always apply; the response body is not read.

Left to the caller: the DNS lookup itself (`socket.getaddrinfo`) is bounded by the system resolver's own
timeout, not by `timeout`; and the read timeout bounds each wait for data, not the whole exchange.

The result says whether it was delivered and, if not, whether trying again can help: a 2xx is
delivered; a 4xx other than 408 and 429, a redirect and a refused URL are permanent; 5xx, 408, 429,
timeouts and connection errors are worth a retry (the outbox relay decides when).
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import json
import secrets as token_source
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from requests.adapters import HTTPAdapter
from standardwebhooks import Webhook, WebhookVerificationError

__all__ = [
    "DEFAULT_TIMEOUT",
    "DeliveryResult",
    "WebhookVerificationError",
    "deliver",
    "generate_secret",
    "sign",
    "verify",
]

SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE = timedelta(seconds=300)
# (connect, read) seconds; the read timeout bounds each wait for data, not the whole exchange.
DEFAULT_TIMEOUT = (3.05, 10.0)
USER_AGENT = "contactcentre-webhooks/1"
RETRYABLE_CLIENT_ERRORS = frozenset({408, 429})


# --- signing -------------------------------------------------------------------------------------------


def generate_secret() -> str:
    """A new endpoint secret: 32 random bytes in the `whsec_<base64>` form."""
    return SECRET_PREFIX + base64.b64encode(token_source.token_bytes(32)).decode("ascii")


def sign(secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers for `body`, signed with every current secret of the endpoint."""
    if not secrets:
        raise ValueError("An endpoint needs at least one secret to sign with.")
    if not msg_id or " " in msg_id:
        raise ValueError("A message id is a non-empty string without spaces.")
    moment = datetime.fromtimestamp(int(timestamp), tz=UTC)
    signatures = [Webhook(secret).sign(msg_id, moment, body) for secret in secrets]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp)),
        "webhook-signature": " ".join(signatures),
    }


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance: timedelta = DEFAULT_TOLERANCE,
    now: datetime | None = None,
) -> None:
    """Check a received webhook the way a receiver should; raises WebhookVerificationError if it fails.

    The timestamp must lie within `tolerance` of `now` (replays of old messages fail) and one of the
    `v1` signatures must match the HMAC of this id, timestamp and exact body under `secret`.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    msg_id = lowered.get("webhook-id")
    timestamp = lowered.get("webhook-timestamp")
    signature_header = lowered.get("webhook-signature")
    if not (msg_id and timestamp and signature_header):
        raise WebhookVerificationError("Missing required headers")
    if not timestamp.isascii() or not timestamp.isdigit():
        raise WebhookVerificationError("Invalid timestamp")
    seconds = int(timestamp)
    current = (now or datetime.now(tz=UTC)).timestamp()
    if seconds < current - tolerance.total_seconds():
        raise WebhookVerificationError("Message timestamp too old")
    if seconds > current + tolerance.total_seconds():
        raise WebhookVerificationError("Message timestamp too new")
    expected = Webhook(secret).sign(msg_id, datetime.fromtimestamp(seconds, tz=UTC), body).encode()
    passed = [candidate for candidate in signature_header.split(" ") if candidate.startswith("v1,")]
    # Compare against every one (no early exit), in constant time each.
    matches = [hmac.compare_digest(expected, candidate.encode()) for candidate in passed]
    if not any(matches):
        raise WebhookVerificationError("No matching signature found")


# --- delivery --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryResult:
    status_code: int | None
    error: str | None
    permanent: bool

    @property
    def delivered(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300

    @property
    def retryable(self) -> bool:
        return not self.delivered and not self.permanent


class TargetRefused(Exception):
    """The endpoint URL or an address it resolves to is not one we deliver to."""


def _resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (A and AAAA). A seam for tests."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def address_refusal(address: str) -> str | None:
    """Why we do not deliver to this IP address, or None if it is a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone index
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for reason in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{reason}"):
            return f"{ip} is a {reason.replace('_', '-')} address"
    if not ip.is_global:
        return f"{ip} is not a globally routable address"
    return None


def _check_target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for a URL we may deliver to; else TargetRefused."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetRefused(f"scheme {scheme or '(none)'!r} is not http or https")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("URLs with credentials are refused")
    host = parts.hostname
    if not host:
        raise TargetRefused("the URL has no host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise TargetRefused(f"invalid port: {error}") from error
    try:
        addresses = _resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise ConnectionError(f"cannot resolve {host!r}: {error}") from error
    if not addresses:
        raise ConnectionError(f"{host!r} resolves to no address")
    if not getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False):
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise TargetRefused(f"{host} resolves to {address}: {reason}")
    return scheme, host, port, addresses[0]


class _PinnedAddressAdapter(HTTPAdapter):
    """Connects wherever the URL says (the checked address) but speaks TLS to `server_hostname`.

    urllib3 passes `server_hostname` (SNI) and `assert_hostname` (the name the certificate must match)
    through its public pool keyword arguments; for plain http they are dropped.
    """

    def __init__(self, server_hostname: str) -> None:
        self._server_hostname = server_hostname
        super().__init__(max_retries=0)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        pool_kwargs["server_hostname"] = self._server_hostname
        pool_kwargs["assert_hostname"] = self._server_hostname
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)


def _encode_body(payload: Mapping) -> bytes:
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def deliver(
    endpoint_url: str,
    secrets: Sequence[str],
    msg_id: str,
    payload: Mapping,
    *,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    timestamp: int | None = None,
    ca_bundle: str | None = None,
) -> DeliveryResult:
    """POST `payload` as signed JSON to the endpoint; never raises for what the network or receiver does.

    `ca_bundle`: a file of CA certificates to trust instead of certifi's (an organisation on a private
    PKI such as PKIoverheid Private, or a test); certificates are always verified.
    """
    body = _encode_body(payload)
    headers = sign(secrets, msg_id, int(datetime.now(tz=UTC).timestamp()) if timestamp is None else timestamp, body)
    try:
        scheme, host, port, address = _check_target(endpoint_url)
    except TargetRefused as refusal:
        return DeliveryResult(status_code=None, error=f"refused target: {refusal}", permanent=True)
    except ConnectionError as error:
        return DeliveryResult(status_code=None, error=str(error), permanent=False)

    parts = urlsplit(endpoint_url)
    default_port = 443 if scheme == "https" else 80
    literal = f"[{address}]" if ":" in address else address
    pinned_url = urlunsplit(
        (scheme, literal if port == default_port else f"{literal}:{port}", parts.path or "/", parts.query, "")
    )
    host_header = host if port == default_port else f"{host}:{port}"
    if ":" in host:  # an IPv6 literal keeps its brackets in the Host header
        host_header = f"[{host}]" if port == default_port else f"[{host}]:{port}"
    headers.update({"Host": host_header, "Content-Type": "application/json", "User-Agent": USER_AGENT})

    with requests.Session() as session:
        session.trust_env = False  # no proxies, .netrc credentials or CA bundles from the environment
        session.mount(f"{scheme}://", _PinnedAddressAdapter(server_hostname=host))
        try:
            with session.post(
                pinned_url,
                data=body,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
                stream=True,
                verify=ca_bundle or True,
            ) as response:
                status = response.status_code
                location = response.headers.get("Location")
        except requests.Timeout as error:
            return DeliveryResult(status_code=None, error=f"timeout: {error}", permanent=False)
        except requests.RequestException as error:
            return DeliveryResult(status_code=None, error=f"connection error: {error}", permanent=False)

    if 200 <= status < 300:
        return DeliveryResult(status_code=status, error=None, permanent=False)
    if 300 <= status < 400:
        # A moved endpoint is a configuration matter for the organisation; following it could lead anywhere.
        return DeliveryResult(status_code=status, error=f"redirect not followed (to {location!r})", permanent=True)
    if 400 <= status < 500 and status not in RETRYABLE_CLIENT_ERRORS:
        return DeliveryResult(status_code=status, error=f"HTTP {status}", permanent=True)
    return DeliveryResult(status_code=status, error=f"HTTP {status}", permanent=False)
