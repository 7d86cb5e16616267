"""Sessions end SESSION_COOKIE_AGE seconds after their last request, without a write on every request.

Django dates a session's expiry from its last save. Saving on every request (SESSION_SAVE_EVERY_REQUEST)
would write the session's row on every request; this middleware changes the session (a timestamp in it)
at most once every REFRESH_SECONDS, and Django's SessionMiddleware then saves it with its expiry moved
forward, in the database and the cache alike. An idle session so ends between SESSION_COOKIE_AGE -
REFRESH_SECONDS and SESSION_COOKIE_AGE seconds after its last request. Only the public session API.
"""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
