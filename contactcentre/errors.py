"""The one small hierarchy of domain errors that services raise and interfaces map to 4xx answers."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose. `status` is the HTTP status interfaces use."""

    status = 400
    code = "invalid"
    title = "Invalid request"

    def __init__(self, message: str = "", *, code: str | None = None, field_errors: dict | None = None):
        super().__init__(message or self.title)
        self.message = message or self.title
        if code:
            self.code = code
        self.field_errors = field_errors or {}


class ValidationFailed(DomainError):
    status = 400
    code = "validation_failed"
    title = "Validation failed"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class AccessDenied(DomainError):
    status = 403
    code = "access_denied"
    title = "Access denied"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class RuleViolation(DomainError):
    """The request is well-formed but the business rules refuse it."""

    status = 422
    code = "rule_violation"
    title = "Not allowed by the rules"


class TooLarge(DomainError):
    """An upload (a scan) larger than the limit."""

    status = 413
    code = "too_large"
    title = "Content too large"


class UnsupportedType(DomainError):
    """An upload whose content (sniffed, not its name or declared type) is not one that is accepted."""

    status = 415
    code = "unsupported_type"
    title = "Unsupported media type"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    title = "Too many attempts"


class ServiceUnavailable(DomainError):
    """A dependency (Redis) is down or silent: refused for now, never waved through. `retry_after` is
    the Retry-After the interfaces send, in seconds."""

    status = 503
    code = "service_unavailable"
    title = "Service temporarily unavailable"
    retry_after = 5
