"""Janus's own event handler (sample event handler, HTTP POST with basic auth) reports a
publisher's join and leave to the platform, which opens and closes the attendance at Janus's
time of the event; no page, no beat: a WebSocket client speaks for the participant."""

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.test import Client
from websockets.sync.client import connect

from zhili.conftest import Tree, wait_until
from zhili.rooms.models import Presence
from zhili.rooms.tests.conftest import walk
from zhili.rooms.tests.test_api import JanusSocket, client_for, schedule
from zhili.video.gateway import config
from zhili.video.gateway.tokens import VIDEOROOM
from zhili.video.management.commands.janus import local_config
from zhili.video.tests.engines import EVENTS_SECRET, JanusServer

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db(transaction=True)]


def test_janus_reports_the_join_and_the_leave(
    live_server: Any, janus_events: JanusServer, make_dispute: Any, med: Tree
) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    made = schedule(client_for(med.mediator1), dispute)
    ticket = client_for(med.mediator1).post(f"/api/v1/rooms/{made['room_id']}/join").json()
    with connect(ticket["gateway"], subprotocols=["janus-protocol"]) as socket:  # type: ignore[list-item]
        janus = JanusSocket(socket)
        token = ticket["token"]
        session = janus.ask({"janus": "create", "token": token})["data"]["id"]
        where = {"token": token, "session_id": session}
        handle = janus.ask({"janus": "attach", "plugin": VIDEOROOM, **where})["data"]["id"]
        body = {
            "request": "join",
            "ptype": "publisher",
            "room": ticket["room"],
            "id": ticket["feed"],
            "display": ticket["display"],
            "token": ticket["room_token"],
        }
        joined_at = time.time()
        answer = janus.ask({"janus": "message", "body": body, "handle_id": handle, **where})
        assert answer["plugindata"]["data"]["videoroom"] == "joined"
        wait_until(
            lambda: Presence.objects.filter(participant_id=ticket["feed"]).exists(),
            10,
            "Janus's joined event arrives",
        )
        presence = Presence.objects.get(participant_id=ticket["feed"])
        assert abs(presence.joined_at.timestamp() - joined_at) < 5
        left_at = time.time()
        janus.ask({"janus": "message", "body": {"request": "leave"}, "handle_id": handle, **where})
        wait_until(
            lambda: Presence.objects.filter(pk=presence.pk, left_at__isnull=False).exists(),
            10,
            "Janus's leaving event arrives",
        )
    presence.refresh_from_db()
    assert presence.left_how == "leaving" and abs(presence.left_at.timestamp() - left_at) < 5  # type: ignore[union-attr]


def test_the_event_endpoint_wants_janus_s_secret(
    live_server: Any, janus_events: JanusServer
) -> None:
    url = f"{live_server.url}/api/v1/rooms/janus-events"
    events = json.dumps([{"type": 64, "event": {"plugin": "janus.plugin.videoroom", "data": {}}}])
    assert httpx.post(url, content=events, auth=("janus", "wrong")).status_code == 401
    assert httpx.post(url, content=events, auth=("janus", EVENTS_SECRET)).status_code == 204
    assert (
        Client()
        .post("/api/v1/rooms/janus-events", events, content_type="application/json")
        .status_code
        == 401
    )


def test_zhili_janus_points_the_event_handler_at_the_platform(
    settings: object, tmp_path: Path
) -> None:
    """`zhili janus` (make demo's gateway) writes the handler's file with the platform's
    endpoint and secret, so the rooms' attendance comes from Janus there too."""
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    settings.JANUS_EVENTS_URL = "http://127.0.0.1:8078/api/v1/rooms/janus-events"  # type: ignore[attr-defined]
    settings.JANUS_EVENTS_SECRET = "the-events-secret"  # type: ignore[attr-defined]
    config.write(local_config())
    handler = (tmp_path / "janus" / "janus.eventhandler.sampleevh.jcfg").read_text()
    assert 'backend = "http://127.0.0.1:8078/api/v1/rooms/janus-events"' in handler
    assert 'backend_pwd = "the-events-secret"' in handler
    assert "enabled = true" in handler
