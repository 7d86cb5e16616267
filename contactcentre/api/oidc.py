"""Signing in through OpenID Connect, on mozilla-django-oidc: staff through the organisation's identity
provider (StaffOIDCBackend, an authentication backend), and citizens through a DigiD broker
(contactcentre.portal.digid), with the same code exchange and ID token checks (ProviderChecks).

mozilla-django-oidc checks the ID token's signature (with the provider's JWKS or key) and its nonce;
ProviderChecks adds what OpenID Connect Core 3.1.3.7 also asks: the issuer, this client in the audience,
not expired. A provider that is down, answers an error or sends a bad token ends the sign-in with None
(the sign-in page says so), never a 500. The log names the kind of failure, never a claim.
"""

import logging
import time

import josepy
import requests
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from contactcentre.api.backends import CachedPermissionBackend
from contactcentre.api.services import staff_account_sync

logger = logging.getLogger(__name__)

CLOCK_SKEW_SECONDS = 60
USERNAME_MAX = 150  # Django's User.username


class ProviderChecks:
    """Mixed in before mozilla-django-oidc's backend."""

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as error:  # the library's and ours: fixed texts, no claims
            logger.warning("OpenID Connect sign-in refused: %s", error)
        except (requests.RequestException, ValueError, KeyError, josepy.errors.Error) as error:
            # down, an error answer, no JSON, a JWKS or token that is no JWKS or token
            logger.warning("OpenID Connect provider failed: %s", type(error).__name__)
        return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience
        if payload.get("iss") != self.get_settings("OIDC_OP_ISSUER"):
            raise SuspiciousOperation("ID token from another issuer")
        if not isinstance(audiences, list) or self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        expires = payload.get("exp")
        if not isinstance(expires, int | float) or expires + CLOCK_SKEW_SECONDS < time.time():
            raise SuspiciousOperation("ID token expired")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's over them where one is configured."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo of another subject")
            claims.update(userinfo)
        return claims


def _text(claims: dict, name: str, limit: int) -> str:
    value = claims.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def role_names_from_claims(claims: dict, claim: str) -> set[str]:
    """The values of the roles claim: a list, or one space-separated string as some providers send."""
    value = claims.get(claim)
    if isinstance(value, str):
        value = value.split()
    return {item for item in value if isinstance(item, str)} if isinstance(value, list) else set()


class StaffOIDCBackend(ProviderChecks, OIDCAuthenticationBackend, CachedPermissionBackend):
    """The staff member named by STAFF_OIDC_USERNAME_CLAIM, created or updated at every sign-in with the
    roles of STAFF_OIDC_ROLES_CLAIM (contactcentre.api.services.staff_account_sync). Permissions come
    from the cache like CachedPermissionBackend's."""

    # ModelBackend's: a disabled account loses its session at its next request (the library's does not check).
    get_user = ModelBackend.get_user

    def _username(self, claims: dict) -> str:
        return _text(claims, self.get_settings("STAFF_OIDC_USERNAME_CLAIM"), USERNAME_MAX + 1)

    def verify_claims(self, claims):
        return 0 < len(self._username(claims)) <= USERNAME_MAX

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=self._username(claims))

    def create_user(self, claims):
        return self.update_user(None, claims)

    def update_user(self, user, claims):
        return staff_account_sync(
            username=self._username(claims),
            email=_text(claims, "email", 254),
            first_name=_text(claims, "given_name", 150),
            last_name=_text(claims, "family_name", 150),
            role_names=role_names_from_claims(claims, self.get_settings("STAFF_OIDC_ROLES_CLAIM")),
        )


def is_provider_sign_in(request, credentials=None) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: the return from the staff identity provider."""
    return request.path == reverse("staff-oidc-callback")
