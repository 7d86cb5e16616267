"""W3C trace context: accept an incoming `traceparent`, or start a new trace; the current trace id
of this request or task (the processing log and the log lines carry it)."""

import re
import secrets
from contextvars import ContextVar

current_trace_id: ContextVar[str] = ContextVar("current_trace_id", default="")

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def parse_traceparent(header: str | None) -> str | None:
    """The trace id of a valid traceparent header, else None."""
    match = _TRACEPARENT.match((header or "").strip().lower())
    if not match or match.group(1) == "0" * 32 or match.group(2) == "0" * 16:
        return None
    return match.group(1)


def new_trace_id() -> str:
    return secrets.token_hex(16)


def traceparent_for(trace_id: str) -> str:
    """A traceparent header for passing the trace on, with a fresh span id for this hop."""
    return f"00-{trace_id}-{secrets.token_hex(8)}-01"
