"""Reads for life events and the knowledge base (public content: no personal data, no processing log)."""

from django.db.models import Prefetch, QuerySet

from contactcentre.errors import NotFound
from lifeevents.models import Article, LifeEvent
from lifeevents.search import SearchHit, search_articles

__all__ = ["SearchHit", "search_articles", "life_event_list", "article_get_published", "articles_overdue"]


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


def article_get_published(*, external_id: str) -> Article:
    article = (
        published_articles()
        .select_related("organisation")
        .prefetch_related("life_events")
        .filter(external_id=external_id)
        .first()
    )
    if article is None:
        raise NotFound("Artikel niet gevonden.")
    return article


def articles_overdue(*, today) -> QuerySet[Article]:
    return Article.objects.filter(review_by__lt=today).select_related("organisation")
