"""The public pages: life events with their answers, an answer, search and "did this help?", for
everyone without signing in. Public content only: no personal data, so no processing log."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from contactcentre.errors import NotFound
from lifeevents import selectors, services
from lifeevents.search.analysis import MAX_QUERY_LENGTH

SEARCH_RESULTS = 10


def _page(request, template: str, context: dict):
    return render(request, template, {"max_query_length": MAX_QUERY_LENGTH, **context})


@require_GET
def home(request):
    return _page(request, "portal/home.html", {"life_events": selectors.life_event_list()})


@require_GET
def life_event(request, slug: str):
    event = get_object_or_404(selectors.life_event_list(), slug=slug)
    return _page(
        request,
        "portal/life_event.html",
        {"life_event": event, "articles": event.published_articles, "organisations": event.organisations.all()},
    )


def _published(external_id: str):
    try:
        return selectors.article_get_published(external_id=external_id)
    except NotFound:
        raise Http404 from None


@require_GET
def article(request, external_id: str):
    found = _published(external_id)
    context = {
        "article": found,
        "life_events": list(found.life_events.all()),
        "feedback_thanks": request.GET.get("bedankt") == "1",
    }
    return _page(request, "portal/article.html", context)


@require_POST
def article_feedback(request, external_id: str):
    """Plain form post, then back to the answer with a thank-you (post/redirect/get)."""
    found = _published(external_id)
    helpful = request.POST.get("helpful")
    if helpful in ("yes", "no"):
        services.article_feedback_create(
            article=found, helpful=helpful == "yes", comment=request.POST.get("comment", "")[:1000]
        )
    return redirect(reverse("public-article", args=[external_id]) + "?bedankt=1#feedback-titel")


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()
    error, hits = "", []
    if len(query) > MAX_QUERY_LENGTH:
        error = _("Uw vraag is te lang: gebruik hoogstens %(max)s tekens.") % {"max": MAX_QUERY_LENGTH}
    elif query:
        hits = selectors.search_articles(query, channel="web", limit=SEARCH_RESULTS)
    return _page(request, "portal/search.html", {"query": query, "hits": hits, "error": error})
