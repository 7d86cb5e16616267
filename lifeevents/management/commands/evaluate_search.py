"""python manage.py evaluate_search QUERIES.json: search quality and latency as one JSON line."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lifeevents.search.evaluation import evaluate


class Command(BaseCommand):
    help = (
        "Run each query of QUERIES.json (list of {query, relevant: [article ids best first], channel}) through "
        "search_articles and print one JSON line: queries, recall@1, recall@3 (recall@k = fraction of queries "
        "with at least one relevant article in the top k), mrr@10 (mean of 1/rank of the first relevant article "
        "in the top 10, 0 if none), p50_ms and p95_ms (latency per search, after one warm-up search)."
    )

    def add_arguments(self, parser):
        parser.add_argument("queries", help="path to a JSON file in the format of dev_queries.json")
        parser.add_argument("--show-failures", action="store_true", help="also print queries not ranked first")

    def handle(self, *args, queries, show_failures, **options):
        try:
            items = json.loads(Path(queries).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {queries}: {exc}") from exc
        result = evaluate(items)
        failures = result.pop("failures")
        result["database"] = connection.vendor
        self.stdout.write(json.dumps(result))
        if show_failures:
            for failure in failures:
                self.stderr.write(json.dumps(failure, ensure_ascii=False))
