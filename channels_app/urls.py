"""The doors' webhooks, under /twilio/ (contactcentre/urls.py): every one is signed by Twilio."""

from django.urls import include, path

urlpatterns = [
    path("voice/", include("channels_app.voice.urls")),
]
