"""Verification codes for a new e-mail address or phone number: generated, hashed, sent.

Sending goes through `verification_send`, which calls the sender named in the setting
REGISTRY_VERIFICATION_SENDER (a dotted path to `sender(*, challenge, channel, recipient, body)`).
The default writes a VerificationMessage row in the same transaction (an outbox): channels_app's
transports deliver it later. Tests point the setting at a fake.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from contactcentre.registry.models import VerificationChallenge, VerificationMessage

CODE_LENGTH = 6
DEFAULT_SENDER = "contactcentre.registry.verification.outbox_sender"


def code_generate() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))


def code_hash(code: str) -> str:
    """`salt$hmac`: keyed with the secret key, so a leaked table cannot be brute-forced offline."""
    salt = secrets.token_hex(8)
    return f"{salt}${_digest(salt, code)}"


def code_matches(stored: str, code: str) -> bool:
    salt, _sep, digest = stored.partition("$")
    return bool(salt) and hmac.compare_digest(digest, _digest(salt, str(code).strip()))


def _digest(salt: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def verification_send(*, challenge: VerificationChallenge, recipient: str, code: str) -> None:
    body = _("Uw verificatiecode is {code}. De code is {minutes} minuten geldig.").format(
        code=code, minutes=settings_ttl_minutes()
    )
    sender = import_string(getattr(settings, "REGISTRY_VERIFICATION_SENDER", DEFAULT_SENDER))
    sender(challenge=challenge, channel=challenge.kind, recipient=recipient, body=body)


def outbox_sender(*, challenge: VerificationChallenge, channel: str, recipient: str, body: str) -> None:
    VerificationMessage.objects.create(challenge=challenge, channel=channel, recipient=recipient, body=body)


def settings_ttl_minutes() -> int:
    return int(getattr(settings, "REGISTRY_VERIFICATION_TTL_MINUTES", 15))


def settings_max_attempts() -> int:
    return int(getattr(settings, "REGISTRY_VERIFICATION_MAX_ATTEMPTS", 5))


def settings_max_per_hour() -> int:
    """Codes one party may be sent per hour, over all callers and channels."""
    return int(getattr(settings, "REGISTRY_VERIFICATION_MAX_PER_HOUR", 5))
