"""The real URLs plus `/bench/ceiling`: a bare Django JSON view, the ceiling a request can reach on
this server set-up (same middleware, same workers, no authentication, no database). It exists only
in this URLconf, never in contactcentre.urls."""

from django.http import JsonResponse
from django.urls import path

from contactcentre.urls import urlpatterns as real_urlpatterns


def ceiling(request):
    return JsonResponse({"ok": True, "items": [{"id": 1, "name": "plafond"}]})


urlpatterns = [path("bench/ceiling", ceiling, name="bench-ceiling"), *real_urlpatterns]
