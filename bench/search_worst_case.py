"""Worst-case knowledge-base search: the slowest questions the public API accepts, against ordinary ones.

    DATABASE_URL=sqlite:////tmp/h3_search.sqlite3 .venv/bin/python bench/search_worst_case.py --articles 251
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h3_search \\
        .venv/bin/python bench/search_worst_case.py --articles 10000 --samples 200

Prepares the database as `search_bench.py` does (migrate, import the kennisbank, top up to --articles
published articles with synthetic ones), then runs `search_articles` end to end (analysis, ranking,
fetching the articles) on --samples generated questions per shape. Every question is new (seeded, so
runs compare) and the per-process caches of stems and compound splits are emptied before each call, so
they do not hide the work; each question passes the API's own validation (`SearchQuerySerializer`: q at
most MAX_QUERY_LENGTH characters). A question's time is the fastest of --repeat calls (the machine is
shared: this keeps other processes' bursts out, not the question's own work). Prints p50/p99/max ms
per shape, the ratio of its p50 and p99 to those of the ordinary questions (the development and
held-out sets), and the analysis' vocabulary lookups (most per question, budget MAX_QUERY_LOOKUPS).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcentre.settings")

AIM_MS = 50.0


def _clear_caches():
    from lifeevents.search import analysis

    analysis._stem_cached.cache_clear()
    analysis._split_cached.cache_clear()


def shapes(vocabulary, samples: int, max_length: int, seed: int = 15):
    """name -> list of (query, search kwargs); every query at most max_length characters, all different."""
    from lifeevents.search import analysis

    rng = random.Random(seed)
    words = sorted(w for w in vocabulary.lexicon if w.isalpha() and len(w) >= 3)
    short = [w for w in words if len(w) <= 5]
    frequent = sorted(vocabulary.words, key=lambda w: (-vocabulary.words[w], w))[:300]
    longest_word = analysis.MAX_WORD_LENGTH

    def letters(length: int, alphabet: str = string.ascii_lowercase) -> str:
        return "".join(rng.choice(alphabet) for _ in range(length))

    def glued(length: int, pool) -> str:
        """Lexicon words glued together (with linkers): every position a possible split point."""
        text = ""
        while len(text) < length:
            text += rng.choice(pool) + rng.choice(("", "", "s", "e", "en", "er"))
        return text[:length]

    def fill(make) -> str:
        text = ""
        while True:
            more = (text + " " + make()).strip()
            if len(more) > max_length:
                return text
            text = more

    def typo(word: str) -> str:
        i = rng.randrange(len(word))
        return word[:i] + word[i + 1 :]

    def each(make, **kwargs):
        return [(make(), kwargs) for _ in range(samples)]

    long_words = [w for w in words if len(w) >= 9]
    return {
        "max-length single word": each(lambda: letters(max_length)),
        "max-length word + life event": each(lambda: letters(max_length), life_event="verhuizen"),
        f"longest analysed word ({longest_word}), glued lexicon words": each(lambda: glued(longest_word, short)),
        f"longest analysed word ({longest_word}) + life event": each(
            lambda: glued(longest_word, short), life_event="verhuizen"
        ),
        f"words of {longest_word} glued lexicon words, max length": each(
            lambda: fill(lambda: glued(longest_word, words))
        ),
        "many short words, max length": each(lambda: fill(lambda: glued(rng.randint(3, 8), short))),
        "many frequent words, max length": each(lambda: fill(lambda: rng.choice(frequent))),
        "many typos of long words, max length": each(lambda: fill(lambda: typo(rng.choice(long_words)))),
        "repeated letters, max length": each(lambda: rng.choice(string.ascii_lowercase) * max_length),
        "repeated letters in words": each(lambda: fill(lambda: rng.choice("aeou") * rng.randint(3, 48))),
        "mixed digits and letters, max length": each(
            lambda: fill(lambda: letters(rng.randint(2, 16), string.ascii_lowercase + string.digits))
        ),
        "mixed digits, one word, max length": each(lambda: letters(max_length, "ab12")),
    }


def measure(queries, vocabulary, validate, repeat: int):
    from lifeevents.search import analysis, search_articles

    timings, lookups = [], []
    for query, kwargs in queries:
        validate(query, kwargs)
        work = analysis.Work()
        analysis.analyse_query(query, vocabulary, work)
        lookups.append(work.lookups)
        fastest = None
        for _ in range(repeat):
            _clear_caches()
            started = time.perf_counter()
            search_articles(query, limit=10, **kwargs)
            elapsed = (time.perf_counter() - started) * 1000
            fastest = elapsed if fastest is None else min(fastest, elapsed)
        timings.append(fastest)
    return timings, lookups


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=251, help="published articles in total")
    parser.add_argument("--samples", type=int, default=200, help="questions per shape")
    parser.add_argument("--repeat", type=int, default=3, help="calls per question, the fastest counts")
    parser.add_argument("--no-prepare", action="store_true", help="use the database as it is")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from bench.search_bench import percentile, prepare
    from contactcentre import kennisbank
    from lifeevents.api.serializers import SearchQuerySerializer
    from lifeevents.models import Article
    from lifeevents.search import analysis, search_articles
    from lifeevents.search.index import get_vocabulary

    if args.no_prepare:
        published = Article.objects.filter(status=Article.Status.PUBLISHED).count()
    else:
        published = prepare(args.articles)
    search_articles("warm-up")  # builds the vocabulary once per index version
    vocabulary = get_vocabulary()

    def validate(query, kwargs):
        serializer = SearchQuerySerializer(data={"q": query, **kwargs})
        if not serializer.is_valid():
            raise SystemExit(f"the API would refuse {query[:40]!r}: {serializer.errors}")

    ordinary = [(q["query"], {}) for q in kennisbank.load("dev_queries")]
    holdout = ROOT / "tests" / "lifeevents" / "holdout_queries.json"
    ordinary += [(q["query"], {}) for q in json.loads(holdout.read_text(encoding="utf-8"))]
    too_long = SearchQuerySerializer(data={"q": "a" * (analysis.MAX_QUERY_LENGTH + 1)})
    assert not too_long.is_valid(), "the API accepts a question longer than MAX_QUERY_LENGTH"

    rows = []
    base_timings, base_lookups = measure(ordinary, vocabulary, validate, args.repeat)
    base50, base99 = percentile(base_timings, 50), percentile(base_timings, 99)

    def row(name, timings, lookups):
        return {
            "shape": name,
            "n": len(timings),
            "p50_ms": round(percentile(timings, 50), 2),
            "p99_ms": round(percentile(timings, 99), 2),
            "max_ms": round(max(timings), 2),
            "p50_ratio": round(percentile(timings, 50) / base50, 1),
            "p99_ratio": round(percentile(timings, 99) / base99, 1),
            "max_lookups": max(lookups),
        }

    rows.append(row("ordinary (dev + held-out questions)", base_timings, base_lookups))
    for name, queries in shapes(vocabulary, args.samples, analysis.MAX_QUERY_LENGTH).items():
        rows.append(row(name, *measure(queries, vocabulary, validate, args.repeat)))

    slowest = max(r["max_ms"] for r in rows)
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "published_articles": published,
                "max_query_length": analysis.MAX_QUERY_LENGTH,
                "lookup_budget": analysis.MAX_QUERY_LOOKUPS,
                "repeat": args.repeat,
                "slowest_ms": slowest,
                "under_aim": slowest < AIM_MS,
            }
        )
    )
    columns = ("n", 4), ("p50 ms", 8), ("p99 ms", 8), ("max ms", 8), ("x p50", 6), ("x p99", 6), ("lookups", 8)
    print(f"{'shape':58s} " + " ".join(f"{name:>{width}s}" for name, width in columns))
    for r in rows:
        print(
            f"{r['shape']:58s} {r['n']:4d} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} {r['max_ms']:8.2f} "
            f"{r['p50_ratio']:6.1f} {r['p99_ratio']:6.1f} {r['max_lookups']:8d}"
        )


if __name__ == "__main__":
    main()
