"""API clients (systems with hashed tokens, an organisation and scopes) and idempotency records."""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX_LENGTH = 8


def hash_secret(secret: str) -> str:
    # Tokens are 256 random bits: a fast hash is safe and keeps authentication cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiClient(models.Model):
    """A system (a second-line organisation's case system, another application) calling the API."""

    name = models.CharField(_("naam"), max_length=200)
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="api_clients")
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    token_prefix = models.CharField(max_length=TOKEN_PREFIX_LENGTH, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-client")
        verbose_name_plural = _("API-clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.code})"

    @staticmethod
    def new_token() -> tuple[str, str, str]:
        """(full token shown once, prefix, hash)."""
        prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
        secret = secrets.token_urlsafe(32)
        return f"{prefix}.{secret}", prefix, hash_secret(secret)


class IdempotencyRecord(models.Model):
    """The stored answer to a POST with an Idempotency-Key, kept for IDEMPOTENCY_TTL_SECONDS."""

    principal = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="idempotency_unique_key")]

    def __str__(self) -> str:
        return f"{self.principal[:12]}…/{self.key}"
