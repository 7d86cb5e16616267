"""Reads for life events and the knowledge base (public content: no personal data, no processing log)."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from contactcentre.errors import NotFound
from lifeevents.models import Article, LifeEvent
from lifeevents.search import SearchHit, search_articles

__all__ = [
    "SearchHit",
    "search_articles",
    "life_event_list",
    "life_events_for_query",
    "article_get_published",
    "life_event_choices",
    "articles_overdue",
]


def published_articles() -> QuerySet[Article]:
    return Article.objects.filter(status=Article.Status.PUBLISHED)


def life_event_list() -> QuerySet[LifeEvent]:
    """Life events with their organisations and published articles, in a constant number of queries."""
    return LifeEvent.objects.prefetch_related(
        "organisations",
        Prefetch(
            "articles",
            queryset=published_articles().select_related("organisation").order_by("external_id"),
            to_attr="published_articles",
        ),
    )


def life_event_choices() -> QuerySet[LifeEvent]:
    """Life events to choose from (a form's list): their names only."""
    return LifeEvent.objects.only("pk", "name").order_by("ordering", "name")


def article_get_published(*, external_id: str) -> Article:
    article = (
        published_articles()
        .select_related("organisation")
        .prefetch_related("life_events")
        .filter(external_id=external_id)
        .first()
    )
    if article is None:
        raise NotFound(_("Artikel niet gevonden."))
    return article


def articles_overdue(*, today) -> QuerySet[Article]:
    return Article.objects.filter(review_by__lt=today).select_related("organisation")


def life_events_for_query(query: str, *, limit: int = 3, hits: int = 10) -> list[tuple[LifeEvent, float]]:
    """The life events a question is most likely about: the search scores of the top articles summed
    per life event (for classifying a contact when the door does not say which life event it is)."""
    ranked = search_articles(query, limit=hits)
    if not ranked:
        return []
    scores = {hit.article.pk: hit.score for hit in ranked}
    totals: dict[int, float] = {}
    for article_id, life_event_id in Article.life_events.through.objects.filter(article_id__in=scores).values_list(
        "article_id", "lifeevent_id"
    ):
        totals[life_event_id] = totals.get(life_event_id, 0.0) + scores[article_id]
    best = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:limit]
    life_events = LifeEvent.objects.in_bulk([pk for pk, _ in best])
    return [(life_events[pk], round(score, 4)) for pk, score in best]
