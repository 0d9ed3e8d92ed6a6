"""Forces: the handheld's positions (once per point id, the last position only forward), the
statuses of its team type, the scoped list, the nearest available forces and the pruning."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhili.conftest import Tree
from zhili.core.errors import InvalidInput
from zhili.core.models import AuditLog
from zhili.forces import selectors, services
from zhili.forces.models import IDLE, OFFLINE, Position, StatusChange
from zhili.forces.tests.conftest import HERE, place

pytestmark = pytest.mark.django_db


def point(lat: float, lng: float, ago_s: float = 0, **extra: Any) -> dict[str, Any]:
    at = timezone.now() - timedelta(seconds=ago_s)
    return {"id": str(uuid.uuid4()), "lat": lat, "lng": lng, "at": at.isoformat(), **extra}


def post(client: Client, url: str, body: object) -> Any:
    return client.post(url, body, content_type="application/json")


# --- the handheld's positions --------------------------------------------------------------------


def test_a_batch_is_stored_once_and_the_last_position_only_moves_forward(
    client: Client, forces: Tree
) -> None:
    client.force_login(forces.hand)
    batch = [point(34.5001, 118.7001, 30, accuracy=8), point(34.5002, 118.7002, 15, accuracy=6)]
    answer = post(client, "/api/v1/forces/positions", {"points": batch})
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"force": "F-A", "accepted": 2, "duplicates": 0}
    # The offline queue sends the batch again after a lost answer: nothing is written twice.
    again = post(client, "/api/v1/forces/positions", {"points": batch})
    assert again.json() == {"force": "F-A", "accepted": 0, "duplicates": 2}
    assert Position.objects.filter(force=forces.a).count() == 2
    forces.a.refresh_from_db()
    assert (forces.a.lat, forces.a.lng, forces.a.accuracy_m) == (34.5002, 118.7002, 6)
    # An older batch arriving late is kept in the history but does not move the force back.
    late = post(client, "/api/v1/forces/positions", {"points": [point(34.6, 118.8, 600)]})
    assert late.json()["accepted"] == 1
    forces.a.refresh_from_db()
    assert (forces.a.lat, forces.a.lng) == (34.5002, 118.7002)
    assert Position.objects.filter(force=forces.a).count() == 3


def test_a_database_too_busy_to_write_is_a_503_the_handheld_retries(
    client: Client, forces: Tree, monkeypatch: Any
) -> None:
    """SQLite under load answered 500 "database is locked" (bench forces, 200 handhelds on two
    loaded cores). The lock itself is not reproduced here: the service raises what SQLite
    raised, and the API's answer is what is tested."""
    from django.db import OperationalError

    def locked(**_: Any) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "positions_report", locked)
    client.force_login(forces.hand)
    answer = post(client, "/api/v1/forces/positions", {"points": [point(34.5, 118.7)]})
    assert answer.status_code == 503 and answer["Retry-After"] == "5"
    assert answer.json()["code"] == "database_busy" and "稍后重试" in answer.json()["detail"]


def test_positions_from_an_account_that_is_no_force_are_refused(
    client: Client, forces: Tree, personas: Tree
) -> None:
    client.force_login(personas.gridworker)
    answer = post(client, "/api/v1/forces/positions", {"points": [point(34.5, 118.7)]})
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_a_force"
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"points": [{**point(34.5, 118.7), "lat": 200}]}, "lat"),
        ({"points": [{**point(34.5, 118.7), "id": "not-a-uuid"}]}, "id"),
        ({"points": [{**point(34.5, 118.7), "at": "2026-12-01T08:00:00"}]}, "at"),
        ({"points": "everywhere"}, "points"),
        ({"points": []}, "points"),
    ],
)
def test_bad_points_are_a_4xx_naming_the_field(
    client: Client, forces: Tree, body: dict[str, Any], field: str
) -> None:
    client.force_login(forces.hand)
    answer = post(client, "/api/v1/forces/positions", body)
    assert answer.status_code in (400, 422), answer.content
    assert field in (answer.json().get("field") or "")
    assert not Position.objects.exists()


def test_a_point_from_the_future_is_taken_as_now_and_one_too_old_is_refused(
    forces: Tree,
) -> None:
    now = timezone.now()
    ahead = services.PositionIn(uuid.uuid4(), 34.5, 118.7, now + timedelta(hours=2))
    services.positions_report(actor=forces.hand, points=[ahead])
    stored = Position.objects.get()
    assert now <= stored.at <= timezone.now()
    # A batch from a phone whose clock runs ahead: all taken as now, the last fix is the last.
    ahead_more = now + timedelta(hours=2, seconds=15)
    batch = [
        services.PositionIn(uuid.uuid4(), 34.51, 118.71, now + timedelta(hours=2)),
        services.PositionIn(uuid.uuid4(), 34.52, 118.72, ahead_more),
    ]
    services.positions_report(actor=forces.hand, points=batch)
    forces.a.refresh_from_db()
    assert (forces.a.lat, forces.a.lng) == (34.52, 118.72)
    old = services.PositionIn(uuid.uuid4(), 34.5, 118.7, now - timedelta(days=91))
    fresh = services.PositionIn(uuid.uuid4(), 34.5, 118.7, now)
    with pytest.raises(InvalidInput) as refused:
        services.positions_report(actor=forces.hand, points=[fresh, old])
    assert refused.value.field == "points[1].at"
    assert Position.objects.count() == 3  # the whole batch was refused, nothing half-written


# --- statuses ------------------------------------------------------------------------------------


