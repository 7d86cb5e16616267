"""Websocket routes. Consumers are added by the features that push live updates."""

from django.urls import path

from channels_app.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
]
