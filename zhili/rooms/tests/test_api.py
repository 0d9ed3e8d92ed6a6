"""The rooms API against a real Janus (zhili/video/tests/engines.py): scheduling, who sees a
room (404 for the uninvited outside the subject's line), the outside party's code (403, the
lock after 5 tries), tokens Janus itself refuses, moderation, the end, and a dead gateway."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from websockets.sync.client import connect

from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.rooms import gateway as room_gateway
from zhili.rooms.models import Participant, Room, RoomState
from zhili.video.gateway.tokens import VIDEOROOM, sign
from zhili.video.tests.engines import TOKEN_SECRET, JanusServer

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def schedule(client: Client, dispute: Any, **extra: Any) -> dict[str, Any]:
    body = {
        "purpose": "mediation",
        "subject": dispute.number,
        "starts_at": timezone.now().isoformat(),
        "invitees": [
            {"username": "chair1"},
            {"name": "张建华", "note": "申请人"},
            {"name": "李桂英", "note": "被申请人"},
        ],
        **extra,
    }
    answer = client.post("/api/v1/rooms", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_a_mediator_schedules_and_each_outside_party_gets_a_link_and_a_code(
    mediating: Any, med: Tree
) -> None:
    made = schedule(client_for(med.mediator1), mediating)
    room = Room.objects.get(number=made["room_id"])
    assert made["join_url"] == f"/rooms/{room.number}/"
    assert room.state == RoomState.SCHEDULED and room.path == mediating.path
    assert [i["display"] for i in made["invitations"]] == ["张建华", "李桂英"]
    assert all(len(i["code"]) == 6 and i["code"].isdigit() for i in made["invitations"])
    # Only digests are kept: the code is not in the database.
    codes = {i["code"] for i in made["invitations"]}
    assert not Participant.objects.filter(code_digest__in=codes).exists()
    assert room.events.filter(action="schedule").exists()


def test_a_dispute_not_at_the_mediating_stage_cannot_get_a_video_session(
    make_dispute: Any, med: Tree
) -> None:
    dispute = make_dispute()
    body = {
        "purpose": "mediation",
        "subject": dispute.number,
        "starts_at": timezone.now().isoformat(),
        "invitees": [],
    }
    answer = client_for(med.mediator1).post("/api/v1/rooms", body, content_type="application/json")
    assert answer.status_code == 409


def test_those_not_invited_and_not_above_get_404(mediating: Any, med: Tree) -> None:
    made = schedule(client_for(med.mediator1), mediating)
    path = f"/api/v1/rooms/{made['room_id']}/attendance"
    # A mediator of another committee, the other township, a department: as if it did not exist.
    for outsider in (med.mediator2, med.chair2, med.police):
        assert client_for(outsider).get(path).status_code == 404, outsider
        assert client_for(outsider).post(f"/api/v1/rooms/{made['room_id']}/join").status_code == 404
        assert client_for(outsider).get(f"/rooms/{made['room_id']}/").status_code == 404
    # Invited, or above the committee in the tree: seen.
    for seer in (med.chair1, med.township, med.dispatcher):
        assert client_for(seer).get(path).status_code == 200, seer


def test_a_wrong_code_is_403_and_the_fifth_locks_the_link(
    gateway: JanusServer, mediating: Any, med: Tree
) -> None:
    made = schedule(client_for(med.mediator1), mediating)
    link = made["invitations"][0]["link"]
    right = made["invitations"][0]["code"]
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    anyone = Client()
    for tries in range(1, 5):
        answer = anyone.post(
            "/api/v1/rooms/join", {"link": link, "code": wrong}, content_type="application/json"
        )
        assert answer.status_code == 403 and answer.json()["code"] == "wrong_code"
        assert f"还可尝试 {5 - tries} 次" in answer.json()["detail"]
    answer = anyone.post(
        "/api/v1/rooms/join", {"link": link, "code": wrong}, content_type="application/json"
    )
    assert answer.status_code == 403 and answer.json()["code"] == "link_locked"
    # Locked: even the right code is refused now, and the page says why.
    answer = anyone.post(
        "/api/v1/rooms/join", {"link": link, "code": right}, content_type="application/json"
    )
    assert answer.json()["code"] == "link_locked"
    page = anyone.get(f"/rooms/j/{link}/")
    assert page.status_code == 403 and "已锁定" in page.content.decode()
    assert AuditLog.objects.filter(action="rooms.code.wrong").count() == 5


def test_a_used_link_cannot_join_again(gateway: JanusServer, mediating: Any, med: Tree) -> None:
    host = client_for(med.mediator1)
    made = schedule(host, mediating)
    assert host.post(f"/api/v1/rooms/{made['room_id']}/join").status_code == 200  # opens
    invitation = made["invitations"][0]
    body = {"link": invitation["link"], "code": invitation["code"]}
    first = Client().post("/api/v1/rooms/join", body, content_type="application/json")
    assert first.status_code == 200, first.content
    ticket = first.json()
    assert ticket["display"] == "张建华" and ticket["room"] > 0
    again = Client().post("/api/v1/rooms/join", body, content_type="application/json")
    assert again.status_code == 403 and again.json()["code"] == "link_used"


class JanusSocket:
    """Janus over WebSocket, the way the pages speak to it: each request's answer (acks skipped)."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.count = 0

    def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        transaction = f"t{self.count}"
        self.socket.send(json.dumps({**message, "transaction": transaction}))
        while True:
            answer = json.loads(self.socket.recv(timeout=10))
            if answer.get("transaction") == transaction and answer.get("janus") != "ack":
                return answer


