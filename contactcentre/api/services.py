"""Writes for the API plumbing: API clients and idempotency records."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcentre.api.models import ApiClient, IdempotencyRecord
from contactcentre.api.scopes import ALL_SCOPES
from contactcentre.errors import ValidationFailed


@transaction.atomic
def api_client_create(*, name: str, organisation, scopes: list[str]) -> tuple[ApiClient, str]:
    """Create an API client; returns the client and its token, which is shown only this once."""
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown:
        raise ValidationFailed(_("Onbekende scopes."), field_errors={"scopes": [", ".join(unknown)]})
    token, prefix, token_hash = ApiClient.new_token()
    client = ApiClient.objects.create(
        name=name, organisation=organisation, scopes=sorted(set(scopes)), token_prefix=prefix, token_hash=token_hash
    )
    return client, token


def api_client_touch(*, client: ApiClient) -> None:
    """Record use, at most once a minute, so authentication does not write on every request."""
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > timedelta(minutes=1):
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now


def idempotency_records_purge() -> int:
    cutoff = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
