"""OpenAPI descriptions of our authentication classes (loaded from ApiConfig.ready), and the AutoSchema
(REST_FRAMEWORK DEFAULT_SCHEMA_CLASS) that documents the problem-details answers of every operation."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as OpenApiAutoSchema
from drf_spectacular.plumbing import force_instance, is_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from contactcentre.api.errors import PROBLEM_CONTENT_TYPE


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


# --- problem details in the contract ------------------------------------------------------------------


class ProblemFieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as contactcentre/api/errors.py writes every 4xx/5xx of the API."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    trace_id = serializers.CharField(allow_blank=True)
    errors = ProblemFieldErrorSerializer(many=True, required=False)


PROBLEM_DESCRIPTIONS = {
    400: "De invoer is niet geldig (velden in `errors`).",
    401: "Niet ingelogd, of een ongeldig of ingetrokken token.",
    403: "Geen toegang: rol, scope, doelbinding of CSRF.",
    404: "Niet gevonden (of niet zichtbaar voor u).",
    409: "Een verzoek met deze Idempotency-Key wordt nog verwerkt.",
    422: "Niet toegestaan door de regels, of een Idempotency-Key die al voor een ander verzoek is gebruikt.",
    429: "Te veel verzoeken of pogingen (ook te veel verkeerde doelverwijzingen); zie Retry-After.",
    503: "Een afhankelijke dienst is tijdelijk niet beschikbaar; zie Retry-After.",
}

IDEMPOTENCY_KEY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": (
        "Hetzelfde verzoek nog eens (zelfde sleutel en body) geeft het bewaarde antwoord; een andere body "
        "met deze sleutel een 422; een verzoek dat nog loopt een 409. Sleutels worden 24 uur bewaard."
    ),
    "schema": {"type": "string", "maxLength": 255},
}

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(OpenApiAutoSchema):
    """drf-spectacular's AutoSchema, adding the problem-details answers an operation can give, derived
    from the view rather than listed per endpoint:
    - 401 where the view authenticates anyone (a missing, invalid or revoked credential), and 403 where
      it also checks permissions (role, scope, purpose) or session CSRF;
    - 404 where the path names an object, and on lists by page number (a page past the last);
    - 400 where there is a body or query parameters to get wrong (also a malformed JSON body);
    - 422 on writes (rules refuse it; an Idempotency-Key reused for another body) and 409 on POST (an
      Idempotency-Key still being processed), with the Idempotency-Key header documented;
    - 429 and 503 where the view is throttled (its throttle_classes; the throttles fail closed, 503) or
      takes a purpose (a principal's wrong purpose references are counted and locked out).
    Answers a view documents itself are kept, and get the problem schema when they have no content."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if self.method == "POST" and path.startswith("/api/"):
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("in") == "header" and p.get("name") == "Idempotency-Key" for p in parameters):
                parameters.append(dict(IDEMPOTENCY_KEY_PARAMETER))
        problem = self.resolve_serializer(ProblemSerializer, "response")
        content = {PROBLEM_CONTENT_TYPE: {"schema": problem.ref}}
        responses = operation.setdefault("responses", {})
        for status in sorted(self._problem_statuses(operation)):
            responses.setdefault(str(status), {"description": PROBLEM_DESCRIPTIONS[status]})
        for status, response in responses.items():
            if status.isdigit() and int(status) >= 400 and not response.get("content"):
                response["content"] = content
                response["description"] = response.get("description") or PROBLEM_DESCRIPTIONS.get(int(status), "")
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _problem_statuses(self, operation) -> set[int]:
        view, statuses = self.view, set()
        authenticators = view.get_authenticators()
        public = all(isinstance(permission, AllowAny) for permission in view.get_permissions())
        if authenticators:
            statuses.add(401)
        if not public or (self.method in UNSAFE_METHODS and authenticators):
            statuses.add(403)
        parameters = operation.get("parameters", [])
        if any(p.get("in") == "path" or (p.get("in") == "query" and p.get("name") == "page") for p in parameters):
            statuses.add(404)  # the object named in the path; a page number past the last page
        if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
            statuses.add(400)
        if self.method in UNSAFE_METHODS:
            statuses.update({400, 422})
        if self.method == "POST":
            statuses.add(409)
        if view.get_throttles() or self._takes_a_purpose(operation):
            statuses.update({429, 503})
        return statuses

    def _takes_a_purpose(self, operation) -> bool:
        """A purpose (and reference) in the query or the body: purpose_grant refuses the purposes of
        whoever named too many wrong references for a while (429), counted in the cache (503)."""
        parameters = operation.get("parameters", [])
        if any(p.get("in") == "query" and p.get("name") == "purpose_reference" for p in parameters):
            return True
        if "requestBody" not in operation:
            return False
        serializer = self.get_request_serializer()
        return is_serializer(serializer) and "purpose_reference" in force_instance(serializer).fields
