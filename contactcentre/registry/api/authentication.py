"""Authentication for the citizen's own endpoints: a session bound to one party by the portal log-in."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication
from rest_framework.permissions import BasePermission

from contactcentre.principal import Principal
from contactcentre.registry.citizen import citizen_from_session


class CitizenSessionAuthentication(authentication.SessionAuthentication):
    """Yields a citizen Principal from the session; CSRF enforced on unsafe methods like DRF's session auth."""

    def authenticate(self, request):
        session = getattr(request._request, "session", None)
        principal = citizen_from_session(session) if session is not None else None
        if principal is None:
            return None
        self.enforce_csrf(request)
        return principal, None


class IsCitizen(BasePermission):
    message = "Log eerst in met DigiD."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, Principal) and request.user.is_citizen


class CitizenSessionScheme(OpenApiAuthenticationExtension):
    target_class = CitizenSessionAuthentication
    name = "citizenSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid", "description": "DigiD-sessie (portaal)"}
