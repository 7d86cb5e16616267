"""Request parsing shared by every endpoint."""

import io
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No request of ours nests deeper than a handful of levels; 64 leaves room and keeps every recursive
# walk over the data (the parser's, the NUL check's, a serializer's) far from Python's recursion limit.
MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def nesting_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON `text` opens more than `limit` arrays and objects inside each other (brackets
    inside strings do not count). A linear scan, before any recursive parsing."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


class StrictJSONParser(JSONParser):
    """JSON without NUL characters: no database stores them, and no field (slugs, ids, lookups included)
    should have to remember to refuse them. Nested at most MAX_JSON_DEPTH levels: deeper documents are
    a 400, not a RecursionError somewhere in the parser or a recursive walk after it."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if nesting_exceeds(text):
            raise ParseError(f"De JSON-invoer is dieper genest dan {MAX_JSON_DEPTH} niveaus; dat is niet toegestaan.")
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise ParseError("De JSON-invoer is te diep genest.") from None
        if contains_nul(data):
            raise ParseError("De invoer bevat een NUL-teken; dat is niet toegestaan.")
        return data