def test_the_handheld_sets_its_own_status_from_its_team_types_list(
    client: Client, forces: Tree
) -> None:
    client.force_login(forces.hand)
    answer = post(client, "/api/v1/forces/F-A/status", {"status": "visiting"})
    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], answer.json()["status_label"]) == ("visiting", "走访中")
    change = StatusChange.objects.get(force=forces.a)
    assert (change.from_status, change.to_status, change.by) == (OFFLINE, "visiting", forces.hand)
    row = AuditLog.objects.get(action="forces.force.status")
    assert (row.extra["from_status"], row.extra["to_status"]) == (OFFLINE, "visiting")
    # A status of another team type (the police's 到场) is not one of the grid's.
    refused = post(client, "/api/v1/forces/F-A/status", {"status": "on_scene"})
    assert refused.status_code == 422
    assert refused.json()["field"] == "status" and "visiting（走访中）" in refused.json()["detail"]
    # Another force's status is not the handheld's to set, nor in its sight.
    other = post(client, "/api/v1/forces/F-B/status", {"status": "visiting"})
    assert other.status_code == 404


def test_a_desk_sets_the_status_of_the_forces_it_commands_only(
    client: Client, forces: Tree, personas: Tree
) -> None:
    client.force_login(personas.township)  # 甲镇
    assert post(client, "/api/v1/forces/F-B/status", {"status": IDLE}).status_code == 200
    assert post(client, "/api/v1/forces/F-C/status", {"status": IDLE}).status_code == 404
    client.force_login(personas.leader)  # watches all, commands none
    assert post(client, "/api/v1/forces/F-C/status", {"status": IDLE}).status_code == 403


# --- the list ------------------------------------------------------------------------------------


def codes(answer: Any) -> list[str]:
    return [item["code"] for item in answer.json()["items"]]


def test_each_desk_lists_the_forces_under_it_and_stale_ones_say_so(
    client: Client, forces: Tree, personas: Tree
) -> None:
    place(forces.a, *HERE, ago_s=30)
    place(forces.b, *HERE, ago_s=180)  # older than 2 minutes
    client.force_login(personas.dispatcher)
    assert sorted(codes(client.get("/api/v1/forces"))) == ["F-A", "F-B", "F-C", "F-P"]
    client.force_login(personas.township)
    listed = client.get("/api/v1/forces").json()["items"]
    # 甲镇's own teams: not 乙乡's F-C, nor the county police's patrol.
    assert {item["code"]: item["stale"] for item in listed} == {"F-A": False, "F-B": True}
    client.force_login(personas.leader)
    never = {i["code"]: i["stale"] for i in client.get("/api/v1/forces").json()["items"]}
    assert never["F-C"] is True  # never located: stale too
    client.force_login(personas.police)  # 公安局: its own patrol only
    assert codes(client.get("/api/v1/forces")) == ["F-P"]
    client.force_login(personas.gridworker)  # no forces.view
    assert codes(client.get("/api/v1/forces")) == []


def test_near_lists_nearest_first_in_keyset_pages(
    client: Client, forces: Tree, personas: Tree
) -> None:
    place(forces.a, 34.5090, 118.700)  # ~1,000 m north
    place(forces.b, 34.5018, 118.700)  # ~200 m
    place(forces.c, 34.5045, 118.700)  # ~500 m
    place(forces.police, 34.600, 118.700)  # ~11 km, outside the radius
    client.force_login(personas.dispatcher)
    first = client.get("/api/v1/forces", {"near": "34.5,118.7,2000", "limit": 2}).json()
    assert [i["code"] for i in first["items"]] == ["F-B", "F-C"]
    rest = client.get(
        "/api/v1/forces", {"near": "34.5,118.7,2000", "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert ([i["code"] for i in rest["items"]], rest["next_cursor"]) == (["F-A"], None)
    bad = client.get("/api/v1/forces", {"near": "34.5,118.7"})
    assert bad.status_code == 422 and bad.json()["field"] == "near"


# --- the nearest available forces ----------------------------------------------------------------


def test_the_nearest_available_are_idle_fresh_and_ordered_with_their_arrival_time(
    forces: Tree, personas: Tree
) -> None:
    place(forces.a, 34.5090, 118.700)  # ~1,000 m, idle, fresh: a grid worker on foot
    place(forces.b, 34.5018, 118.700, ago_s=150)  # nearest, but stale
    place(forces.c, 34.5045, 118.700, status="visiting")  # busy
    place(forces.police, 34.5270, 118.700)  # ~3,000 m, a patrol car
    found = selectors.nearest_available(user=personas.dispatcher, lat=HERE[0], lng=HERE[1], limit=5)
    assert [c.force.code for c in found] == ["F-A", "F-P"]
    walker, car = found
    assert 990 < walker.distance_m < 1010 and 2990 < car.distance_m < 3020
    assert walker.eta_s == round(walker.distance_m / (5 / 3.6))  # 5 km/h: about 12 minutes
    assert car.eta_s == round(car.distance_m / (36 / 3.6))  # 36 km/h: about 5 minutes
    # A township commands its own: 甲镇's grid worker, not the county police's patrol.
    mine = selectors.nearest_available(user=personas.township, lat=HERE[0], lng=HERE[1], limit=5)
    assert [c.force.code for c in mine] == ["F-A"]


# --- pruning -------------------------------------------------------------------------------------


def test_positions_older_than_the_kept_period_are_pruned(forces: Tree, settings: Any) -> None:
    settings.FORCES_POSITION_DAYS = 90
    now = timezone.now()
    for days in (1, 89, 91, 200):
        Position.objects.create(
            force=forces.a,
            client_id=uuid.uuid4(),
            lat=34.5,
            lng=118.7,
            at=now - timedelta(days=days),
        )
    assert services.positions_prune(now) == 2
    kept = sorted((now - p.at).days for p in Position.objects.all())
    assert kept == [1, 89]
