"""Staff sign-in through the organisation's identity provider (OpenID Connect), when STAFF_OIDC_* is
configured: mozilla-django-oidc's views, the sign-in page's message on failure. The user and their
roles come from contactcentre.api.oidc.StaffOIDCBackend; sign-out is the same POST as after the form."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


def _configured():
    if not settings.STAFF_OIDC_ENABLED:
        raise Http404


class StaffOIDCStart(OIDCAuthenticationRequestView):
    """To the identity provider, with a new state, nonce and PKCE verifier in the session."""

    def get(self, request):
        _configured()
        return super().get(request)


class StaffOIDCCallback(OIDCAuthenticationCallbackView):
    """Back from the identity provider: the code exchanged, the ID token checked, signed in."""

    def get(self, request):
        _configured()
        try:
            return super().get(request)
        except SuspiciousOperation:  # a state this browser did not start (or already used)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Aanmelden met uw organisatieaccount is niet gelukt. "
                "Probeer het opnieuw of neem contact op met uw beheerder."
            ),
        )
        return redirect("staff-login")
