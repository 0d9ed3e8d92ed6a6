"""The appointment's actions through the dossier kernel's endpoint (issue 13):
`POST /api/v1/receptions/appointments/{id}/actions/{action}` answers the appointment with its
actions and history; the older per-action paths still answer (deprecated in the OpenAPI); the
lists answer keyset pages."""

from datetime import time
from typing import Any

import pytest

from zhili.cases.tests.test_api import error, get, post
from zhili.receptions.models import Reception
from zhili.receptions.services import rota_set
from zhili.receptions.tests.conftest import FRIDAY, booked

pytestmark = pytest.mark.django_db
API = "/api/v1/receptions"


def test_the_detail_names_the_actions_and_the_history(
    client: Any, rx: Any, county_day: Any
) -> None:
    appointment = booked(rx, county_day)
    detail = get(client, rx.leader, f"{API}/appointments/{appointment.pk}").json()
    assert (detail["state"], detail["actions"]) == ("booked", ["receive", "no_show"])
    assert [(h["action"], h["label"], h["actor"]) for h in detail["history"]] == [
        ("book", "预约登记", "petition")
    ]
    staff = get(client, rx.petition, f"{API}/appointments/{appointment.pk}").json()
    assert staff["actions"] == ["receive", "cancel", "no_show"]  # petition staff arrange
    for key in ("x1", "99999999999", "0"):
        error(get(client, rx.leader, f"{API}/appointments/{key}"), 404)
    error(get(client, rx.township, f"{API}/appointments/{appointment.pk}"), 404)


def test_cancel_and_no_show_by_the_action_endpoint(client: Any, rx: Any, county_day: Any) -> None:
    first, second = booked(rx, county_day), booked(rx, county_day, time(9, 30))
    url = f"{API}/appointments/{first.pk}/actions"
    error(post(client, rx.petition, f"{url}/cancel", {}), 422, field="reason")
    error(post(client, rx.leader, f"{url}/cancel", {"reason": "x"}), 403)  # a leader's role
    error(post(client, rx.township, f"{url}/cancel", {"reason": "x"}), 404)  # out of sight
    error(post(client, rx.petition, f"{url}/explode", {}), 422, field="action")
    cancelled = post(client, rx.petition, f"{url}/cancel", {"reason": "本人撤回"})
    assert cancelled.status_code == 200, cancelled.content
    body = cancelled.json()
    assert (body["state"], body["cancel_reason"], body["actions"]) == ("cancelled", "本人撤回", [])
    assert [h["label"] for h in body["history"]] == ["预约登记", "取消预约"]
    error(post(client, rx.petition, f"{url}/cancel", {"reason": "再次"}), 409, code="wrong_state")
    # The path of one action per endpoint still answers (deprecated in the OpenAPI).
    no_show = post(client, rx.leader, f"{API}/appointments/{second.pk}/no-show", {"note": "未接"})
    assert (no_show.status_code, no_show.json()["state"]) == (200, "no_show")


def test_no_show_waits_for_the_day(client: Any, rx: Any) -> None:
    friday = rota_set(actor=rx.petition, organization=rx.tree.county, day=FRIDAY, leader=rx.leader)
    appointment = booked(rx, friday)
    early = post(client, rx.leader, f"{API}/appointments/{appointment.pk}/actions/no_show", {})
    assert "尚未到" in error(early, 409, field="rota_day")["detail"]


def test_receive_by_the_action_endpoint_names_units_and_staff_by_code(
    client: Any, rx: Any, county_day: Any
) -> None:
    appointment = booked(rx, county_day)
    url = f"{API}/appointments/{appointment.pk}/actions/receive"
    body = {
        "mode": "video",
        "request": "讨薪",
        "decision": "人社局督办",
        "departments": ["320722-RSJ", "320722-SFJ"],
        "staff": ["petition"],
        "assigned_unit": "320722-RSJ",
        "deadline": "2026-12-03",
    }
    error(post(client, rx.leader, url, {**body, "departments": ["X"]}), 422, field="departments")
    error(post(client, rx.leader, url, {**body, "staff": ["nobody"]}), 404, field="staff")
    error(post(client, rx.leader, url, {**body, "mode": "phone"}), 422, field="mode")
    error(post(client, rx.leader2, url, body), 403)  # another leader's day
    answer = post(client, rx.leader, url, body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "received"
    assert [h["action"] for h in answer.json()["history"]] == ["book", "receive"]
    reception = Reception.objects.get(appointment=appointment)
    assert (reception.mode, reception.assigned_unit) == ("video", rx.rsj)
    assert {d.code for d in reception.departments.all()} == {"320722-RSJ", "320722-SFJ"}
    assert list(reception.staff.all()) == [rx.petition]


def test_the_lists_page_by_keyset(client: Any, rx: Any, county_day: Any) -> None:
    made = [booked(rx, county_day, slot) for slot in (time(8, 30), time(9, 0), time(9, 30))]
    seen: list[int] = []
    cursor = ""
    while True:
        page = get(client, rx.petition, f"{API}/appointments?limit=2&cursor={cursor}").json()
        seen += [a["id"] for a in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert seen == [a.pk for a in reversed(made)]  # newest booking first, none twice
