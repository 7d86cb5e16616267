"""Knowledge-base search: one function for every door. See engine.py for how it ranks."""

from lifeevents.search.engine import SearchHit, search_articles

__all__ = ["SearchHit", "search_articles"]
