"""DRF throttles that fail closed: when the cache that counts (Redis) is down or silent, the request is
refused with a 503 and a Retry-After, never let through uncounted and never a 500."""

import logging

from django.utils.translation import gettext as _
from redis.exceptions import RedisError
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from contactcentre.errors import ServiceUnavailable

logger = logging.getLogger(__name__)


class FailClosedThrottleMixin:
    """Put before a DRF throttle class: a cache error in `allow_request` becomes ServiceUnavailable."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except RedisError as exc:
            logger.warning("throttle cache unavailable (%s): refused", type(exc).__name__)
            raise ServiceUnavailable(_("De dienst is tijdelijk niet beschikbaar. Probeer het later opnieuw.")) from exc


class FailClosedSimpleRateThrottle(FailClosedThrottleMixin, SimpleRateThrottle):
    """DRF's SimpleRateThrottle, failing closed."""


class FailClosedScopedRateThrottle(FailClosedThrottleMixin, ScopedRateThrottle):
    """DRF's ScopedRateThrottle (the view's `throttle_scope`), failing closed."""
