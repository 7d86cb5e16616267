"""One error format for every 4xx/5xx on the API: RFC 9457 problem details with field errors.

{"type": "...", "title": "...", "status": 400, "detail": "...", "code": "validation_failed",
 "errors": [{"field": "email", "message": "...", "code": "invalid"}], "trace_id": "..."}
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from redis.exceptions import RedisError
from rest_framework import exceptions
from rest_framework.views import set_rollback

from contactcentre.errors import DomainError, ServiceUnavailable
from contactcentre.tracing import current_trace_id

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://contactcentre.example/problems/"


def _flatten(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of {field, message, code}."""
    if isinstance(detail, dict):
        return [
            err for key, value in detail.items() for err in _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [_error(prefix, item) for item in detail]
        return [err for index, item in enumerate(detail) for err in _flatten(item, f"{prefix}[{index}]")]
    return [_error(prefix, detail)]


def _error(field: str, item) -> dict:
    return {"field": field or "non_field_errors", "message": str(item), "code": getattr(item, "code", "invalid")}


def problem_body(status: int, *, detail: str = "", code: str = "", errors: list | None = None) -> dict:
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    code = code or title.lower().replace(" ", "_")
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail or title,
        "code": code,
        "trace_id": current_trace_id.get(),
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(status: int, *, detail: str = "", code: str = "", errors: list | None = None, headers=None):
    response = JsonResponse(
        problem_body(status, detail=detail, code=code, errors=errors),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def problem_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: domain errors and DRF/Django exceptions as problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RedisError):  # the cache (Redis) down or silent where nothing caught it: 503, not 500
        logger.warning("redis unavailable (%s): answered 503", type(exc).__name__)
        exc = ServiceUnavailable(_("De dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw."))

    if isinstance(exc, DomainError):
        set_rollback()
        errors = _flatten(exc.field_errors) if exc.field_errors else None
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(int(retry_after))} if retry_after else None
        return problem_response(exc.status, detail=exc.message, code=exc.code, errors=errors, headers=headers)

    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: ApiProblemMiddleware logs it and answers a bare 500

    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            400,
            detail="De invoer is niet geldig.",
            code="validation_failed",
            errors=_flatten(exc.detail),
            headers=headers,
        )
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else ""
    return problem_response(exc.status_code, detail=detail, code=code, headers=headers)
