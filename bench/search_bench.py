"""Knowledge-base search benchmark: latency of search_articles on a large corpus, against a naive
`icontains` search over the same data, measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_search REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/search_bench.py --articles 10000 --repeat 5

Migrates the given database, imports the shipped kennisbank, tops it up to --articles published
articles with synthetic ones recombined from the real ones (question of one, keywords and answer
sentences of others; external ids "syn-…", replaced on every run), then runs the development and
held-out queries --repeat times through both searches and prints p50/p95/p99 and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))]


def synthesise(count: int, seed: int = 7):
    from lifeevents.models import Article
    from lifeevents.search import index

    rng = random.Random(seed)
    real = list(Article.objects.filter(status=Article.Status.PUBLISHED).exclude(external_id__startswith="syn-"))
    life_events = {a.pk: list(a.life_events.values_list("pk", flat=True)) for a in real}
    lexicon = index.lexicon_for(real)
    sentences = {a.pk: [s for s in re.split(r"(?<=[.?!])\s+", a.answer) if s] for a in real}
    made = []
    for n in range(count):
        a, b, c = rng.sample(real, 3)
        answer = " ".join(sentences[a.pk][:2] + sentences[b.pk][2:4] + sentences[c.pk][:1])
        article = Article(
            external_id=f"syn-{n:06d}",
            question=f"{a.question} ({(b.keywords or ['algemeen'])[0]})"[:300],
            answer=answer,
            short_answer=a.short_answer,
            organisation_id=rng.choice([a.organisation_id, b.organisation_id]),
            keywords=list(a.keywords[:3]) + list(b.keywords[:3]),
            status=Article.Status.PUBLISHED,
        )
        article.search_a, article.search_b, article.search_c = index.article_terms(article, lexicon)
        made.append((article, life_events[a.pk]))
    return made


def prepare(total: int) -> int:
    from django.core.management import call_command
    from django.db import connection, transaction

    from contactcentre import kennisbank
    from contactcentre.registry.services import organisations_import
    from lifeevents.models import Article
    from lifeevents.search.index import index_invalidate
    from lifeevents.services import kennisbank_import

    call_command("migrate", verbosity=0)
    organisations_import(rows=kennisbank.load("organisations"))
    kennisbank_import(directory=kennisbank.KENNISBANK_DIR)
    with transaction.atomic():
        # Synthetic articles are referenced by nothing but their life events: plain SQL, no cascade walk.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM lifeevents_article_life_events WHERE article_id IN "
                "(SELECT id FROM lifeevents_article WHERE external_id LIKE 'syn-%%')"
            )
            cursor.execute("DELETE FROM lifeevents_article WHERE external_id LIKE 'syn-%%'")
        real = Article.objects.filter(status=Article.Status.PUBLISHED).count()
        made = synthesise(max(0, total - real))
        Article.objects.bulk_create([a for a, _ in made], batch_size=1000)
        created = {a.external_id: a.pk for a in Article.objects.filter(external_id__startswith="syn-")}
        through = Article.life_events.through
        through.objects.bulk_create(
            [through(article_id=created[a.external_id], lifeevent_id=le) for a, les in made for le in les],
            batch_size=5000,
        )
    index_invalidate()
    if connection.vendor == "postgresql":
        # Fresh statistics and visibility map after the bulk load, as autovacuum would leave them.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE lifeevents_article")
            cursor.execute("VACUUM ANALYZE lifeevents_article_life_events")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Article.objects.filter(status=Article.Status.PUBLISHED).count()


def _naive_words(query: str) -> list[str]:
    return re.findall(r"\w{3,}", query.lower())


def naive_search(query: str, limit: int = 10):
    """The floor: each query word as icontains on question, short answer and answer, ranked by how
    many words match (question counting double), as a search without an index would be written."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from lifeevents.models import Article

    words = _naive_words(query)
    if not words:
        return []
    condition = Q()
    score = Value(0)
    for word in words:
        condition |= Q(question__icontains=word) | Q(short_answer__icontains=word) | Q(answer__icontains=word)
        score = score + Case(
            When(question__icontains=word, then=Value(2)),
            When(Q(short_answer__icontains=word) | Q(answer__icontains=word), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    matches = Article.objects.filter(condition, status=Article.Status.PUBLISHED).annotate(naive_score=score)
    return list(matches.select_related("organisation").order_by("-naive_score", "id")[:limit])


def naive_unranked(query: str, limit: int = 10):
    """Even more naive: the first `limit` articles containing any word, unranked (stops early)."""
    from django.db.models import Q

    from lifeevents.models import Article

    condition = Q()
    for word in _naive_words(query):
        condition |= Q(question__icontains=word) | Q(short_answer__icontains=word) | Q(answer__icontains=word)
    if not condition:
        return []
    return list(
        Article.objects.filter(condition, status=Article.Status.PUBLISHED).select_related("organisation")[:limit]
    )


def measure(fn, queries, repeat):
    timings = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            fn(query)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="published articles in total")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the query set")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from contactcentre import kennisbank
    from lifeevents.search import search_articles

    started = time.perf_counter()
    published = prepare(args.articles)
    prepared_s = time.perf_counter() - started
    queries = [q["query"] for q in kennisbank.load("dev_queries")]
    holdout = ROOT / "tests" / "lifeevents" / "holdout_queries.json"
    queries += [q["query"] for q in json.loads(holdout.read_text(encoding="utf-8"))]

    started = time.perf_counter()
    search_articles("warm-up")  # builds the vocabulary once per index version
    warmup_ms = (time.perf_counter() - started) * 1000
    for query in queries[:10]:
        naive_search(query)

    smart = measure(lambda q: search_articles(q, limit=10), queries, args.repeat)
    naive = measure(naive_search, queries, args.repeat)
    unranked = measure(naive_unranked, queries, args.repeat)

    def row(name, timings):
        return {
            "search": name,
            "n": len(timings),
            "p50_ms": round(percentile(timings, 50), 2),
            "p95_ms": round(percentile(timings, 95), 2),
            "p99_ms": round(percentile(timings, 99), 2),
        }

    result = {
        "database": connection.vendor,
        "published_articles": published,
        "queries": len(queries),
        "repeat": args.repeat,
        "prepare_s": round(prepared_s, 1),
        "vocabulary_build_ms": round(warmup_ms, 1),
        "search_articles": row("search_articles", smart),
        "naive_icontains": row("naive_icontains_ranked", naive),
        "naive_icontains_unranked": row("naive_icontains_first_10_unranked", unranked),
        "ratio_naive_over_search": {
            key: round(percentile(naive, pct) / percentile(smart, pct), 1)
            for key, pct in (("p50", 50), ("p95", 95), ("p99", 99))
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
