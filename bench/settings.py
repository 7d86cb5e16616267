"""Benchmark settings: the production settings (run with PRODUCTION=1) plus a bare ceiling endpoint.

Only `bench/serve_and_load.py` uses this module. The server listens on 127.0.0.1 without TLS, so the
HTTPS redirect is off; everything else (DEBUG off, secure cookies, Redis cache) stays as in production.
"""

import os

from contactcentre.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
# Loopback only: no TLS terminator in front of gunicorn, so a redirect to https would break every call.
SECURE_SSL_REDIRECT = False

# What-if variants, only when bench/serve_and_load.py is run with --what-if (never in a baseline run):
# they measure how much a candidate change would gain before anyone makes it in the real settings.
WHAT_IF = {item for item in os.environ.get("BENCH_WHAT_IF", "").split(",") if item}
if "async_commit" in WHAT_IF:  # commits do not wait for the WAL flush (processing-log inserts)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
if "no_count_pagination" in WHAT_IF:  # pages without COUNT(*) over all the organisation's cases
    REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_PAGINATION_CLASS": "bench.pagination.NoCountPagination"}  # noqa: F405
