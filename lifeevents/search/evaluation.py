"""Search quality and latency over a labelled query set (the format of data/kennisbank/dev_queries.json)."""

from __future__ import annotations

import statistics
import time

from lifeevents.search.engine import search_articles


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def evaluate(queries: list[dict], *, limit: int = 10, warmup: bool = True) -> dict:
    """recall@k: fraction of queries with at least one relevant article in the top k.
    MRR@10: mean over queries of 1/rank of the first relevant article in the top 10 (0 if none).
    Latency: wall time of search_articles per query, after one warm-up search (caches)."""
    if warmup and queries:
        search_articles(queries[0]["query"], limit=limit)
    hits_at_1 = hits_at_3 = 0
    reciprocal_ranks = []
    latencies = []
    failures = []
    for item in queries:
        relevant = set(item["relevant"])
        started = time.perf_counter()
        results = search_articles(item["query"], channel=item.get("channel"), limit=limit)
        latencies.append((time.perf_counter() - started) * 1000)
        ids = [hit.article.external_id for hit in results]
        rank = next((position for position, article_id in enumerate(ids[:10], 1) if article_id in relevant), None)
        hits_at_1 += bool(rank and rank <= 1)
        hits_at_3 += bool(rank and rank <= 3)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        if not rank or rank > 1:
            failures.append({"query": item["query"], "relevant": item["relevant"], "got": ids[:3], "rank": rank})
    count = len(queries)
    return {
        "queries": count,
        "recall@1": round(hits_at_1 / count, 4) if count else 0.0,
        "recall@3": round(hits_at_3 / count, 4) if count else 0.0,
        "mrr@10": round(statistics.fmean(reciprocal_ranks), 4) if count else 0.0,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "failures": failures,
    }
