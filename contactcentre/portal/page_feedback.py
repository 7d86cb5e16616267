"""The "did this page help?" question at the foot of every public and portal page: one endpoint,
anonymous (the page's path, the answer and a comment; no session, person or address is stored),
limited per client address against floods. Without JavaScript a plain post and back to the page with
a thank-you; with htmx the section is swapped in place. Only a page of this portal is accepted, so the
way back never leads elsewhere."""

import hashlib
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcentre.api.attempt_limits import attempt_over_limit
from contactcentre.api.client_address import client_address
from contactcentre.errors import DomainError
from contactcentre.portal.mijn import error_messages
from lifeevents.models import PageFeedback
from lifeevents.services import page_feedback_create

THANKS_PARAMETER = "bedankt"
ANCHOR = "feedback-titel"
PORTAL_PAGES = ("public-", "portal-")
HOUR = 3600


def portal_page(target: str, request) -> tuple[str, str] | None:
    """(path, query) of a page of this portal, or None for anything else (another site, a scheme-relative
    //host, a backslash trick, a path that is no portal page)."""
    if not target.startswith("/") or "\\" in target or len(target) > 2000:
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=set(), require_https=request.is_secure()):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or len(parts.path) > PageFeedback.PATH_MAX:
        return None
    try:
        name = resolve(parts.path).url_name or ""
    except Resolver404:
        return None
    return (parts.path, parts.query) if name.startswith(PORTAL_PAGES) else None


def _over_limit(request) -> bool:
    """Counted per client address, under a hash of it, for an hour; the address itself is kept nowhere."""
    address = client_address(request) or "unknown"
    key = "page-feedback:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    return attempt_over_limit(key, limit=settings.PAGE_FEEDBACK_PER_HOUR, timeout=HOUR)


def _back_with_thanks(path: str, query: str) -> str:
    query = "&".join(filter(None, [query, urlencode({THANKS_PARAMETER: "1"})]))
    return urlunsplit(("", "", path, query, ANCHOR))


def page_feedback_context(
    *, target: str, errors=(), thanks: bool = False, helpful: str = "", comment: str = ""
) -> dict:
    """What partials/feedback.html needs for the page feedback (the footer's tag and this view)."""
    return {
        "feedback_action": reverse("public-page-feedback"),
        "feedback_title": _("Heeft deze pagina u geholpen?"),
        "feedback_next": target,
        "feedback_errors": list(errors),
        "feedback_thanks": thanks,
        "helpful": helpful,
        "comment": comment,
        "comment_max": PageFeedback.COMMENT_MAX,
    }


def _answer(request, *, errors: list[str], target: str, status: int, thanks: bool = False):
    """The feedback section itself for htmx (swapped in place; htmx swaps only 2xx answers), otherwise a
    small page that says what went wrong and offers the form again."""
    context = page_feedback_context(
        target=target,
        errors=errors,
        thanks=thanks,
        helpful=request.POST.get("helpful", ""),
        comment=request.POST.get("comment", ""),
    )
    if request.htmx:
        return render(request, "partials/feedback.html", context)
    return render(request, "portal/page_feedback.html", context, status=status)


@require_POST
def page_feedback(request):
    target = request.POST.get("next", "")
    page = portal_page(target, request)
    if page is None:
        return _answer(request, errors=[_("Deze pagina kennen wij niet.")], target="", status=400)
    if _over_limit(request):
        return _answer(
            request,
            errors=[_("U heeft veel reacties gestuurd. Probeer het over een uur opnieuw.")],
            target=target,
            status=429,
        )
    helpful = request.POST.get("helpful")
    if helpful not in ("yes", "no"):
        return _answer(request, errors=[_("Kies Ja of Nee.")], target=target, status=400)
    try:
        page_feedback_create(path=page[0], helpful=helpful == "yes", comment=request.POST.get("comment", ""))
    except DomainError as error:
        return _answer(request, errors=error_messages(error), target=target, status=400)
    if request.htmx:
        return _answer(request, errors=[], target=target, status=200, thanks=True)
    return redirect(_back_with_thanks(*page))
