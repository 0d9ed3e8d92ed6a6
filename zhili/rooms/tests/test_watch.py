"""Silent supervision (静默督导) against a real Janus: who may watch a room unseen (the right,
the part of the tree, never an invited person), the watcher's token that Janus lets subscribe,
no trace of it among the participants or in the attendance, every watch audited and shown to
administrators only, and its end: leaving, a silent page, the room's end."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from websockets.sync.client import connect

from zhili.conftest import Tree, wait_until
from zhili.core.models import AuditLog
from zhili.rooms import gateway as room_gateway
from zhili.rooms.models import Room, Watch
from zhili.rooms.tests.test_api import JanusSocket, client_for, schedule
from zhili.rooms.tests.test_room_browser import joined, login, sees_video_of, shot
from zhili.rooms.watches import watches_sweep
from zhili.video.gateway.tokens import VIDEOROOM
from zhili.video.tests.engines import JanusServer
from zhili.web.tests.conftest import pump

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db]


def open_room(med: Tree, dispute: Any) -> tuple[Room, Client]:
    host = client_for(med.mediator1)
    made = schedule(host, dispute)
    assert host.post(f"/api/v1/rooms/{made['room_id']}/join").status_code == 200
    return Room.objects.get(number=made["room_id"]), host


def test_a_township_secretary_watches_a_mediation_unseen_and_it_is_audited(
    gateway: JanusServer, mediating: Any, med: Tree
) -> None:
    room, host = open_room(med, mediating)
    supervisor = client_for(med.secretary1)  # 甲镇's secretary: the room is under 甲镇
    answer = supervisor.post(f"/api/v1/rooms/{room.number}/watch")
    assert answer.status_code == 200, answer.content
    ticket = answer.json()
    watch = Watch.objects.get(room=room)
    assert watch.user == med.secretary1 and watch.ended_at is None
    assert AuditLog.objects.filter(
        action="rooms.room.watch", actor=med.secretary1, target_id=str(room.pk)
    ).exists()

    # Janus lets the watcher's token in to list and subscribe; the host's page is all it sees.
    with connect(ticket["gateway"], subprotocols=["janus-protocol"]) as socket:  # type: ignore[list-item]
        janus = JanusSocket(socket)
        token = ticket["token"]
        session = janus.ask({"janus": "create", "token": token})["data"]["id"]
        handle = janus.ask(
            {"janus": "attach", "plugin": VIDEOROOM, "token": token, "session_id": session}
        )["data"]["id"]
        listed = janus.ask(
            {
                "janus": "message",
                "body": {"request": "listparticipants", "room": ticket["room"]},
                "token": token,
                "session_id": session,
                "handle_id": handle,
            }
        )["plugindata"]["data"]
        assert listed["videoroom"] == "participants"
    # Nobody among the participants or in the attendance but those invited.
    names = {r["participant"] for r in host.get(f"/api/v1/rooms/{room.number}/attendance").json()}
    assert "secretary1" not in names and med.secretary1.display_name not in names

    # Administrators see the watch on the room's page; the host, whom it watched, does not.
    admin_page = client_for(med.admin).get(f"/rooms/{room.number}/").content.decode()
    assert 'data-testid="watches"' in admin_page and med.secretary1.display_name in admin_page
    assert 'data-testid="watches"' not in host.get(f"/rooms/{room.number}/").content.decode()
    secretary_page = supervisor.get(f"/rooms/{room.number}/").content.decode()
    assert f"/rooms/{room.number}/watch/" in secretary_page

    beat = supervisor.post("/api/v1/rooms/watch/beat", {"seat": ticket["seat"]}, "application/json")
    assert beat.status_code == 200 and beat.json()["token"]
    left = supervisor.post(
        "/api/v1/rooms/watch/leave", {"seat": ticket["seat"]}, "application/json"
    )
    assert left.status_code == 204
    watch.refresh_from_db()
    assert watch.ended_at is not None and watch.end_reason == "left"
    ended = AuditLog.objects.get(action="rooms.room.watch_end", actor=med.secretary1)
    assert ended.extra["watch"] == watch.pk and ended.extra["seconds"] >= 0
    again = supervisor.post(
        "/api/v1/rooms/watch/beat", {"seat": ticket["seat"]}, "application/json"
    )
    assert (again.status_code, again.json()["field"]) == (404, "seat")
    # The seat belongs to its watcher alone.
    other = client_for(med.chair1).post(
        "/api/v1/rooms/watch/leave", {"seat": ticket["seat"]}, "application/json"
    )
    assert other.status_code == 404


def test_who_may_not_watch(gateway: JanusServer, mediating: Any, med: Tree) -> None:
    room, host = open_room(med, mediating)
    url = f"/api/v1/rooms/{room.number}/watch"
    # Out of sight: another township's chair, a mediator elsewhere, a department.
    for user in (med.chair2, med.mediator2, med.police):
        assert client_for(user).post(url).status_code == 404, user
    # In sight, without the right: a township officer; the administrator reviews, never watches.
    for user in (med.township, med.admin):
        answer = client_for(user).post(url)
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden"), user
        assert client_for(user).get(f"/rooms/{room.number}/watch/").status_code == 403
    # Invited (chair1 is on the list): joins as themselves, never unseen.
    answer = client_for(med.chair1).post(url)
    assert (answer.status_code, answer.json()["code"]) == (403, "invited")
    assert host.post(url).status_code == 403  # the mediator holds no right to watch anyway
    # A room not open yet.
    later = schedule(client_for(med.mediator1), mediating)
    answer = client_for(med.secretary1).post(f"/api/v1/rooms/{later['room_id']}/watch")
    assert (answer.status_code, answer.json()["code"]) == (409, "room_not_open")
    assert (
        not Watch.objects.exists()
        and not AuditLog.objects.filter(action="rooms.room.watch").exists()
    )


def test_a_silent_page_and_the_rooms_end_end_the_watch(
    gateway: JanusServer, mediating: Any, med: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    room, host = open_room(med, mediating)
    supervisor = client_for(med.secretary1)
    first = supervisor.post(f"/api/v1/rooms/{room.number}/watch").json()
    watch = Watch.objects.get()
    assert watches_sweep(timezone.now()) == 0
    assert watches_sweep(timezone.now() + timedelta(seconds=60)) == 1
    watch.refresh_from_db()
    assert (watch.end_reason, watch.ended_at) == ("silent", watch.beat_at)

    second = supervisor.post(f"/api/v1/rooms/{room.number}/watch").json()
    assert second["room_token"] != first["room_token"]
    with django_capture_on_commit_callbacks(execute=True):
        assert host.post(f"/api/v1/rooms/{room.number}/end").status_code == 204
    answer = supervisor.post(
        "/api/v1/rooms/watch/beat", {"seat": second["seat"]}, "application/json"
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "room_ended")
    latest = Watch.objects.order_by("-pk").first()
    assert latest is not None and latest.end_reason == "ended"
    assert not room_gateway.room_exists(0, room.janus_id or 0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_supervisor_sees_everyone_and_no_one_sees_the_supervisor(
    live_server: Any, new_page: Any, gateway: JanusServer, mediating: Any, med: Tree
) -> None:
    made = schedule(client_for(med.mediator1), mediating)
    room_url = f"{live_server.url}/rooms/{made['room_id']}/"
    host = new_page()
    login(host, live_server.url, "mediator1")
    host.goto(room_url)
    joined(host)
    party = new_page()
    invitation = made["invitations"][0]
    party.goto(f"{live_server.url}{invitation['join_url']}")
    party.fill("[data-testid=code]", invitation["code"])
    party.click("[data-testid=code-form] button[type=submit]")
    joined(party)
    host_feed = int(host.get_attribute("[data-testid=room]", "data-feed") or 0)
    party_feed = int(party.get_attribute("[data-testid=room]", "data-feed") or 0)

    supervisor = new_page()
    login(supervisor, live_server.url, "secretary1")
    supervisor.goto(room_url)
    supervisor.click("[data-testid=watch-room]")
    wait_until(
        lambda: supervisor.get_attribute("[data-testid=room]", "data-state") == "watching",
        30,
        "the supervisor's page watches",
        pause=pump(supervisor),
    )
    for feed in (host_feed, party_feed):
        sees_video_of(supervisor, feed)
    assert supervisor.query_selector("[data-testid=tile-me]") is None  # it publishes nothing
    shot(supervisor, "watch")

    # The people in the room see only each other, now and a beat later.
    supervisor.wait_for_timeout(3000)
    for page, other in ((host, party_feed), (party, host_feed)):
        tiles = page.eval_on_selector_all(".room-tile", "(ts) => ts.map(t => t.dataset.testid)")
        assert sorted(tiles) == sorted(["tile-me", f"tile-{other}"]), tiles
    watch = Watch.objects.get()
    assert watch.ended_at is None

    supervisor.goto(f"{live_server.url}/healthz")  # leaving the page ends the watch
    wait_until(
        lambda: Watch.objects.filter(pk=watch.pk, end_reason="left").exists(),
        10,
        "the watch ends",
        pause=pump(host),
    )
