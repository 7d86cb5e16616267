"""Liveness and readiness probes. /healthz asks nothing of the database or Redis, so it answers while
they are down or silent; /readyz asks both, Redis with the settings' connect and read timeouts and
without retries (contactcentre/api/redis_pool.py), so a Redis that is down gives a 503 within a second."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request):
    checks = {"database": _check_database()}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        return "error"


def _check_redis() -> str:
    from redis.exceptions import RedisError

    from contactcentre.api.redis_pool import redis_client

    client = redis_client(settings.REDIS_URL)
    try:
        client.ping()
        return "ok"
    except RedisError:
        return "error"
    finally:
        client.connection_pool.disconnect()
