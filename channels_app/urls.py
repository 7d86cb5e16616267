"""Twilio's webhooks, under /twilio/ (each door keeps its own list)."""

from django.urls import include, path

urlpatterns = [
    path("", include("channels_app.sms.urls")),
]
