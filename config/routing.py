"""WebSocket routes: every page's one socket (zhili.web.consumers), and a room page's
heartbeat (zhili.rooms.consumers)."""

from django.urls import path

from zhili.rooms.consumers import SeatConsumer
from zhili.web.consumers import LiveConsumer

websocket_urlpatterns: list = [
    path("ws/cases/", LiveConsumer.as_asgi()),
    path("ws/rooms/seat/", SeatConsumer.as_asgi()),
]
