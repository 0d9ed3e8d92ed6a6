"""The API under /api/v1/receptions: the rota, appointments (book, cancel, no-show), reception
records and 包案, scoped, with clear 4xx naming the field."""

from typing import Any

import pytest

from zhili.cases.tests.test_api import error, get, post

pytestmark = pytest.mark.django_db
API = "/api/v1/receptions"


def test_the_rota_is_set_and_listed(client: Any, rx: Any) -> None:
    body = {"organization": "320722", "date": "2026-11-27", "leader": "leader2", "slots": 4}
    answer = post(client, rx.petition, f"{API}/rota", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["leader"] == {"username": "leader2", "name": "李副县长"}
    listed = get(client, rx.dispatcher, f"{API}/rota?start=2026-11-01&end=2026-11-30").json()
    assert [d["date"] for d in listed["items"]] == ["2026-11-27"]
    assert listed["next_cursor"] is None
    township = get(client, rx.township, f"{API}/rota?start=2026-11-01&end=2026-11-30").json()
    assert township == {"items": [], "next_cursor": None}
    saturday = post(client, rx.petition, f"{API}/rota", {**body, "date": "2026-11-28"})
    error(saturday, 422, field="date")
    error(
        post(client, rx.petition, f"{API}/rota", {**body, "leader": "nobody"}), 404, field="leader"
    )
    error(post(client, rx.leader, f"{API}/rota", body), 403)
    error(
        get(client, rx.dispatcher, f"{API}/rota?start=2026-11-30&end=2026-11-01"), 422, field="end"
    )


def test_booking_cancelling_and_the_refusals(client: Any, rx: Any, county_day: Any) -> None:
    body = {
        "rota_day": county_day.pk,
        "slot_time": "09:00",
        "subject": "征地补偿",
        "visitor_name": "赵六",
        "visitor_phone": "13900001111",
    }
    booked = post(client, rx.petition, f"{API}/appointments", body)
    assert booked.status_code == 200, booked.content
    assert (booked.json()["state"], booked.json()["phone"]) == ("booked", "139****1111")
    error(post(client, rx.petition, f"{API}/appointments", body), 409, field="slot_time")
    for slot in ("09:30", "10:00"):
        post(client, rx.petition, f"{API}/appointments", {**body, "slot_time": slot})
    full = post(client, rx.petition, f"{API}/appointments", {**body, "slot_time": "10:30"})
    assert "预约已满" in error(full, 409, field="rota_day")["detail"]
    error(
        post(client, rx.petition, f"{API}/appointments", {**body, "rota_day": 999999}),
        404,
        field="rota_day",
    )
    bad_petition = {**body, "slot_time": "11:00", "petition": "XF-none"}
    error(post(client, rx.petition, f"{API}/appointments", bad_petition), 404, field="petition")
    pk = booked.json()["id"]
    error(
        post(client, rx.petition, f"{API}/appointments/{pk}/cancel", {"reason": " "}),
        422,
        field="reason",
    )
    cancelled = post(client, rx.petition, f"{API}/appointments/{pk}/cancel", {"reason": "本人撤回"})
    assert cancelled.json()["state"] == "cancelled"
    listed = get(client, rx.leader, f"{API}/appointments?rota_day={county_day.pk}&state=booked")
    # Keyset pages (issue 13) run newest first: the last booked comes first.
    assert [a["slot_time"] for a in listed.json()["items"]] == ["10:00:00", "09:30:00"]
    error(get(client, rx.leader, f"{API}/appointments?state=nope"), 422, field="state")


def test_recording_a_joint_video_reception(client: Any, rx: Any, county_day: Any) -> None:
    booked = post(
        client,
        rx.petition,
        f"{API}/appointments",
        {
            "rota_day": county_day.pk,
            "slot_time": "09:00",
            "subject": "欠薪",
            "visitor_name": "赵六",
            "visitor_phone": "13900001111",
        },
    ).json()
    body = {
        "appointment": booked["id"],
        "mode": "video",
        "request": "讨薪",
        "decision": "人社局督办",
        "departments": ["320722-RSJ", "320722-SFJ"],
        "staff": ["petition"],
        "assigned_unit": "320722-RSJ",
        "deadline": "2026-12-03",
    }
    error(post(client, rx.leader, f"{API}/records", {**body, "mode": "phone"}), 422, field="mode")
    error(
        post(client, rx.leader, f"{API}/records", {**body, "departments": ["X"]}),
        422,
        field="departments",
    )
    error(post(client, rx.leader2, f"{API}/records", body), 403)
    answer = post(client, rx.leader, f"{API}/records", body)
    assert answer.status_code == 200, answer.content
    record = answer.json()
    assert (record["mode_label"], record["video_room"]) == ("视频接访", "")
    assert sorted(d["code"] for d in record["departments"]) == ["320722-RSJ", "320722-SFJ"]
    assert (
        get(client, rx.petition, f"{API}/appointments?state=received").json()["items"][0]["id"]
        == booked["id"]
    )
    listed = get(client, rx.dispatcher, f"{API}/records?leader=leader").json()
    assert [r["id"] for r in listed["items"]] == [record["id"]]
    assert get(client, rx.township, f"{API}/records").json()["items"] == []


def test_ownership_through_the_api(client: Any, rx: Any, make_petition: Any) -> None:
    petition = make_petition()
    body = {"leader": "leader", "petition": petition.number, "target_date": "2026-12-31"}
    owned = post(client, rx.leader, f"{API}/ownerships", body)
    assert owned.status_code == 200, owned.content
    pk = owned.json()["id"]
    error(post(client, rx.petition, f"{API}/ownerships", body), 409, field="petition")
    error(
        post(client, rx.leader, f"{API}/ownerships", {**body, "petition": "XF0"}),
        404,
        field="petition",
    )
    post(client, rx.leader, f"{API}/ownerships/{pk}/progress", {"note": "约谈企业负责人"})
    resolved = post(client, rx.leader, f"{API}/ownerships/{pk}/resolve", {"resolution": "已结清"})
    assert resolved.json()["state"] == "resolved"
    assert [n["action"] for n in resolved.json()["notes"]] == ["assign", "progress", "resolve"]
    resolved_list = get(client, rx.dispatcher, f"{API}/ownerships?state=resolved").json()
    assert [o["id"] for o in resolved_list["items"]] == [pk]
    error(get(client, rx.dispatcher, f"{API}/ownerships?state=x"), 422, field="state")
    error(post(client, rx.leader, f"{API}/ownerships/99999999999/progress", {"note": "x"}), 404)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{API}/appointments?limit=99999999999999999999999", "limit"),
        (f"{API}/appointments?cursor=not-a-cursor", "cursor"),
        (f"{API}/records?limit=0", "limit"),
        (f"{API}/appointments?rota_day=99999999999999", "rota_day"),
        (f"{API}/rota?organization=%00", "organization"),
        (f"{API}/records?start=1999-01-01", "start"),
    ],
)
def test_bad_input_is_a_422(client: Any, rx: Any, url: str, field: str) -> None:
    error(get(client, rx.dispatcher, url), 422, field=field)