def test_janus_itself_refuses_a_forged_or_expired_token_and_a_wrong_room_token(
    gateway: JanusServer, mediating: Any, med: Tree
) -> None:
    host = client_for(med.mediator1)
    made = schedule(host, mediating)
    ticket = host.post(f"/api/v1/rooms/{made['room_id']}/join").json()
    forged = sign(
        "not-the-secret", expires_at=timezone.now() + timedelta(minutes=1), plugins=(VIDEOROOM,)
    )
    expired = sign(
        TOKEN_SECRET, expires_at=timezone.now() - timedelta(seconds=5), plugins=(VIDEOROOM,)
    )
    with connect(ticket["gateway"], subprotocols=["janus-protocol"]) as socket:  # type: ignore[list-item]
        refusals(JanusSocket(socket), ticket, forged, expired)


def refusals(janus: JanusSocket, ticket: dict[str, Any], forged: str, expired: str) -> None:
    for bad in (forged, expired):
        answer = janus.ask({"janus": "create", "token": bad})
        assert answer["janus"] == "error" and answer["error"]["code"] == 403, answer
    # The platform's token opens a session, but the room wants its own token on its list.
    good = ticket["token"]
    session = janus.ask({"janus": "create", "token": good})["data"]["id"]
    handle = janus.ask(
        {"janus": "attach", "plugin": VIDEOROOM, "token": good, "session_id": session}
    )["data"]["id"]

    def join(room_token: str, feed: int) -> dict[str, Any]:
        body = {
            "request": "join",
            "ptype": "publisher",
            "room": ticket["room"],
            "id": feed,
            "token": room_token,
        }
        answer = janus.ask(
            {
                "janus": "message",
                "body": body,
                "token": good,
                "session_id": session,
                "handle_id": handle,
            }
        )
        return answer["plugindata"]["data"]

    assert join("made-up-token", 999_999_001).get("error_code") == 433  # not on the list
    assert join(ticket["room_token"], 999_999_002).get("videoroom") == "joined"


