"""WebSocket routes. Later modules (command, video, the big screen) add their consumers here."""

websocket_urlpatterns: list = []
