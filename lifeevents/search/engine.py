"""`search_articles`: the one search function every door uses.

Both backends score the same thing, a BM25-like sum over the query's concepts, where each concept
counts with its best alternative (the word itself, a synonym, compound parts, a typo correction) and
the question and keywords weigh more than the short answer, which weighs more than the answer:

- PostgreSQL: the stored weighted tsvector (GIN index) finds the candidates with an OR tsquery of
  the query's selective terms; the best of them by one `ts_rank` get the full score in SQL, `ts_rank`
  per term times the term's IDF. If nothing matches, trigram similarity (pg_trgm) on the question
  catches what analysis could not repair.
- Other databases (the embedded SQLite default): BM25F over postings kept in process memory, with
  the same candidate selection.
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field

from django.db import connection

from lifeevents.search import analysis
from lifeevents.search.index import Vocabulary, get_vocabulary

FIELD_NAMES = ("question", "short_answer", "answer")
_LIFE_EVENT_SQL = (
    "EXISTS (SELECT 1 FROM lifeevents_article_life_events le WHERE le.article_id = a.id AND le.lifeevent_id = %s)"
)
K1 = 1.2
B = 0.6
# ts_rank weights in the order {D, C, B, A}: answer (C) and short answer (B) below question (A).
PG_WEIGHTS = "{0.0, 0.33, 0.5, 1.0}"
# Candidate selection on PostgreSQL (see _selective_terms): the postings budget and how many
# candidates get the full score.
CANDIDATE_BUDGET_MIN = 300
CANDIDATE_BUDGET_SHARE = 0.05
CANDIDATES = 200
# In-process scoring reads a term's postings through unless they are this many times longer than the
# candidates; then it looks each candidate up in them (a binary search costs about that many reads).
SCAN_OVER_LOOKUP = 8


# Doors that read out or text the answer get the short answer (at most 160 characters).
SHORT_ANSWER_CHANNELS = frozenset({"sms", "phone"})


@dataclass
class SearchHit:
    article: object
    score: float
    matched: list[dict] = field(default_factory=list)
    channel: str | None = None

    @property
    def answer_text(self) -> str:
        """The answer to give at the hit's door: the short answer for SMS and speech, else the full one."""
        if self.channel in SHORT_ANSWER_CHANNELS:
            return self.article.short_answer
        return self.article.answer

    @property
    def why(self) -> str:
        return ", ".join(f"{m['term']} ({'/'.join(m['fields'])}, {m['via']})" for m in self.matched)


def search_articles(
    query: str,
    *,
    life_event=None,
    organisation=None,
    channel: str | None = None,
    limit: int = 10,
) -> list[SearchHit]:
    """Published articles best answering `query`, best first, each with its score and what matched.

    `life_event` and `organisation` filter (instance, id, or slug/code). `channel` (the door) does not
    change the ranking; it chooses each hit's `answer_text` (short answer for SMS and phone).
    """
    from lifeevents.models import Article, LifeEvent

    limit = max(1, min(int(limit), 50))
    vocabulary = get_vocabulary()
    concepts = analysis.analyse_query(query or "", vocabulary)
    life_event_id = _resolve(life_event, LifeEvent, "slug")
    organisation_id = _resolve_organisation(organisation)
    if life_event is not None and life_event_id is None:
        return []
    if organisation is not None and organisation_id is None:
        return []

    if connection.vendor == "postgresql":
        ranked = _rank_postgres(concepts, vocabulary, life_event_id, organisation_id, limit)
        if not ranked and (query or "").strip():
            ranked = _rank_trigram(query, life_event_id, organisation_id, limit)
    else:
        ranked = _rank_in_process(concepts, vocabulary, life_event_id, organisation_id, limit)
    if not ranked:
        return []

    # Life events are not prefetched: no door needs them per hit, and the prefetch cost more than the search.
    articles = Article.objects.select_related("organisation").in_bulk([article_id for article_id, _ in ranked])
    hits = []
    for article_id, score in ranked:
        article = articles.get(article_id)
        if article is None or article.status != Article.Status.PUBLISHED:
            continue
        hits.append(
            SearchHit(article=article, score=round(score, 4), matched=_explain(article, concepts), channel=channel)
        )
    return hits


def _resolve(value, model, natural_key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, model):
        return value.pk
    if isinstance(value, int):
        return value
    return model.objects.filter(**{natural_key: value}).values_list("pk", flat=True).first()


def _resolve_organisation(value) -> int | None:
    from contactcentre.registry.models import Organisation

    return _resolve(value, Organisation, "code")


# -------------------------------------------------------------------------------------------- scoring


