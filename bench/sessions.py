"""Signed-in agents for the load benchmarks (needs Django set up): a real session per user, as the
login view would make it, and a CSRF secret, as the headers a browser would send."""

import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY


def signed_in_headers(user) -> dict[str, str]:
    """The Cookie and X-CSRFToken headers of a fresh session of `user`."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if "Axes" not in b)
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret: cookie and header carry the same value
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return {"Cookie": cookie, "X-CSRFToken": csrf}
