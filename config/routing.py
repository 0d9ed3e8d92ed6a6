"""WebSocket routes: every page's one socket (zhili.web.consumers)."""

from django.urls import path

from zhili.web.consumers import LiveConsumer

websocket_urlpatterns: list = [
    path("ws/cases/", LiveConsumer.as_asgi()),
]
