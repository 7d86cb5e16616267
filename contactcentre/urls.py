from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from contactcentre.api import health, idle_sessions

# Django tries the patterns in order (no two apps share a path): the first line's busiest calls first.
api_v1 = [
    path("", include("contactcentre.firstline.api.urls")),
    path("", include("casemanagement.api.urls")),
    path("", include("contactcentre.interactions.api.urls")),
    path("", include("contactcentre.registry.api.urls")),
    path("", include("contactcentre.processinglog.api.urls")),
    path("", include("lifeevents.api.urls")),
    path("", include("contactcentre.api.urls")),
    path("", include("channels_app.scan.api.urls")),
    path("", include("channels_app.counter.api.urls")),
    path("", include("channels_app.email.urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(api_v1)),
    path("sessie/verlengen/", idle_sessions.session_extend, name="session-extend"),
    path("admin/", admin.site.urls),
    path("twilio/", include("channels_app.urls")),
    path("demo/twilio/", include("channels_app.simulator.urls")),
    path("", include("contactcentre.console.urls")),
    path("", include("casemanagement.urls")),
    path("", include("contactcentre.portal.urls")),
    path("", include("channels_app.counter.urls")),
]