def test_the_host_ends_the_room_and_janus_destroys_it(
    gateway: JanusServer, mediating: Any, med: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    host = client_for(med.mediator1)
    made = schedule(host, mediating)
    host.post(f"/api/v1/rooms/{made['room_id']}/join")
    room = Room.objects.get(number=made["room_id"])
    assert room.state == RoomState.OPEN and room_gateway.room_exists(0, room.janus_id or 0)
    # Only the host moderates and ends.
    chair = client_for(med.chair1)
    assert chair.post(f"/api/v1/rooms/{room.number}/end").status_code == 403
    with django_capture_on_commit_callbacks() as after_commit:
        assert host.post(f"/api/v1/rooms/{room.number}/end").status_code == 204
    room.refresh_from_db()
    # Janus's room goes once the end is committed.
    assert room.state == RoomState.ENDED and room_gateway.room_exists(0, room.janus_id or 0)
    for callback in after_commit:
        callback()
    assert not room_gateway.room_exists(0, room.janus_id or 0)
    assert host.post(f"/api/v1/rooms/{room.number}/join").json()["code"] == "room_ended"


def test_a_dead_gateway_is_503_and_the_room_stays_scheduled(
    settings: Any, mediating: Any, med: Tree
) -> None:
    settings.JANUS_API_URLS = ["http://127.0.0.1:9/janus"]
    settings.JANUS_WS_URLS = ["ws://127.0.0.1:9/"]
    host = client_for(med.mediator1)
    made = schedule(host, mediating)
    answer = host.post(f"/api/v1/rooms/{made['room_id']}/join")
    assert answer.status_code == 503 and answer.json()["code"] == "gateway_unavailable"
    assert Room.objects.get(number=made["room_id"]).state == RoomState.SCHEDULED


def test_a_page_that_stops_beating_leaves_the_attendance_at_its_last_beat(
    gateway: JanusServer, mediating: Any, med: Tree
) -> None:
    from zhili.rooms.attendance import rooms_sweep, seat_beat
    from zhili.rooms.models import Presence

    host = client_for(med.mediator1)
    made = schedule(host, mediating)
    ticket = host.post(f"/api/v1/rooms/{made['room_id']}/join").json()
    seat_beat(seat=ticket["seat"])  # no Janus event here (no page): the beat opens it
    presence = Presence.objects.get(participant_id=ticket["feed"])
    last = Participant.objects.get(pk=ticket["feed"]).beat_at
    assert rooms_sweep(timezone.now()) == 0
    assert rooms_sweep(timezone.now() + timedelta(seconds=60)) == 1
    presence.refresh_from_db()
    assert presence.left_at == last and presence.left_how == "silent"


def test_janus_is_configured_to_post_its_events_only_when_told_where(tmp_path: Any) -> None:
    from zhili.video.gateway.config import JanusConfig, render

    quiet = render(JanusConfig(folder=tmp_path))
    assert "janus.eventhandler.sampleevh.jcfg" not in quiet
    assert (
        "broadcast = false" in quiet["janus.jcfg"]
        and "libjanus_sampleevh.so" in quiet["janus.jcfg"]
    )
    told = render(
        JanusConfig(
            folder=tmp_path,
            events_url="http://127.0.0.1:8000/api/v1/rooms/janus-events",
            events_secret="s",
        )
    )
    handler = told["janus.eventhandler.sampleevh.jcfg"]
    assert 'backend = "http://127.0.0.1:8000/api/v1/rooms/janus-events"' in handler
    assert 'backend_pwd = "s"' in handler and 'events = "plugins"' in handler
    assert "broadcast = true" in told["janus.jcfg"] and "sampleevh" not in told["janus.jcfg"]
    assert 'admin_key = "' in told["janus.plugin.videoroom.jcfg"]


def test_a_meeting_is_about_the_hosts_unit_and_the_admin_shows_rooms(
    med: Tree, make_user: Any
) -> None:
    host = client_for(med.township)
    body = {
        "purpose": "meeting",
        "subject": "全镇综治例会",
        "starts_at": timezone.now().isoformat(),
        "invitees": [{"username": "village"}],
    }
    made = host.post("/api/v1/rooms", body, content_type="application/json").json()
    room = Room.objects.get(number=made["room_id"])
    assert room.title == "全镇综治例会" and room.path == med.township.organization.path
    assert client_for(med.village).get(f"/rooms/{room.number}/").status_code == 200  # invited
    assert client_for(med.chair2).get(f"/rooms/{room.number}/").status_code == 404
    bad = host.post(
        "/api/v1/rooms", {**body, "purpose": "reception"}, content_type="application/json"
    )
    # A reception's subject is an appointment's id (zhili/rooms/tests/test_reception.py).
    assert bad.status_code == 422 and bad.json()["field"] == "subject"
    admin = make_user("root", None, is_superuser=True, is_staff=True)
    page = client_for(admin).get(f"/admin/rooms/room/{room.pk}/change/")
    assert page.status_code == 200 and "全镇综治例会" in page.content.decode()
    assert room.janus_secret not in page.content.decode() or not room.janus_secret


def test_a_kick_closes_the_attendance_before_janus_tells_the_pages(
    gateway: JanusServer,
    mediating: Any,
    med: Tree,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from zhili.rooms.attendance import attendance_event, seat_beat
    from zhili.rooms.models import Presence

    host = client_for(med.mediator1)
    made = schedule(host, mediating)
    assert host.post(f"/api/v1/rooms/{made['room_id']}/join").status_code == 200
    invitation = made["invitations"][0]
    body = {"link": invitation["link"], "code": invitation["code"]}
    ticket = Client().post("/api/v1/rooms/join", body, content_type="application/json").json()
    seat_beat(seat=ticket["seat"])
    seen_at_kick: list[bool] = []
    real_kick = room_gateway.kick

    def kick(*args: Any) -> None:  # what a page told by Janus would find in the database
        seen_at_kick.append(
            Presence.objects.filter(participant_id=ticket["feed"], left_at=None).exists()
        )
        real_kick(*args)

    monkeypatch.setattr(room_gateway, "kick", kick)
    with django_capture_on_commit_callbacks() as after_commit:
        answer = host.post(
            f"/api/v1/rooms/{made['room_id']}/moderate",
            {"participant": ticket["feed"], "action": "kick"},
            content_type="application/json",
        )
    assert answer.status_code == 204, answer.content
    # The request's transaction is the whole request (core/transactions.py): Janus is told
    # only once it commits, then finds the attendance closed.
    assert seen_at_kick == []
    for callback in after_commit:
        callback()
    assert seen_at_kick == [False]
    # Janus's `joined` for the kicked party, arriving late, opens nothing.
    late = {"event": "joined", "room": ticket["room"], "id": ticket["feed"]}
    assert attendance_event(late, timezone.now())
    presence = Presence.objects.get(participant_id=ticket["feed"])
    assert presence.left_how == "kicked" and presence.left_at is not None
