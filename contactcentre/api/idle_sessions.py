"""Sessions end SESSION_COOKIE_AGE seconds after their last request, without a write on every request.

Django dates a session's expiry from its last save. Saving on every request (SESSION_SAVE_EVERY_REQUEST)
would write the session's row on every request; this middleware changes the session (a timestamp in it)
at most once every REFRESH_SECONDS, and Django's SessionMiddleware then saves it with its expiry moved
forward, in the database and the cache alike. An idle session so ends between SESSION_COOKIE_AGE -
REFRESH_SECONDS and SESSION_COOKIE_AGE seconds after its last request. Only the public session API.

Staff and citizens are warned SESSION_WARNING_SECONDS before (templates/partials/session_expiry.html and
its script): "Ingelogd blijven" posts to `session_extend`, which saves the session at once.
"""

import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from contactcentre.principal import citizen_from_session

REFRESH_SECONDS = 60
REFRESHED_AT = "idle_expiry_refreshed_at"


class IdleSessionExpiryMiddleware:
    """Listed right after SessionMiddleware, so its answer passes here before the session is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not (session.modified or settings.SESSION_COOKIE_NAME in request.COOKIES):
            return response  # no session came with this request nor was started by it
        if not session.keys():  # ended (logged out), expired or never started: nothing to keep alive
            return response
        now = int(time.time())
        if now - session.get(REFRESHED_AT, 0) >= REFRESH_SECONDS:
            session[REFRESHED_AT] = now  # changed, so saved, with the expiry SESSION_COOKIE_AGE from now
        return response


def seconds_left(session) -> int:
    """Seconds until the session ends if no request comes: from its last refresh, or the whole age when
    this request refreshes it (the middleware does once REFRESH_SECONDS have passed)."""
    since = int(time.time()) - session.get(REFRESHED_AT, 0)
    return settings.SESSION_COOKIE_AGE if since >= REFRESH_SECONDS else settings.SESSION_COOKIE_AGE - since


def _expiry_warning(request) -> dict | None:
    """What the warning of a signed-in staff member or citizen needs (partials/session_expiry.html)."""
    if request.user.is_authenticated:
        sign_in = reverse("staff-login")
    elif citizen_from_session(request.session) is not None:
        sign_in = reverse("portal-login")
    else:
        return None
    return {
        "seconds_left": seconds_left(request.session),
        "idle_seconds": settings.SESSION_COOKIE_AGE,
        "refresh_seconds": REFRESH_SECONDS,
        "warning_seconds": settings.SESSION_WARNING_SECONDS,
        "warning_minutes": max(1, math.ceil(settings.SESSION_WARNING_SECONDS / 60)),
        "expired_url": f"{sign_in}?{urlencode({'next': request.get_full_path()})}",
    }


def session_expiry(request) -> dict:
    """Context processor: `session_expiry`, read only by the pages that show the warning."""
    return {"session_expiry": SimpleLazyObject(lambda: _expiry_warning(request))}


def session_extend(request: HttpRequest) -> HttpResponse:
    """POST for "Ingelogd blijven": the session of a signed-in staff member or citizen saved now, so it
    lasts SESSION_COOKIE_AGE again. 403 for anyone else, whatever the method (nothing to extend)."""
    if not (request.user.is_authenticated or citizen_from_session(request.session) is not None):
        return HttpResponseForbidden()
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request.session[REFRESHED_AT] = int(time.time())  # changed, so saved with a new expiry
    return HttpResponse(status=204)
