"""Incidents: a plan makes its tasks, the nearest forces, dispatch and answers, scope, input."""

import json
from typing import Any

import pytest
from django.test import Client

from zhili.core.errors import Conflict
from zhili.forces.models import IDLE, StatusChange
from zhili.incidents import services
from zhili.incidents.models import Dispatch, Incident, IncidentEvent, Task
from zhili.incidents.tests.conftest import HERE, place

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="zhili.orgs.auth.StaffBackend")
    return client


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def open_body(**extra: Any) -> dict[str, Any]:
    lat, lng = HERE
    return {
        "category": "QTJJ",
        "title": "村部门前聚集",
        "lat": lat,
        "lng": lng,
        "level": "large",
        **extra,
    }


def test_a_plan_creates_its_tasks_each_to_a_team_with_a_deadline(plans, forces, township_commander):
    place(forces.a, HERE[0] + 0.001, HERE[1])
    answer = post(client_for(township_commander), "/api/v1/incidents", open_body())
    assert answer.status_code == 201, answer.content
    body = answer.json()
    incident = Incident.objects.get(number=body["number"])
    assert incident.organization.code == "320722901"  # the township commands its own
    assert [(t["role"], t["text"], t["team"]) for t in body["tasks"]] == [
        ("公安", "控制现场", "T1-PATROL"),  # no patrol in 甲镇: the county's police
        ("乡镇", "牵头化解", "T1-GRID"),  # 甲镇's own grid team, not 乙乡's
    ]
    tasks = list(Task.objects.filter(incident=incident))
    minutes = [(t.due_at - incident.opened_at).total_seconds() / 60 for t in tasks]
    assert minutes == [10, 60]
    actions = list(incident.events.values_list("action", flat=True))
    assert actions == ["open", "task", "task"]


def test_nearest_forces_are_ordered_by_distance_and_a_stale_one_is_not_offered(
    plans, forces, personas
):
    lat, lng = HERE
    place(forces.a, lat + 0.010, lng)  # about 1.1 km
    place(forces.b, lat + 0.002, lng)  # about 220 m
    place(forces.police, lat + 0.005, lng)  # about 560 m
    place(forces.c, lat + 0.0005, lng, ago_s=600)  # nearest, but its position is stale
    client = client_for(personas.dispatcher)
    number = post(client, "/api/v1/incidents", open_body()).json()["number"]
    found = client.get(f"/api/v1/incidents/{number}/nearest-forces?limit=5").json()
    assert [f["force"] for f in found] == ["F-B", "F-P", "F-A"]
    distances = [f["distance_m"] for f in found]
    assert distances == sorted(distances) and 200 < distances[0] < 240
    # eta at the team type's speed: F-P patrols at 36 km/h = 10 m/s
    assert found[1]["eta_s"] == round(found[1]["distance_m"] / 10)
    assert client.get(f"/api/v1/incidents/{number}/nearest-forces?limit=1").json()[0]["force"] == (
        "F-B"
    )


def test_dispatch_and_answers_move_the_force_and_fill_the_timeline(plans, forces, personas):
    place(forces.police, HERE[0] + 0.003, HERE[1])
    desk = client_for(personas.dispatcher)
    number = post(desk, "/api/v1/incidents", open_body()).json()["number"]
    sent = post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-P"})
    assert sent.status_code == 200, sent.content
    assert [d["force"] for d in sent.json()["dispatches"]] == ["F-P"]
    forces.police.refresh_from_db()
    assert forces.police.status == "dispatched"
    again = post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-P"})
    assert again.status_code == 409 and again.json()["code"] == "force_busy"

    dispatch = Dispatch.objects.get()
    url = f"/api/v1/incidents/dispatches/{dispatch.pk}/answer"
    for answer, status in (("accept", "en_route"), ("arrive", "on_scene"), ("finish", IDLE)):
        done = post(desk, url, {"answer": answer, "lat": HERE[0], "lng": HERE[1] + 0.0001})
        assert done.status_code == 200, done.content
        assert done.json()["stage"] == answer
        forces.police.refresh_from_db()
        assert forces.police.status == status
    dispatch.refresh_from_db()
    assert dispatch.arrive_lng == pytest.approx(HERE[1] + 0.0001)
    late = post(desk, url, {"answer": "arrive"})
    assert late.status_code == 409
    changes = StatusChange.objects.filter(force=forces.police).order_by("at", "id")
    assert [c.to_status for c in changes] == ["dispatched", "en_route", "on_scene", IDLE]

    post(desk, f"/api/v1/incidents/{number}/actions/message", {"note": "现场人数约30人"})
    post(desk, f"/api/v1/incidents/{number}/actions/decide", {"note": "启动劝返"})
    closed = post(desk, f"/api/v1/incidents/{number}/actions/close", {"note": "已劝离"})
    assert closed.json()["state"] == "closed"
    timeline = desk.get(f"/api/v1/incidents/{number}/timeline").json()
    assert [e["action"] for e in timeline] == [
        "open",
        "task",
        "task",
        "dispatch",
        "accept",
        "arrive",
        "finish",
        "message",
        "decide",
        "close",
    ]
    arrive = timeline[5]
    assert arrive["label"] == "力量到场" and arrive["data"]["force"] == "F-P"
    assert arrive["data"]["lat"] == pytest.approx(HERE[0])
    assert timeline[7]["note"] == "现场人数约30人"


