"""The search index: analysed terms per article field, and the cached vocabulary built from them.

Articles store their analysed terms in `search_a` (question, keywords, synonyms), `search_b` (short
answer) and `search_c` (answer). The vocabulary (document frequencies, the lexicon for compound
splitting, typo and prefix lookup) and the in-process postings used by the portable backend are built
from the published articles once per index version and kept per process. The version lives in the
Django cache (Redis in production) so every process sees a change; writes bump it through
`index_invalidate`.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import math
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from redis.exceptions import RedisError

from lifeevents.search import analysis

VERSION_KEY = "lifeevents:search:version"
# Per word: indexed terms read for a prefix match, corpus words compared for a typo correction.
MAX_PREFIX_SCAN = 256
MAX_TYPO_CANDIDATES = 64
LOCAL_TTL_SECONDS = 300
_lock = threading.Lock()
_local: dict[str, tuple[float, str, Vocabulary]] = {}  # version -> (checked at, fingerprint, vocabulary)


def article_field_texts(*, question: str, keywords: list, synonyms: list, short_answer: str, answer: str):
    """The raw text of the three weighted fields."""
    return (" . ".join([question, *keywords, *synonyms]), short_answer, answer)


def article_terms(article, lexicon: frozenset[str] | None) -> tuple[str, str, str]:
    """Analysed terms of an article's fields, as space-separated strings for the search columns."""
    texts = article_field_texts(
        question=article.question,
        keywords=list(article.keywords or []),
        synonyms=list(article.synonyms or []),
        short_answer=article.short_answer,
        answer=article.answer,
    )
    return tuple(" ".join(analysis.analyse_text(text, lexicon)) for text in texts)


def lexicon_for(articles) -> frozenset[str]:
    """The compound-part lexicon of a set of articles plus the synonym table's words."""
    texts = []
    for article in articles:
        texts.extend(
            article_field_texts(
                question=article.question,
                keywords=list(article.keywords or []),
                synonyms=list(article.synonyms or []),
                short_answer=article.short_answer,
                answer=article.answer,
            )
        )
    synonym_words = [" ".join(key) for key in analysis.synonym_table().entries]
    return analysis.lexicon_from_texts(itertools.chain(texts, synonym_words))


# ------------------------------------------------------------------------------------------ vocabulary


@dataclass
class IndexedDoc:
    id: int
    organisation_id: int
    life_event_ids: frozenset[int]
    length: float


