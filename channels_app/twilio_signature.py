"""Every inbound Twilio webhook is signed: X-Twilio-Signature is an HMAC over the URL Twilio called and
the form parameters, checked here with the twilio package's own RequestValidator. The URL is the
configured public base (TWILIO_WEBHOOK_BASE_URL, what Twilio sees in front of the proxy) plus the
path and query, so a forged Host header changes nothing."""

import logging
from functools import wraps

from django.conf import settings
from django.http import HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

logger = logging.getLogger(__name__)


def public_url(request) -> str:
    return settings.TWILIO_WEBHOOK_BASE_URL.rstrip("/") + request.get_full_path()


def signature_is_valid(request) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    if not settings.TWILIO_AUTH_TOKEN or not signature:
        return False
    return RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(public_url(request), request.POST, signature)


def twilio_signed(view):
    """A Twilio webhook view: POST only, no CSRF token (Twilio has none), 403 unless signed."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not signature_is_valid(request):
            logger.warning("twilio webhook refused: bad or missing signature", extra={"path": request.path})
            return HttpResponseForbidden()
        return view(request, *args, **kwargs)

    return checked
