"""Benchmark settings: the production settings (run with PRODUCTION=1) plus a bare ceiling endpoint.

Only `bench/serve_and_load.py` uses this module. The server listens on 127.0.0.1 without TLS, so the
HTTPS redirect is off; everything else (DEBUG off, secure cookies, Redis cache) stays as in production.
"""

from contactcentre.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
# Loopback only: no TLS terminator in front of gunicorn, so a redirect to https would break every call.
SECURE_SSL_REDIRECT = False