@dataclass
class Vocabulary:
    df: dict[str, int]
    doc_count: int
    lexicon: frozenset[str]
    words: dict[str, int]  # surface words with their corpus frequency, for typo correction
    topical: frozenset[str] = frozenset()  # terms some article has in its question or keywords
    docs: list[IndexedDoc] = field(default_factory=list)
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)  # term -> (doc, weighted tf)
    avg_length: float = 1.0
    _sorted_terms: list[str] = field(default_factory=list)
    _deletes: dict[str, list[str]] = field(default_factory=dict)

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.doc_count - df + 0.5) / (df + 0.5))

    def with_prefix(self, prefix: str, work: analysis.Work | None = None) -> list[str]:
        """Indexed terms that extend `prefix` by at most five letters, most frequent first (urgent -> urgentie).

        At most MAX_PREFIX_SCAN terms are read (counted against the query's `work` budget)."""
        if work is not None and not work.can_afford(MAX_PREFIX_SCAN + 1):
            return []
        terms = self._sorted_terms
        start = bisect.bisect_left(terms, prefix)
        stop = min(len(terms), start + MAX_PREFIX_SCAN)
        found = []
        position = start
        while position < stop and terms[position].startswith(prefix):
            term = terms[position]
            if term != prefix and len(term) - len(prefix) <= 5:
                found.append(term)
            position += 1
        if work is not None:
            work.spend(position - start + 1)
        return sorted(found, key=lambda t: (-self.df[t], t))

    def correct(self, word: str, work: analysis.Work | None = None) -> str | None:
        """The most frequent corpus word within edit distance 1 (2 for long words), or None.

        Symmetric deletes: the word's deletions (and theirs, for distance 2) are looked up in the index
        of the corpus words' deletions, len(word)^2 / 2 lookups at most; no correction for a word longer
        than MAX_WORD_LENGTH, nor when the query's `work` budget cannot pay for the lookups. Of the
        candidates found the MAX_TYPO_CANDIDATES closest in length and most frequent are compared."""
        if len(word) < 5 or len(word) > analysis.MAX_WORD_LENGTH or word.isdigit():
            return None
        max_distance = 2 if len(word) >= 8 else 1
        size = len(word)
        lookups = 1 + size + (size * (size - 1) // 2 if max_distance == 2 else 0) + MAX_TYPO_CANDIDATES
        if work is not None:
            if not work.can_afford(lookups):
                return None
            work.spend(lookups)
        candidates: set[str] = set()
        probes = {word, *_deletes(word)}
        if max_distance == 2:
            probes.update(d2 for d1 in list(probes) for d2 in _deletes(d1))
        for probe in probes:
            candidates.update(self._deletes.get(probe, ()))
        if len(candidates) > MAX_TYPO_CANDIDATES:
            ordered = sorted(candidates, key=lambda c: (abs(len(c) - size), -self.words[c], c))
            candidates = set(ordered[:MAX_TYPO_CANDIDATES])
        best = None
        for candidate in candidates:
            distance = _damerau_levenshtein(word, candidate, max_distance)
            if distance <= max_distance:
                key = (distance, -self.words[candidate], candidate)
                if best is None or key < best[0]:
                    best = (key, candidate)
        return best[1] if best else None


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of a and b, or limit + 1 as soon as it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1  # a row only grows from here on
        previous_previous, previous = previous, current
    return previous[-1]


FIELD_WEIGHTS = (3.0, 1.5, 1.0)


def build_vocabulary(rows) -> Vocabulary:
    """rows: (id, organisation_id, life_event_ids, question, keywords, synonyms, short, answer, a, b, c)."""
    df: Counter = Counter()
    topical: set[str] = set()
    words: Counter = Counter()
    docs: list[IndexedDoc] = []
    postings: dict[str, list[tuple[int, float]]] = {}
    corpus_words: set[str] = set()
    for row in rows:
        article_id, org_id, life_event_ids, question, keywords, synonyms, short, answer, a, b, c = row
        fields = (Counter(a.split()), Counter(b.split()), Counter(c.split()))
        terms = set(fields[0]) | set(fields[1]) | set(fields[2])
        df.update(terms)
        topical.update(fields[0])
        length = sum(w * sum(f.values()) for w, f in zip(FIELD_WEIGHTS, fields, strict=True))
        position = len(docs)
        docs.append(IndexedDoc(article_id, org_id, frozenset(life_event_ids), length))
        for term in terms:
            weighted_tf = sum(w * f.get(term, 0) for w, f in zip(FIELD_WEIGHTS, fields, strict=True))
            postings.setdefault(term, []).append((position, weighted_tf))
        field_texts = article_field_texts(
            question=question, keywords=keywords or [], synonyms=synonyms or [], short_answer=short, answer=answer
        )
        for text in field_texts:
            content = analysis.content_words(text)
            corpus_words.update(content)
            words.update(w for w in content if len(w) >= 4 and not w.isdigit())
    synonym_words = [" ".join(key) for key in analysis.synonym_table().entries]
    lexicon = (
        analysis.lexicon_from_texts(synonym_words) | frozenset(corpus_words) | {analysis.stem(w) for w in corpus_words}
    )
    deletes: dict[str, list[str]] = {}
    for word in words:
        for probe in {word, *_deletes(word)}:
            deletes.setdefault(probe, []).append(word)
    vocabulary = Vocabulary(
        df=dict(df),
        doc_count=len(docs),
        lexicon=lexicon,
        words=dict(words),
        topical=frozenset(topical),
        docs=docs,
        postings=postings,
        avg_length=(sum(d.length for d in docs) / len(docs)) if docs else 1.0,
    )
    vocabulary._sorted_terms = sorted(df)
    vocabulary._deletes = deletes
    return vocabulary


def _load_rows():
    from lifeevents.models import Article

    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    life_events: dict[int, list[int]] = {}
    for article_id, life_event_id in Article.life_events.through.objects.filter(
        article__status=Article.Status.PUBLISHED
    ).values_list("article_id", "lifeevent_id"):
        life_events.setdefault(article_id, []).append(life_event_id)
    for row in published.values_list(
        "id",
        "organisation_id",
        "question",
        "keywords",
        "synonyms",
        "short_answer",
        "answer",
        "search_a",
        "search_b",
        "search_c",
    ).iterator(chunk_size=2000):
        yield (row[0], row[1], life_events.get(row[0], ()), *row[2:])


def _fingerprint() -> str:
    """A version derived from the data, for when the cache lost the key (restart, flush)."""
    from django.db.models import Count, Max

    from lifeevents.models import Article

    stats = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
        n=Count("id", distinct=True), changed=Max("updated_at"), links=Count("life_events")
    )
    return f"fp:{stats['n']}:{stats['changed'].isoformat() if stats['changed'] else '-'}:{stats['links']}"


def current_version() -> str:
    """The index version shared through the cache; with the cache down (Redis refusing or silent), the
    published articles' fingerprint itself, one query: the search keeps answering from the database."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            version = _fingerprint()
            if not cache.add(VERSION_KEY, version, timeout=None):
                version = cache.get(VERSION_KEY) or version
    except RedisError:
        return _fingerprint()
    return version


def get_vocabulary() -> Vocabulary:
    """The vocabulary of the published articles, rebuilt when the index version changed.

    Every LOCAL_TTL_SECONDS the data's fingerprint is checked too, for a process whose cache is not
    shared with the process that changed an article (the local-memory cache of the embedded default)."""
    version = current_version()
    now = time.monotonic()
    entry = _local.get(version)
    if entry and now - entry[0] < LOCAL_TTL_SECONDS:
        return entry[2]
    with _lock:
        entry = _local.get(version)
        if entry and now - entry[0] < LOCAL_TTL_SECONDS:
            return entry[2]
        fingerprint = _fingerprint()
        if entry and entry[1] == fingerprint:
            _local[version] = (time.monotonic(), fingerprint, entry[2])
            return entry[2]
        vocabulary = build_vocabulary(_load_rows())
        _local.clear()
        _local[version] = (time.monotonic(), fingerprint, vocabulary)
        return vocabulary


def index_invalidate() -> None:
    """Called by the services (and the cache-invalidation signal) after articles change."""
    _local.clear()
    # With the cache down the other processes see the change by its fingerprint within LOCAL_TTL_SECONDS.
    with contextlib.suppress(RedisError):
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
