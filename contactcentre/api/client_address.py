"""The caller's address, as the throttles and the log-in lock-out key on it.

X-Forwarded-For is trusted only as far as the TRUSTED_PROXY_COUNT proxies in front of the app (DRF's
NUM_PROXIES): with none, the connecting address (REMOTE_ADDR) and the header is ignored, since anyone
can send one; with n, the n-th address from the right, the one the outermost trusted proxy saw.
"""

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str | None:
    """For django-axes (AXES_CLIENT_IP_CALLABLE): the same reading as DRF's throttles, so a forged header
    escapes neither."""
    return BaseThrottle().get_ident(request)
