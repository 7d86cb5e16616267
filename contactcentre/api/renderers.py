"""DRF's JSON renderer with orjson doing the encoding: the same bytes as DRF's compact UTF-8 output
(U+2028/U+2029 escaped), several times faster (bench/README.md). Indented output
(`Accept: application/json; indent=4`), DRF's non-default settings (COMPACT_JSON or UNICODE_JSON
off) and what orjson cannot encode (integers beyond 64 bits, or what DRF's encoder cannot either) go
to DRF's own path. One difference: a NaN or infinite float is written as null, where DRF would refuse
the response.

Every timestamp the API writes has one form: ISO 8601 in UTC ending in "Z" ("2026-11-28T21:42:40.914216Z",
microseconds only when there are any). This is the one place that formats them, on both paths:
serializers hand datetimes over as they are (REST_FRAMEWORK DATETIME_FORMAT None), and so do the
selectors whose rows are served without a serializer (the customer view, case lists). A datetime in
another zone is converted; a naive one is taken to be in TIME_ZONE, as Django takes it."""

from datetime import UTC, datetime

import orjson
from django.utils import timezone
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.utils.encoders import JSONEncoder as DRFJSONEncoder

_OPTIONS = (
    orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
)
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


def datetime_text(value: datetime) -> str:
    """The API's one form of a timestamp: UTC, ISO 8601, "Z"."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"


class UTCJSONEncoder(DRFJSONEncoder):
    """DRF's encoder (the indented and fall-back path) with timestamps as datetime_text writes them."""

    def default(self, obj):
        if isinstance(obj, datetime):
            return datetime_text(obj)
        return super().default(obj)


class JSONRenderer(DRFJSONRenderer):
    encoder_class = UTCJSONEncoder

    def render(self, data, accepted_media_type=None, renderer_context=None):
        drf_only = (
            data is None
            or not self.compact
            or self.ensure_ascii
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
        )
        if not drf_only:
            try:
                body = orjson.dumps(data, default=self._default, option=_OPTIONS)
            except orjson.JSONEncodeError:
                pass
            else:
                for raw, escaped in _LINE_SEPARATORS:  # a strict JavaScript subset, as DRF writes it
                    if raw in body:
                        body = body.replace(raw, escaped)
                return body
        return super().render(data, accepted_media_type, renderer_context)

    def _default(self, value):
        if isinstance(value, datetime):
            return datetime_text(value)
        return self.encoder_class().default(value)  # dates and times (passed through too) as DRF writes them
