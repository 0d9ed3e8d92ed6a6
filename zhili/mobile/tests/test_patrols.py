"""Patrols over the phone API: start, point batches (idempotent by client id), end."""

import json
import math
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.core.models import AuditLog, OutboxEvent
from zhili.mobile.models import Patrol, PatrolPoint
from zhili.mobile.templatetags.mobile_tags import distance, duration
from zhili.mobile.track import EARTH_RADIUS_M, Fix, haversine_m, track_length_m

STEP = 0.001  # degrees of latitude between consecutive points
STEP_M = EARTH_RADIUS_M * math.radians(STEP)  # the length of one step, from the definition


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def start(client: Any, grid: str, **extra: Any) -> tuple[str, Any]:
    pid = str(uuid.uuid4())
    body = {"id": pid, "grid": grid, "started_at": timezone.now().isoformat(), **extra}
    return pid, post(client, "/m/api/patrols", body)


def point(seq: int, lat: float, accuracy: float | None = 8.0, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "lat": lat,
        "lng": 118.705,
        "accuracy": accuracy,
        "at": timezone.now().isoformat(),
        **extra,
    }


def walk(n: int) -> list[dict[str, Any]]:
    return [point(i, 34.501 + i * STEP) for i in range(1, n + 1)]


def test_track_length_is_the_sum_of_the_legs():
    fixes = [Fix(34.5 + i * STEP, 118.7) for i in range(4)]
    assert track_length_m(fixes) == pytest.approx(3 * STEP_M, rel=1e-9)
    assert haversine_m(Fix(0, 0), Fix(0, 1)) == pytest.approx(EARTH_RADIUS_M * math.pi / 180)
    # An imprecise fix (a cell-tower fallback 2 km off) is not counted.
    jumpy = [fixes[0], Fix(34.52, 118.72, accuracy_m=2000), fixes[1]]
    assert track_length_m(jumpy) == pytest.approx(STEP_M)


def test_a_whole_patrol(phone, workers, tree):
    pid, response = start(phone, tree.g111.code)
    assert response.status_code == 201, response.content
    patrol = Patrol.objects.get(client_id=pid)
    assert patrol.worker == workers.me and patrol.grid == tree.g111 and patrol.ended_at is None

    batch = walk(3)
    response = post(phone, f"/m/api/patrols/{pid}/points", {"points": batch})
    assert response.status_code == 200, response.content
    assert response.json()["point_count"] == 3
    assert response.json()["distance_m"] == pytest.approx(2 * STEP_M, abs=0.1)

    response = post(
        phone,
        f"/m/api/patrols/{pid}/end",
        {"ended_at": (timezone.now() + timedelta(seconds=1)).isoformat(), "note": "网格内正常"},
    )
    assert response.status_code == 200, response.content
    patrol.refresh_from_db()
    assert patrol.ended_at is not None and patrol.note == "网格内正常"
    assert patrol.duration_seconds is not None and patrol.duration_seconds >= 0
    assert patrol.distance_m == pytest.approx(2 * STEP_M, abs=0.1)
    assert AuditLog.objects.filter(action="mobile.patrol.end", target_id=str(patrol.pk)).exists()
    assert OutboxEvent.objects.filter(name="mobile.patrol_ended").count() == 1

    # Ending again (a resend from the offline queue) changes nothing.
    again = post(phone, f"/m/api/patrols/{pid}/end", {"ended_at": timezone.now().isoformat()})
    assert again.status_code == 200
    assert OutboxEvent.objects.filter(name="mobile.patrol_ended").count() == 1

    # The list shows it with its distance and duration.
    page = phone.get("/m/patrols/").content.decode()
    assert f"patrol-{pid}" in page
    assert distance(patrol.distance_m) in page and duration(patrol.duration_seconds) in page