def _rank_in_process(
    concepts: list[analysis.Concept], vocabulary: Vocabulary, life_event_id, organisation_id, limit: int
) -> list[tuple[int, float]]:
    """BM25F over the in-memory postings; same candidate selection as on PostgreSQL."""
    docs = vocabulary.docs
    all_terms = sorted({t for c in concepts for t in c.terms})
    if not all_terms:
        return []
    candidates: set[int] = set()
    for term in _selective_terms(all_terms, vocabulary):
        candidates.update(position for position, _ in vocabulary.postings.get(term, ()))
    if life_event_id is not None or organisation_id is not None:
        candidates = {
            p
            for p in candidates
            if (life_event_id is None or life_event_id in docs[p].life_event_ids)
            and (organisation_id is None or docs[p].organisation_id == organisation_id)
        }
    if not candidates:
        return []
    average = vocabulary.avg_length
    norms = {p: K1 * (1 - B + B * docs[p].length / average) for p in candidates}
    in_order = sorted(candidates)
    matches: dict[str, list[tuple[int, float]]] = {}

    def candidate_postings(term: str) -> list[tuple[int, float]]:
        """(position, tf) of the candidates holding `term`, once per term: a common term's postings are
        not read through (at 10,000 articles up to 10,000 of them per term) but each candidate is looked
        up in them (they are sorted by position), so the work per term is min(df, candidates x log df)."""
        found = matches.get(term)
        if found is None:
            postings = vocabulary.postings.get(term, ())
            if len(postings) > SCAN_OVER_LOOKUP * len(in_order):
                found = []
                for position in in_order:
                    at = bisect.bisect_left(postings, (position,))
                    if at < len(postings) and postings[at][0] == position:
                        found.append(postings[at])
            else:
                found = [posting for posting in postings if posting[0] in norms]
            matches[term] = found
        return found

    scores: dict[int, float] = {}
    for concept in concepts:
        best: dict[int, float] = {}
        for alt in concept.alternatives:
            share = alt.weight / len(alt.terms)
            alt_scores: dict[int, float] = {}
            for term in alt.terms:
                factor = share * vocabulary.idf(term) * (K1 + 1)
                for position, tf in candidate_postings(term):
                    norm = norms[position]
                    alt_scores[position] = alt_scores.get(position, 0.0) + factor * tf / (tf + norm)
            for position, value in alt_scores.items():
                if value > best.get(position, 0.0):
                    best[position] = value
        for position, value in best.items():
            scores[position] = scores.get(position, 0.0) + value
    top = heapq.nlargest(limit, ((score, -docs[p].id, p) for p, score in scores.items()))
    return [(docs[p].id, score) for score, _, p in top]


def _selective_terms(terms: list[str], vocabulary: Vocabulary) -> list[str]:
    """The rarest terms whose postings together stay within the candidate budget (at least one).

    Like MaxScore in search engines: a document holding none of the rare terms cannot outrank one
    that holds them, so the common words only score, they do not widen the candidate set."""
    budget = max(CANDIDATE_BUDGET_MIN, vocabulary.doc_count * CANDIDATE_BUDGET_SHARE)
    selected: list[str] = []
    total = 0
    for term in sorted(terms, key=lambda t: (vocabulary.df.get(t, 0), t)):
        df = vocabulary.df.get(term, 0)
        if selected and total + df > budget:
            break
        selected.append(term)
        total += df
    return selected


def _rank_postgres(
    concepts: list[analysis.Concept], vocabulary: Vocabulary, life_event_id, organisation_id, limit: int
) -> list[tuple[int, float]]:
    all_terms = sorted({t for c in concepts for t in c.terms})
    if not all_terms:
        return []
    params: list = []
    concept_sql = []
    for concept in concepts:
        alt_sql = []
        for alt in concept.alternatives:
            share = alt.weight / len(alt.terms)
            parts = []
            for term in alt.terms:
                parts.append(f"%s * ts_rank('{PG_WEIGHTS}'::float4[], c.search_vector, %s::tsquery, 1)")
                params.extend([share * vocabulary.idf(term), term])
            alt_sql.append("(" + " + ".join(parts) + ")")
        concept_sql.append(alt_sql[0] if len(alt_sql) == 1 else "GREATEST(" + ", ".join(alt_sql) + ")")
    score_sql = " + ".join(concept_sql)
    # Stage 1 (GIN index): candidates holding a selective term, best CANDIDATES by one ts_rank call.
    # Stage 2: the full IDF-weighted score per concept on those candidates only.
    candidate_query = " | ".join(_selective_terms(all_terms, vocabulary))
    where = ["a.status = 'published'", "a.search_vector @@ %s::tsquery"]
    where_params: list = [candidate_query]
    if organisation_id is not None:
        where.append("a.organisation_id = %s")
        where_params.append(organisation_id)
    if life_event_id is not None:
        where.append(_LIFE_EVENT_SQL)
        where_params.append(life_event_id)
    sql = (
        f"SELECT c.id, {score_sql} AS score FROM ("  # noqa: S608
        "SELECT a.id, a.search_vector FROM lifeevents_article a "
        f"WHERE {' AND '.join(where)} "
        f"ORDER BY ts_rank('{PG_WEIGHTS}'::float4[], a.search_vector, %s::tsquery, 1) DESC LIMIT %s"
        ") c ORDER BY score DESC, c.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params, candidate_query, CANDIDATES, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _rank_trigram(query: str, life_event_id, organisation_id, limit: int) -> list[tuple[int, float]]:
    """Last resort on PostgreSQL: questions that look like the query letter by letter (pg_trgm)."""
    text = analysis.normalise(query)[:200]
    # `<%` (word similarity above pg_trgm.word_similarity_threshold) can use the trigram GIN index.
    where = ["a.status = 'published'", "%s <%% lower(a.question)"]
    params: list = [text, text]
    if organisation_id is not None:
        where.append("a.organisation_id = %s")
        params.append(organisation_id)
    if life_event_id is not None:
        where.append(_LIFE_EVENT_SQL)
        params.append(life_event_id)
    sql = (
        "SELECT a.id, word_similarity(%s, lower(a.question)) AS score FROM lifeevents_article a "  # noqa: S608
        f"WHERE {' AND '.join(where)} ORDER BY score DESC, a.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _explain(article, concepts: list[analysis.Concept]) -> list[dict]:
    """Which of the query's terms the article holds, in which fields, and how they were found."""
    fields = [set(article.search_a.split()), set(article.search_b.split()), set(article.search_c.split())]
    matched = []
    for concept in concepts:
        for alt in sorted(concept.alternatives, key=lambda a: -a.weight):
            hit_fields = [name for name, terms in zip(FIELD_NAMES, fields, strict=True) if set(alt.terms) <= terms]
            if hit_fields:
                matched.append(
                    {"word": concept.word, "term": " ".join(alt.terms), "fields": hit_fields, "via": alt.via}
                )
                break
    return matched
