"""WebSocket routes. Later modules (command, video, the big screen) add their consumers here."""

from django.urls import path

from zhili.cases.consumers import CaseUpdatesConsumer

websocket_urlpatterns: list = [
    path("ws/cases/", CaseUpdatesConsumer.as_asgi()),
]
