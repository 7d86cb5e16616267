"""Authentication for people (session with CSRF) and for systems (hashed bearer tokens)."""

import hmac

from django.utils.functional import SimpleLazyObject
from rest_framework import authentication, exceptions

from contactcentre.api.compiled import CompiledQuery
from contactcentre.api.models import ApiClient, hash_secret
from contactcentre.api.services import api_client_touch

# Every request of a system looks its token up: the SQL is compiled once (contactcentre.api.compiled).
_ACTIVE_CLIENT = CompiledQuery(
    lambda prefix: (
        ApiClient.objects.select_related("organisation").filter(token_prefix=prefix, is_active=True).order_by("pk")[:1]
    ),
    prefix="~token-prefix~",
)


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
        prefix, _, secret = token.strip().partition(".")
        found = _ACTIVE_CLIENT.rows(prefix=prefix) if prefix and secret else []
        client = found[0] if found else None
        if client is None or not hmac.compare_digest(client.token_hash, hash_secret(secret)):
            raise exceptions.AuthenticationFailed("Ongeldig of ingetrokken token.")
        api_client_touch(client=client)
        return client, client

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class CsrfSessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, which enforces CSRF on every unsafe method.

    It answers the user itself rather than Django's lazy wrapper around it (`request.user` of the
    HttpRequest, already evaluated by the time this runs): every attribute the views and selectors
    then read from the user would otherwise fail on the wrapper first and be looked up again through
    it, some 25 times a request on the customer view.
    """

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        user, auth = found
        return (user._wrapped if isinstance(user, SimpleLazyObject) else user), auth
