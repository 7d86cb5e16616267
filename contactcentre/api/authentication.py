"""Authentication for staff (session with CSRF), citizens (a session bound to one party by the portal's
DigiD sign-in) and systems (hashed bearer tokens); each answers a Principal."""

import hmac

from rest_framework import authentication, exceptions
from rest_framework.permissions import BasePermission

from contactcentre.api.backends import user_group_names
from contactcentre.api.models import ApiClient, hash_secret
from contactcentre.api.services import api_client_touch
from contactcentre.principal import Principal, citizen_from_session


def client_for_token(token: str) -> ApiClient | None:
    """The active API client whose `<prefix>.<secret>` this is, or None."""
    prefix, _, secret = token.strip().partition(".")
    if not (prefix and secret):
        return None
    client = ApiClient.objects.select_related("organisation").filter(is_active=True, token_prefix=prefix).first()
    if client is None or not hmac.compare_digest(client.token_hash, hash_secret(secret)):
        return None
    return client


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <prefix>.<secret>`; only the hash of the secret is stored."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, token = header.partition(" ")
        if keyword != self.keyword:
            return None
        client = client_for_token(token)
        if client is None:
            raise exceptions.AuthenticationFailed("Ongeldig of ingetrokken token.")
        api_client_touch(client=client)
        return Principal.organisation(client), client

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced on every unsafe method), answering the staff
    member as a Principal with their roles."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user, auth = found
        return Principal.staff(user, roles=user_group_names(user)), auth


class CitizenSessionAuthentication(authentication.SessionAuthentication):
    """Yields a citizen Principal from the session; CSRF enforced on unsafe methods like DRF's session auth."""

    def authenticate(self, request):
        session = getattr(request._request, "session", None)
        principal = citizen_from_session(session) if session is not None else None
        if principal is None:
            return None
        self.enforce_csrf(request)
        return principal, None

    def authenticate_header(self, request) -> str:
        # With a challenge DRF answers 401 (not 403) when no citizen is signed in, as the staff endpoints do.
        return 'Session realm="portal"'


class IsCitizen(BasePermission):
    message = "Log eerst in met DigiD."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, Principal) and request.user.is_citizen
