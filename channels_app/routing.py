"""Websocket routes. Consumers are added by the features that push live updates."""

from django.urls import path

from channels_app.consumers import AgentConsumer, PingConsumer, SupervisorBoardConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
    path("ws/agent/", AgentConsumer.as_asgi()),
    path("ws/board/", SupervisorBoardConsumer.as_asgi()),
]
