"""Writes for the API plumbing: API clients, idempotency records and staff accounts from an identity
provider."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contactcentre.api import roles
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


@transaction.atomic
def staff_account_sync(
    *, username: str, email: str, first_name: str, last_name: str, role_names: Iterable[str]
) -> AbstractUser:
    """The staff member an identity provider vouched for, created or brought up to date, with exactly the
    role groups it named (unknown names dropped; groups that are no role are left alone). Only the
    functional administrator may use the admin (is_staff). An account disabled here stays disabled."""
    User = get_user_model()
    granted = set(role_names) & set(roles.ROLE_LABELS)
    user, created = User.objects.get_or_create(username=username)
    user.email, user.first_name, user.last_name = email, first_name, last_name
    user.is_staff = roles.FUNCTIONAL_ADMIN in granted
    if created:
        user.set_unusable_password()  # signs in through the provider only
    user.save()
    role_groups = Group.objects.filter(name__in=roles.ROLE_LABELS)
    user.groups.remove(*role_groups.exclude(name__in=granted))
    user.groups.add(*role_groups.filter(name__in=granted))
    return user
