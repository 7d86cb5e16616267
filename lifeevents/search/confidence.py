"""Whether a door without a person (SMS, the phone menu) may give the best hit's answer on its own.

Scores are not comparable between the two backends (ts_rank on PostgreSQL, BM25F in process), so
confidence is judged on what matched, which both share: the best hit holds at least two of the
question's concepts and at least half of them, and stands clearly above the next hit. On
data/kennisbank/dev_queries.json (embedded default) this is confident on 31 of 60 questions and right
on 29 of those; the rest go to a person.
"""

from lifeevents.search import analysis
from lifeevents.search.engine import SearchHit
from lifeevents.search.index import get_vocabulary

MIN_MATCHED_CONCEPTS = 2
MIN_COVERAGE = 0.5
MAX_RUNNER_UP_RATIO = 0.8


def confident_hit(query: str, hits: list[SearchHit]) -> SearchHit | None:
    """The best of `hits` (from search_articles(query)) when it answers `query` with confidence, else None."""
    if not hits or hits[0].score <= 0:
        return None
    best = hits[0]
    concepts = analysis.analyse_query(query or "", get_vocabulary())
    matched = len(best.matched)
    if matched < MIN_MATCHED_CONCEPTS or matched < MIN_COVERAGE * len(concepts):
        return None
    if len(hits) > 1 and hits[1].score > MAX_RUNNER_UP_RATIO * best.score:
        return None
    return best
