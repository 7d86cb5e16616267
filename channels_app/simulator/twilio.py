"""A stand-in for Twilio in the embedded demo (DEMO_MODE only), so a newcomer can call and text the system
without a Twilio account.

It sends the webhooks Twilio would send, over HTTP, signed the way Twilio signs them (X-Twilio-Signature:
the twilio package's RequestValidator with TWILIO_AUTH_TOKEN over the public URL, TWILIO_WEBHOOK_BASE_URL
plus the path), and reads the TwiML the app answers. A call is followed as Twilio follows it: <Say> is
heard, a <Gather> is answered with the caller's next keys (or words) at its action URL, a <Redirect> is
fetched, and the call ends at <Enqueue>, <Dial>, <Hangup>, <Reject> or the end of the document.

The request can go to another address than the public one (`transport_base`, e.g. the development server
behind a tunnel's public name); URLs outside the public base are never followed. Every request is a POST
(Twilio's default, and all the app's webhooks accept); a method="GET" on a verb is not imitated.
"""

import secrets
from dataclasses import dataclass, field
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

import requests
from defusedxml import ElementTree, minidom
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from twilio.request_validator import RequestValidator

from contactcentre.registry.validators import normalise_phone

VOICE_PATH = "/twilio/voice/"
SMS_PATH = "/twilio/sms/"
DEMO_ACCOUNT_SID = "AC" + "0" * 32
DEMO_TO_NUMBER = "+3197010000000"
API_VERSION = "2010-04-01"
CONNECT_TIMEOUT_SECONDS = 3.05
# A call's menu that keeps redirecting must still end.
MAX_STEPS = 20
# Where a call ends, as Twilio ends it (or hands it to a person).
FINAL_VERBS = frozenset({"Enqueue", "Dial", "Hangup", "Reject", "Leave"})
HEARD_VERBS = frozenset({"Say"})
# How much of an answer that is not TwiML (an error page) is shown.
SHOWN_MAX = 300
SILENT_VERBS = frozenset({"Play", "Pause"})


class SimulatorError(Exception):
    """The simulator cannot run (DEMO_MODE is off, no auth token) or cannot reach the app."""


@dataclass
class Exchange:
    """One webhook sent and what the app answered."""

    url: str  # the public URL, as signed
    params: dict[str, str]
    status: int
    body: str
    action: str = ""  # what the simulated caller or Twilio did next

    @property
    def twiml(self) -> str:
        """The answer indented for reading; the start of it when it is not XML (an error page)."""
        try:
            return minidom.parseString(self.body).toprettyxml(indent="  ").split("\n", 1)[1].strip()
        except Exception:  # noqa: BLE001 - anything not XML is shown as it came
            return self.body if len(self.body) <= SHOWN_MAX else self.body[:SHOWN_MAX] + " ..."


@dataclass
class Simulation:
    exchanges: list[Exchange] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)  # what the caller heard, or the SMS replies
    ended: str = ""  # why it stopped


def simulator_enabled() -> bool:
    return bool(settings.DEMO_MODE)


def _config(transport_base: str | None) -> tuple[str, str, str]:
    if not simulator_enabled():
        raise SimulatorError(_("De Twilio-simulator werkt alleen met DEMO_MODE aan."))
    if not settings.TWILIO_AUTH_TOKEN:
        raise SimulatorError(_("Er is geen TWILIO_AUTH_TOKEN om mee te ondertekenen."))
    public_base = settings.TWILIO_WEBHOOK_BASE_URL.rstrip("/")
    return public_base, (transport_base or public_base).rstrip("/"), settings.TWILIO_AUTH_TOKEN


def twilio_signature(url: str, params: dict[str, str], token: str) -> str:
    """X-Twilio-Signature for a POST of `params` to `url`, exactly as Twilio computes it."""
    return RequestValidator(token).compute_signature(url, params)


def _e164(number: str) -> str:
    """The number as Twilio sends it (E.164); Dutch numbers may be typed nationally (06 ...)."""
    try:
        return normalise_phone(number)
    except ValidationError:
        raise SimulatorError(_("%(number)s is geen geldig telefoonnummer.") % {"number": number}) from None


def _sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


class _Caller:
    """Sends signed webhooks for one simulation."""

    def __init__(self, transport_base: str | None):
        self.public_base, self.transport_base, self.token = _config(transport_base)

    def public_url(self, path: str) -> str:
        return self.public_base + path

    def is_ours(self, url: str) -> bool:
        return url == self.public_base or url.startswith(self.public_base + "/")

    def post(self, url: str, params: dict[str, str]) -> Exchange:
        target = self.transport_base + url[len(self.public_base) :]
        headers = {"X-Twilio-Signature": twilio_signature(url, params, self.token)}
        try:
            response = requests.post(
                target,
                data=params,
                headers=headers,
                timeout=(CONNECT_TIMEOUT_SECONDS, settings.TWILIO_TIMEOUT_SECONDS),
                allow_redirects=False,
            )
        except requests.RequestException as error:
            raise SimulatorError(
                _("De app is niet bereikbaar op %(url)s (%(error)s).") % {"url": target, "error": type(error).__name__}
            ) from None
        return Exchange(url=url, params=dict(params), status=response.status_code, body=response.text)


