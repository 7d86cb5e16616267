"""Verification codes for a new e-mail address or phone number: generated, hashed, sent.

No table keeps a code in clear. A code is derived from a random seed with a key made from SECRET_KEY
(`code_from_seed`): the challenge keeps the code's keyed hash, and an unsent message keeps only the
seed and its text with a `{code}` placeholder. Who reads the database without the key learns nothing.

Sending goes through `verification_send`. By default it writes a VerificationMessage row in the same
transaction (an outbox): a transport takes it with `registry.services.verification_message_take`,
which renders the text and wipes the seed; the sender is woken by name after commit
(contactcentre/wakeups.py) and swept by beat. A transport that sends at once is named in the setting
REGISTRY_VERIFICATION_SENDER (a dotted path to `sender(*, challenge, channel, recipient, body)`) and
gets the text; nothing is stored then. Tests point the setting at a fake.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from contactcentre.registry.models import VerificationChallenge, VerificationMessage
from contactcentre.wakeups import task_wake_on_commit

CODE_LENGTH = 6
CODE_PLACEHOLDER = "{code}"
_SEED_KEY_SALT = "contactcentre.registry.verification.code_from_seed"


def code_seed_new() -> str:
    """A fresh random seed: the code it gives is unpredictable to whoever lacks SECRET_KEY."""
    return secrets.token_hex(16)


def code_from_seed(seed: str) -> str:
    """The six digits for `seed`: an HMAC-SHA256 (key derived from SECRET_KEY) reduced to 10**6 values."""
    digest = salted_hmac(_SEED_KEY_SALT, seed, algorithm="sha256").digest()
    return str(int.from_bytes(digest, "big") % 10**CODE_LENGTH).zfill(CODE_LENGTH)


def code_hash(code: str) -> str:
    """`salt$hmac`: keyed with the secret key, so a leaked table cannot be brute-forced offline."""
    salt = secrets.token_hex(8)
    return f"{salt}${_digest(salt, code)}"


def code_matches(stored: str, code: str) -> bool:
    salt, _sep, digest = stored.partition("$")
    return bool(salt) and hmac.compare_digest(digest, _digest(salt, str(code).strip()))


def _digest(salt: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class OutgoingMessage:
    """What a transport sends: the text with the code, once."""

    message_id: int
    channel: str
    recipient: str
    text: str


def message_template() -> str:
    """The message in the active language, with the code left out (CODE_PLACEHOLDER)."""
    return _("Uw verificatiecode is {code}. De code is {minutes} minuten geldig.").format(
        code=CODE_PLACEHOLDER, minutes=settings_ttl_minutes()
    )


def message_render(template: str, seed: str) -> str:
    return template.replace(CODE_PLACEHOLDER, code_from_seed(seed))


def verification_send(*, challenge: VerificationChallenge, recipient: str, code_seed: str) -> None:
    """Queue the code for `recipient` in the outbox (seed and text without the code), or hand the text to
    the transport named in REGISTRY_VERIFICATION_SENDER."""
    template = message_template()
    sender_path = getattr(settings, "REGISTRY_VERIFICATION_SENDER", "")
    if not sender_path:
        VerificationMessage.objects.create(
            challenge=challenge, channel=challenge.kind, recipient=recipient, body=template, code_seed=code_seed
        )
        task_wake_on_commit(settings.VERIFICATION_SENDER_TASK)
        return
    sender = import_string(sender_path)
    sender(challenge=challenge, channel=challenge.kind, recipient=recipient, body=message_render(template, code_seed))


def settings_ttl_minutes() -> int:
    return int(getattr(settings, "REGISTRY_VERIFICATION_TTL_MINUTES", 15))


def settings_max_attempts() -> int:
    return int(getattr(settings, "REGISTRY_VERIFICATION_MAX_ATTEMPTS", 5))


def settings_max_per_hour() -> int:
    """Codes one party may be sent per hour, over all callers and channels."""
    return int(getattr(settings, "REGISTRY_VERIFICATION_MAX_PER_HOUR", 5))