def test_starting_twice_is_one_patrol(phone, workers, tree):
    pid, first = start(phone, tree.g111.code)
    again = post(
        phone,
        "/m/api/patrols",
        {"id": pid, "grid": tree.g111.code, "started_at": timezone.now().isoformat()},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert Patrol.objects.count() == 1


def test_point_batches_are_idempotent_and_ordered_by_seq(phone, workers, tree):
    pid, _ = start(phone, tree.g111.code)
    batch = walk(4)
    url = f"/m/api/patrols/{pid}/points"
    # The second half arrives first, then everything again (a lost answer, resent).
    assert post(phone, url, {"points": batch[2:]}).status_code == 200
    assert post(phone, url, {"points": batch}).status_code == 200
    assert post(phone, url, {"points": batch[:2]}).status_code == 200
    patrol = Patrol.objects.get(client_id=pid)
    assert PatrolPoint.objects.filter(patrol=patrol).count() == 4
    assert patrol.point_count == 4
    assert patrol.distance_m == pytest.approx(3 * STEP_M, abs=0.1)


def test_imprecise_points_are_kept_but_not_counted(phone, workers, tree):
    pid, _ = start(phone, tree.g111.code)
    batch = [point(1, 34.501), point(2, 34.53, accuracy=1500), point(3, 34.501 + STEP)]
    post(phone, f"/m/api/patrols/{pid}/points", {"points": batch})
    patrol = Patrol.objects.get(client_id=pid)
    assert patrol.point_count == 3
    assert patrol.distance_m == pytest.approx(STEP_M, abs=0.1)


def test_no_new_points_after_the_end(phone, workers, tree):
    pid, _ = start(phone, tree.g111.code)
    batch = walk(2)
    post(phone, f"/m/api/patrols/{pid}/points", {"points": batch})
    post(phone, f"/m/api/patrols/{pid}/end", {"ended_at": timezone.now().isoformat()})
    # A resend of known points is fine; a new point is refused.
    assert post(phone, f"/m/api/patrols/{pid}/points", {"points": batch}).status_code == 200
    late = post(phone, f"/m/api/patrols/{pid}/points", {"points": [point(3, 34.6)]})
    assert late.status_code == 409 and late.json()["code"] == "patrol_ended"


def test_future_times_are_clamped_to_now(phone, workers, tree):
    future = timezone.now() + timedelta(hours=3)  # a phone whose clock runs ahead
    pid = str(uuid.uuid4())
    body = {"id": pid, "grid": tree.g111.code, "started_at": future.isoformat()}
    assert post(phone, "/m/api/patrols", body).status_code == 201
    assert Patrol.objects.get(client_id=pid).started_at <= timezone.now()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"grid": "32072290100201"}, "grid"),  # G121: another worker's grid
        ({"grid": "nope"}, "grid"),
        ({"id": "x"}, "id"),
        ({"started_at": "yesterday"}, "started_at"),
        ({"started_at": "2020-01-01T08:00:00+08:00"}, "started_at"),
    ],
)
def test_start_refuses_bad_input(phone, workers, tree, body, field):
    data = {
        "id": str(uuid.uuid4()),
        "grid": tree.g111.code,
        "started_at": timezone.now().isoformat(),
    }
    data.update(body)
    response = post(phone, "/m/api/patrols", data)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Patrol.objects.exists()


@pytest.mark.parametrize(
    ("points", "field"),
    [
        ("not a list", "points"),
        ([], "points"),
        (
            [{"id": "x", "seq": 1, "lat": 34.5, "lng": 118.7, "at": "2026-11-26T18:00:00+08:00"}],
            "points[0].id",
        ),
        ([{"seq": 1, "lat": 134.5, "lng": 118.7}], "points[0].lat"),
        ([{"seq": 1, "lat": 34.5}], "points[0]"),
        (
            [{"id": str(uuid.UUID(int=1)), "seq": 1, "lat": 34.5, "lng": 118.7, "at": "now"}],
            "points[0].at",
        ),
    ],
)
def test_points_refuse_bad_input(phone, workers, tree, points, field):
    pid, _ = start(phone, tree.g111.code)
    response = post(phone, f"/m/api/patrols/{pid}/points", {"points": points})
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not PatrolPoint.objects.exists()


def test_another_workers_patrol_is_not_found(client, phone, workers, tree):
    pid, _ = start(phone, tree.g111.code)
    client.force_login(workers.other)
    assert post(client, f"/m/api/patrols/{pid}/points", {"points": walk(1)}).status_code == 404
    ended = post(client, f"/m/api/patrols/{pid}/end", {"ended_at": timezone.now().isoformat()})
    assert ended.status_code == 404
    reused = post(
        client,
        "/m/api/patrols",
        {"id": pid, "grid": tree.g121.code, "started_at": timezone.now().isoformat()},
    )
    assert reused.status_code == 409
    assert Patrol.objects.get(client_id=pid).ended_at is None


def test_non_grid_workers_cannot_patrol(client, staff, tree):
    client.force_login(staff.village)
    _pid, response = start(client, tree.g111.code)
    assert response.status_code == 403
