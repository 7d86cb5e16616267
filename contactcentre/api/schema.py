"""OpenAPI descriptions of our authentication classes (loaded from ApiConfig.ready)."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "contactcentre.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token of an API client: `<prefix>.<secret>`. It carries an organisation and scopes.",
        }


class CsrfSessionScheme(SessionScheme):
    target_class = "contactcentre.api.authentication.CsrfSessionAuthentication"


class CitizenSessionScheme(OpenApiAuthenticationExtension):
    target_class = "contactcentre.api.authentication.CitizenSessionAuthentication"
    name = "citizenSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid", "description": "DigiD-sessie (portaal)"}
