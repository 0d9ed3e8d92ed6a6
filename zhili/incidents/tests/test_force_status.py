"""A force's own status change (the handheld's one tap: 到场, 处置中) on the timeline of the
open incident it is dispatched to, through the forces' event; a department commands its own
teams only; the cameras within 500 m of an incident."""

import json
from typing import Any

import pytest
from django.test import Client

from zhili.conftest import make_org
from zhili.core import outbox
from zhili.core.events import load
from zhili.core.models import OutboxEvent
from zhili.forces.models import Force, Team
from zhili.incidents import handlers, selectors, services
from zhili.incidents.models import IncidentEvent
from zhili.incidents.tests.conftest import HERE, place
from zhili.video.models import Camera, CameraKind
from zhili.video.services import camera_save

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="zhili.orgs.auth.StaffBackend")
    return client


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def deliver_all() -> None:
    while outbox.deliver_pending(worker_id="test"):
        pass


def open_body(title: str) -> dict[str, Any]:
    return {"category": "QTJJ", "title": title, "lat": HERE[0], "lng": HERE[1], "level": "large"}


@pytest.fixture
def cop(forces: Any, tree: Any, make_user: Any) -> Any:
    """The patrol officer F-P with a handheld of his own, placed near HERE."""
    user = make_user("cop", tree.gaj, "police_officer", full_name="赵警官")
    forces.police.user = user
    forces.police.save()
    place(forces.police, HERE[0] + 0.003, HERE[1])
    return user


def test_a_handhelds_status_change_joins_the_timeline_of_its_open_incident(
    plans, forces, personas, cop
):
    desk = client_for(personas.dispatcher)
    number = post(desk, "/api/v1/incidents", open_body("村部门前聚集")).json()["number"]
    other = post(desk, "/api/v1/incidents", open_body("另一处聚集")).json()["number"]
    sent = post(desk, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-P"})
    assert sent.status_code == 200, sent.content
    hand = client_for(cop)
    for status in ("on_scene", "handling"):  # 到场, then 处置中, each with one tap
        answer = post(hand, "/api/v1/forces/F-P/status", {"status": status})
        assert answer.status_code == 200, answer.content
    deliver_all()

    timeline = desk.get(f"/api/v1/incidents/{number}/timeline").json()
    assert [e["action"] for e in timeline] == [
        "open",
        "task",
        "task",
        "dispatch",
        "status",
        "status",
    ]
    arrived, handling = timeline[4], timeline[5]
    assert (arrived["label"], arrived["note"]) == ("力量状态", "赵警官：已派遣 → 到场")
    assert handling["note"] == "赵警官：到场 → 处置中"
    assert arrived["actor"] == "赵警官" and arrived["data"]["force"] == "F-P"
    assert (handling["data"]["from_status"], handling["data"]["to_status"]) == (
        "on_scene",
        "handling",
    )
    # The dispatch's own 已派遣 is told by its dispatch row, not again; the incident the force
    # was not sent to hears nothing.
    assert not IncidentEvent.objects.filter(incident__number=other, action="status").exists()

    # Delivered again (at least once): still one row per change.
    for row in OutboxEvent.objects.filter(name="forces.status_changed"):
        handlers.note_force_status(load(row.name, row.payload))  # type: ignore[arg-type]
    assert IncidentEvent.objects.filter(incident__number=number, action="status").count() == 2

    # After the force's 完成, its statuses are no longer the incident's.
    dispatch_id = sent.json()["dispatches"][0]["id"]
    done = post(hand, f"/api/v1/incidents/dispatches/{dispatch_id}/answer", {"answer": "finish"})
    assert done.status_code == 200, done.content
    post(hand, "/api/v1/forces/F-P/status", {"status": "offline"})
    deliver_all()
    actions = [e["action"] for e in desk.get(f"/api/v1/incidents/{number}/timeline").json()]
    assert actions[-2:] == ["status", "finish"]

    page = desk.get(f"/incidents/{number}/").content.decode()
    assert 'class="tl-status"' in page and "赵警官：已派遣 → 到场" in page


def test_a_department_commands_its_own_teams_only(plans, forces, tree, make_user):
    """公安局's handler dispatches and sets the status of the police patrol, and is refused
    another department's team: out of its sight (404 on the force; 422 naming the force on a
    dispatch, as for a township)."""
    cgj = make_org("320722-CGJ", "城管局", "department", "county", tree.county)
    enforcement = Team.objects.create(
        code="CGJ-TEAM", name="城管执法队", team_type=forces.patrol, organization=cgj
    )
    other = Force.objects.create(code="F-CG", name="钱队员", team=enforcement)
    place(forces.police, HERE[0] + 0.002, HERE[1])
    place(other, HERE[0] + 0.001, HERE[1])
    police = client_for(make_user("gaj_desk", tree.gaj, "department_handler"))

    mine = post(police, "/api/v1/forces/F-P/status", {"status": "handling"})
    assert mine.status_code == 200 and mine.json()["status"] == "handling"
    theirs = post(police, "/api/v1/forces/F-CG/status", {"status": "handling"})
    assert theirs.status_code == 404
    other.refresh_from_db()
    assert other.status == "idle"
    listed = police.get("/api/v1/forces").json()["items"]
    assert [f["code"] for f in listed] == ["F-P"]

    post(police, "/api/v1/forces/F-P/status", {"status": "idle"})
    number = post(police, "/api/v1/incidents", open_body("路口聚集")).json()["number"]
    nearest = police.get(f"/api/v1/incidents/{number}/nearest-forces").json()
    assert [f["force"] for f in nearest] == ["F-P"]  # F-CG is nearer, but not 公安局's
    refused = post(police, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-CG"})
    assert refused.status_code == 422 and refused.json()["field"] == "force"
    sent = post(police, f"/api/v1/incidents/{number}/actions/dispatch", {"force": "F-P"})
    assert sent.status_code == 200, sent.content
    assert [d["force"] for d in sent.json()["dispatches"]] == ["F-P"]


def camera(code: str, owner: Any, lat: float, lng: float) -> Camera:
    made = Camera(
        code=code, name=f"点位{code[-2:]}", owner=owner, lat=lat, lng=lng, kind=CameraKind.HD_CAMERA
    )
    return camera_save(actor=None, camera=made)


def test_the_cameras_within_500_m_are_listed_with_their_play_link(plans, tree, township_commander):
    """The incident stands in 甲一村's grid (g111) near 乙乡's (g211, from 34.51 north)."""
    lat, lng = 34.509, 118.705
    near = camera("32072201001310000011", tree.v11, lat - 0.0027, lng)  # about 300 m south
    far = camera("32072201001310000012", tree.v11, lat, lng + 0.00764)  # about 700 m east
    hidden = camera("32072203001310000013", tree.v21, lat + 0.002, lng)  # 乙乡's, about 220 m
    incident = services.incident_open(
        actor=township_commander, category="QTJJ", title="桥头聚集", lat=lat, lng=lng, level="large"
    )
    page = client_for(township_commander).get(f"/incidents/{incident.number}/").content.decode()
    assert near.name in page and f'href="/video/cameras/{near.code}/"' in page
    assert f"/video/cameras/{far.code}/" not in page
    assert f"/video/cameras/{hidden.code}/" not in page
    found = selectors.cameras_near(user=township_commander, incident=incident)
    assert [c.code for c in found] == [near.code]
    assert 280 < found[0].distance_m < 320  # type: ignore[attr-defined]