def test_a_township_never_sees_or_commands_another_townships_incident(
    plans, forces, township_commander, other_township
):
    number = post(client_for(township_commander), "/api/v1/incidents", open_body()).json()["number"]
    other = client_for(other_township)
    for url in ("", "/nearest-forces", "/timeline"):
        assert other.get(f"/api/v1/incidents/{number}{url}").status_code == 404
    sent = post(other, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-C"})
    assert sent.status_code == 404
    assert other.get("/api/v1/incidents").json()["items"] == []
    place(forces.b, *HERE)
    post(
        client_for(township_commander),
        f"/api/v1/incidents/{number}/actions/dispatch",
        {"force": "F-B"},
    )
    dispatch = Dispatch.objects.get()
    answer = post(other, f"/api/v1/incidents/dispatches/{dispatch.pk}/answer", {"answer": "accept"})
    assert answer.status_code == 404


def test_a_township_cannot_dispatch_another_townships_force(plans, forces, township_commander):
    place(forces.c, *HERE)
    desk = client_for(township_commander)
    number = post(desk, "/api/v1/incidents", open_body()).json()["number"]
    sent = post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-C"})
    assert sent.status_code == 422 and sent.json()["field"] == "force"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "NOPE"}, "category"),
        ({"title": "  "}, "title"),
        ({"level": "huge"}, "level"),
        ({"lat": 95}, "lat"),
        ({"plan": "NOPE"}, "plan"),
        ({"case_no": "DH20260101-99999"}, "case_no"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(plans, personas, change, field):
    answer = post(client_for(personas.dispatcher), "/api/v1/incidents", open_body(**change))
    assert 400 <= answer.status_code < 500
    assert answer.json()["field"] == field


def test_bad_answer_and_missing_force_name_the_field(plans, forces, personas):
    desk = client_for(personas.dispatcher)
    number = post(desk, "/api/v1/incidents", open_body()).json()["number"]
    missing = post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {})
    assert missing.status_code == 422 and missing.json()["field"] == "force"
    empty = post(desk, f"/api/v1/incidents/{number}/actions/message", {"note": ""})
    assert empty.status_code == 422 and empty.json()["field"] == "note"
    place(forces.b, *HERE)
    post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-B"})
    pk = Dispatch.objects.get().pk
    bad = post(desk, f"/api/v1/incidents/dispatches/{pk}/answer", {"answer": "maybe"})
    assert bad.status_code == 422 and bad.json()["field"] == "answer"


def test_a_handheld_answers_only_its_own_dispatch(plans, forces, personas, make_user, tree):
    place(forces.a, *HERE)
    place(forces.b, *HERE)
    desk = client_for(personas.dispatcher)
    number = post(desk, "/api/v1/incidents", open_body()).json()["number"]
    post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-B"})
    post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-A"})
    theirs = Dispatch.objects.get(force=forces.b)
    mine = Dispatch.objects.get(force=forces.a)
    hand = client_for(forces.hand)
    refused = post(hand, f"/api/v1/incidents/dispatches/{theirs.pk}/answer", {"answer": "accept"})
    assert refused.status_code in (403, 404)
    ok = post(hand, f"/api/v1/incidents/dispatches/{mine.pk}/answer", {"answer": "accept"})
    assert ok.status_code == 200
    row = IncidentEvent.objects.filter(action="accept").get()
    assert row.actor == forces.hand