def _parse(exchange: Exchange) -> Element | None:
    if exchange.status != 200:
        return None
    try:
        root = ElementTree.fromstring(exchange.body)
    except (ParseError, ValueError):  # not XML, or XML with entities (refused)
        return None
    return root if root.tag == "Response" else None


def sms_simulate(
    *, sender: str, body: str, to: str = "", message_sid: str = "", transport_base: str | None = None
) -> Simulation:
    """Text `body` from `sender` to the app, as Twilio's inbound-message webhook; the replies are heard.
    The same `message_sid` twice shows that a repeated delivery has one effect."""
    caller = _Caller(transport_base)
    sender = _e164(sender)
    sid = message_sid or _sid("SM")
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": DEMO_ACCOUNT_SID,
        "From": sender,
        "To": to or settings.TWILIO_FROM_NUMBER or DEMO_TO_NUMBER,
        "Body": body,
        "NumMedia": "0",
        "ApiVersion": API_VERSION,
    }
    exchange = caller.post(caller.public_url(SMS_PATH), params)
    simulation = Simulation(exchanges=[exchange])
    root = _parse(exchange)
    if root is None:
        simulation.ended = _("De app antwoordde %(status)s zonder TwiML.") % {"status": exchange.status}
        return simulation
    simulation.heard = [(message.text or "").strip() for message in root.iter("Message")]
    simulation.ended = _("Antwoord ontvangen.") if simulation.heard else _("De app stuurt geen antwoord.")
    return simulation


def _said(verb: Element) -> list[str]:
    return [" ".join((say.text or "").split()) for say in verb.iter("Say") if (say.text or "").strip()]


def voice_simulate(
    *,
    sender: str,
    digits: list[str] = (),
    speech: list[str] = (),
    to: str = "",
    transport_base: str | None = None,
) -> Simulation:
    """Call the app from `sender` and follow its TwiML like Twilio: each <Gather> takes the caller's next
    `digits` (keys) or, where it listens for speech, the next of `speech`; when the caller has nothing
    left to say at a <Gather>, they hang up."""
    caller = _Caller(transport_base)
    sender = _e164(sender)
    keys, words = list(digits), list(speech)
    call = {
        "CallSid": _sid("CA"),
        "AccountSid": DEMO_ACCOUNT_SID,
        "From": sender,
        "To": to or settings.TWILIO_FROM_NUMBER or DEMO_TO_NUMBER,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "ApiVersion": API_VERSION,
    }
    simulation = Simulation()
    url, params = caller.public_url(VOICE_PATH), dict(call)
    for _step in range(MAX_STEPS):
        exchange = caller.post(url, params)
        simulation.exchanges.append(exchange)
        root = _parse(exchange)
        if root is None:
            simulation.ended = _("De app antwoordde %(status)s zonder TwiML; Twilio hangt op.") % {
                "status": exchange.status
            }
            return simulation
        call["CallStatus"] = "in-progress"
        following = _follow(root, url, call, keys, words, simulation)
        if following is None:
            return simulation
        url, params, exchange.action = following
        if not caller.is_ours(url):
            simulation.ended = _("%(url)s ligt buiten de app; de simulator volgt het niet.") % {"url": url}
            return simulation
    simulation.ended = _("Na %(steps)s stappen gestopt: het menu lijkt rond te gaan.") % {"steps": MAX_STEPS}
    return simulation


def _follow(root, url, call, keys, words, simulation) -> tuple[str, dict, str] | None:
    """The next request Twilio makes for this TwiML (url, params, what happened), or None when the call
    ends here (with simulation.ended saying why)."""
    for verb in root:
        if verb.tag in HEARD_VERBS:
            simulation.heard.extend(_said(verb))
        elif verb.tag in SILENT_VERBS:
            continue
        elif verb.tag == "Gather":
            simulation.heard.extend(_said(verb))
            listens = (verb.get("input") or "dtmf").split()
            action = urljoin(url, verb.get("action") or url)  # Twilio's default: the document's own URL
            if "dtmf" in listens and keys:
                key = keys.pop(0)
                return action, {**call, "Digits": key}, _("toetst %(keys)s") % {"keys": key}
            if "speech" in listens and words:
                spoken = words.pop(0)
                return (
                    action,
                    {**call, "SpeechResult": spoken, "Confidence": "0.9"},
                    _('zegt "%(words)s"') % {"words": spoken},
                )
            simulation.ended = _("De beller heeft niets meer te kiezen of te zeggen en hangt op.")
            return None
        elif verb.tag == "Redirect":
            return urljoin(url, (verb.text or "").strip() or url), dict(call), _("Twilio volgt <Redirect>")
        elif verb.tag in FINAL_VERBS:
            text = " ".join((verb.text or "").split())
            simulation.ended = _("Het gesprek eindigt bij <%(verb)s>%(text)s.") % {
                "verb": verb.tag,
                "text": f" {text}" if text else "",
            }
            return None
        else:
            simulation.ended = _("<%(verb)s> volgt de simulator niet; hier stopt hij.") % {"verb": verb.tag}
            return None
    simulation.ended = _("Einde van de TwiML: Twilio hangt op.")
    return None
