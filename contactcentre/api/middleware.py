"""Request context (trace id, structured access log) and problem-details answers on API paths."""

import logging
import time

from django.http import HttpRequest, HttpResponse

from contactcentre.api.errors import problem_response
from contactcentre.tracing import current_trace_id, new_trace_id, parse_traceparent, traceparent_for

access_log = logging.getLogger("contactcentre.access")
error_log = logging.getLogger("contactcentre.errors")


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


class RequestContextMiddleware:
    """Gives every request a trace id (from `traceparent` when valid) and logs one line per request.

    The log line names the route pattern, never the concrete path, so no identifier can leak.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trace_id = parse_traceparent(request.headers.get("traceparent")) or new_trace_id()
        request.trace_id = trace_id
        token = current_trace_id.set(trace_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["traceparent"] = traceparent_for(trace_id)
            match = getattr(request, "resolver_match", None)
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": match.route if match else "<unmatched>",
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            return response
        finally:
            current_trace_id.reset(token)


class ApiProblemMiddleware:
    """Django's own 404/405/500 answers on /api/ paths become problem details, never HTML or tracebacks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_path(request.path) and any("\x00" in k or "\x00" in v for k, v in request.GET.items()):
            return problem_response(400, detail="De zoekparameters bevatten een NUL-teken.", code="parse_error")
        response = self.get_response(request)
        if (
            is_api_path(request.path)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(("application/problem+json", "application/json"))
        ):
            return problem_response(response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_api_path(request.path):
            return None
        error_log.exception("unhandled error", extra={"exception_type": type(exception).__name__})
        return problem_response(500)
