"""DigiD through an OpenID Connect broker (DIGID_OIDC_*): /mijn/inloggen/ sends the citizen to the broker
with a state, nonce and PKCE verifier in the session; the broker sends them back here with a code, which
is exchanged for an ID token that is checked (signature with the broker's keys, nonce, issuer, audience,
expiry: contactcentre.api.oidc). The token's BSN finds the person (the processing log records the
search, purpose self service) and its level of assurance becomes the citizen session's.

mozilla-django-oidc's views and backend are reused with their settings read under DIGID_ (DIGID_OIDC_*
in settings.py), next to the staff sign-in's own OIDC_* settings. The BSN stays in the ID token, the
processing log's pseudonym and the database: never in a URL, a log line or the session.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from contactcentre.api.oidc import ProviderChecks
from contactcentre.errors import DomainError
from contactcentre.principal import SYSTEM
from contactcentre.processinglog.purposes import Purpose
from contactcentre.registry.assurance import AssuranceLevel, assurance_at_least
from contactcentre.registry.citizen import citizen_session_start
from contactcentre.registry.selectors import party_find_by_bsn

# DigiD's levels as brokers name them in the `acr` claim: the SAML authentication context classes of
# DigiD (Logius), the eIDAS levels, or DigiD's own words. Anything else is no level (refused).
ASSURANCE_LEVELS = {
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport": AssuranceLevel.LOW,  # Basis
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwofactorContract": AssuranceLevel.SUBSTANTIAL,  # Midden
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard": AssuranceLevel.SUBSTANTIAL,  # Substantieel
    "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI": AssuranceLevel.HIGH,  # Hoog
    "http://eidas.europa.eu/LoA/low": AssuranceLevel.LOW,
    "http://eidas.europa.eu/LoA/substantial": AssuranceLevel.SUBSTANTIAL,
    "http://eidas.europa.eu/LoA/high": AssuranceLevel.HIGH,
    "basis": AssuranceLevel.LOW,
    "midden": AssuranceLevel.SUBSTANTIAL,
    "substantieel": AssuranceLevel.SUBSTANTIAL,
    "hoog": AssuranceLevel.HIGH,
}
LOG_REFERENCE = "digid"


def assurance_from_claim(value) -> str:
    """The registry's level for the broker's claim; "" for a value it does not know."""
    if not isinstance(value, str):
        return ""
    return ASSURANCE_LEVELS.get(value.strip()) or ASSURANCE_LEVELS.get(value.strip().lower(), "")


class DigidSettings:
    """mozilla-django-oidc's OIDC_* settings, read as DIGID_OIDC_*."""

    @staticmethod
    def get_settings(attr, *args):
        return import_from_settings(f"DIGID_{attr}" if attr.startswith("OIDC_") else attr, *args)


class DigidStart(DigidSettings, OIDCAuthenticationRequestView):
    pass


class DigidBroker(DigidSettings, ProviderChecks, OIDCAuthenticationBackend):
    """The code exchange and the ID token's checks; `authenticate` returns the checked claims (no user)."""

    def get_or_create_user(self, access_token, id_token, payload):
        return self.get_userinfo(access_token, id_token, payload)


def _pending_flow(request) -> dict | None:
    """The flow this browser started for the returned state, taken out so it is used once."""
    flows = request.session.get("oidc_states")
    state = request.GET.get("state", "")
    if not isinstance(flows, dict) or state not in flows:
        return None
    request.session.modified = True
    return flows.pop(state)


def _refused(request, heading, explanation, status):
    return render(request, "portal/login_refused.html", {"heading": heading, "explanation": explanation}, status=status)


@require_GET
def callback(request):
    """Back from the broker: checked, the person found by BSN, the citizen session started."""
    if not settings.DIGID_OIDC_ENABLED:
        return render(request, "portal/login_unavailable.html", status=503)
    flow = _pending_flow(request)
    claims = None
    if flow is not None and not request.GET.get("error"):
        claims = DigidBroker().authenticate(request, nonce=flow["nonce"], code_verifier=flow["code_verifier"])
    if claims is None:
        return _refused(
            request,
            _("Inloggen met DigiD is niet gelukt"),
            _("Het inloggen is afgebroken of kon niet worden gecontroleerd. Probeer het opnieuw."),
            400,
        )
    assurance = assurance_from_claim(claims.get(settings.DIGID_OIDC_ASSURANCE_CLAIM))
    if not assurance_at_least(assurance, AssuranceLevel.SUBSTANTIAL):
        return _refused(
            request,
            _("Uw inlogmethode is niet sterk genoeg"),
            _("Voor Mijn omgeving logt u in met de DigiD app of met DigiD en sms-controle."),
            403,
        )
    bsn = claims.get(settings.DIGID_OIDC_BSN_CLAIM)
    try:
        person = party_find_by_bsn(
            actor=SYSTEM, purpose=Purpose.SELF_SERVICE, purpose_reference=LOG_REFERENCE, bsn=str(bsn or "")
        )
    except DomainError:  # no valid BSN in the claim
        person = None
    if person is None:
        return _refused(
            request,
            _("Wij kennen u nog niet"),
            _("Er zijn bij ons geen gegevens van u bekend. Heeft u een vraag? Bel ons of kom langs aan de balie."),
            404,
        )
    citizen_session_start(request=request, party_id=person.pk, assurance=assurance)
    return redirect(request.session.pop("oidc_login_next", None) or reverse("portal-home"))