def test_a_closed_incident_takes_no_dispatch(plans, forces, personas):
    incident = services.incident_open(
        actor=personas.dispatcher,
        category="QTJJ",
        title="测试",
        lat=HERE[0],
        lng=HERE[1],
        level="ordinary",
    )
    services.incident_act(personas.dispatcher, incident, "close", {})
    place(forces.b, *HERE)
    with pytest.raises(Conflict):
        services.incident_act(personas.dispatcher, incident, "dispatch", {"force": "F-B"})


def test_closing_gives_the_word_report(plans, forces, personas):
    from io import BytesIO
    from zipfile import ZipFile

    desk = client_for(personas.dispatcher)
    number = post(desk, "/api/v1/incidents", open_body()).json()["number"]
    assert desk.get(f"/api/v1/incidents/{number}/report").status_code == 409
    place(forces.police, *HERE)
    post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-P"})
    post(desk, f"/api/v1/incidents/{number}/actions/close", {"note": "现场已恢复秩序"})
    answer = desk.get(f"/api/v1/incidents/{number}/report")
    assert answer.status_code == 200
    text = ZipFile(BytesIO(answer.content)).read("word/document.xml").decode()
    for words in ("指挥事件处置报告", number, "控制现场", "赵警官", "现场已恢复秩序"):
        assert words in text


def test_the_replay_holds_the_dispatched_forces_tracks_while_the_incident_ran(
    plans, forces, personas
):
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from zhili.forces.services import PositionIn, positions_store

    desk = client_for(personas.dispatcher)
    place(forces.police, *HERE)
    number = post(desk, "/api/v1/incidents", open_body()).json()["number"]
    post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-P"})
    now = timezone.now()
    before = now - timedelta(hours=1)  # before the incident: not replayed
    fixes = [(before, 34.4), (now, 34.501), (now + timedelta(seconds=1), 34.502)]
    points = [PositionIn(uuid.uuid4(), lat, HERE[1], min(at, timezone.now())) for at, lat in fixes]
    positions_store(force=forces.police, points=points)
    body = desk.get(f"/api/v1/incidents/{number}/replay").json()
    assert body["names"] == {"F-P": "赵警官"}
    lats = [fix[1] for fix in body["tracks"]["F-P"]]
    assert 34.4 not in lats and lats == sorted(lats) and lats
    assert body["start"] <= body["end"]


def test_the_incident_has_a_talk_group_whose_talks_join_its_timeline(plans, forces, personas):
    from datetime import timedelta

    from django.utils import timezone

    from zhili.intercom.models import GroupKind, Talk, TalkGroup

    place(forces.a, HERE[0] + 0.001, HERE[1])
    desk = client_for(personas.dispatcher)
    number = post(desk, "/api/v1/incidents", open_body()).json()["number"]
    group = TalkGroup.objects.get(kind=GroupKind.SUBJECT, subject=number)
    assert number in group.name and not group.members.exists()
    post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-A"})
    assert list(group.members.all()) == [forces.hand]  # the dispatched force's handheld joins it

    started = timezone.now() + timedelta(seconds=1)
    Talk.objects.create(
        group=group, user=forces.hand, started_at=started, ended_at=started + timedelta(seconds=4)
    )
    timeline = desk.get(f"/api/v1/incidents/{number}/timeline").json()
    talk = timeline[-1]
    assert (talk["action"], talk["label"], talk["note"]) == ("talk", "对讲", "讲话 4 秒")
    assert talk["actor"] == forces.hand.display_name
    assert talk["data"]["heard_at"] is None  # no AudioBridge told it (a hand-made row)
    page = desk.get(f"/incidents/{number}/").content.decode()
    assert f'href="/intercom/?subject={number}"' in page and "讲话 4 秒" in page
    # The intercom desk opened from the incident puts its group first.
    intercom = desk.get(f"/intercom/?subject={number}").content.decode()
    first = intercom.index('<option value="')
    assert intercom[first:].startswith(f'<option value="{group.pk}"')
