"""Writes for the organisations' second-line endpoints: rotating a webhook secret keeps the previous
one valid next to the new one (Standard Webhooks: receivers accept either while they switch)."""

from django.db import transaction

from casemanagement.models import SecondLineEndpoint
from casemanagement.webhooks import generate_secret

SECRETS_KEPT = 2  # the new one and the one before it


@transaction.atomic
def endpoint_secret_rotate(*, endpoint: SecondLineEndpoint) -> str:
    """A new secret first, the newest old one kept; returns the new secret (shown once)."""
    endpoint = SecondLineEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    secret = generate_secret()
    endpoint.secrets = [secret, *list(endpoint.secrets or [])][:SECRETS_KEPT]
    endpoint.save(update_fields=["secrets"])
    return secret


def secret_masked(secret: str) -> str:
    """Enough to tell secrets apart, never enough to use one."""
    return f"{secret[:10]}…{secret[-4:]}" if len(secret) > 16 else "…"
