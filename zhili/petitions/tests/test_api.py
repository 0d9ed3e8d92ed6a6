"""The petitions API: register (group visit limit naming the field), list, detail, act,
documents, scope, and the key-petitioner register's gate."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhili.core.models import AuditLog
from zhili.petitions import services
from zhili.petitions.models import Petition, State
from zhili.petitions.tests.conftest import ID_A, ID_B, ID_C, ID_D, ID_E, ID_F, advance

TZ = ZoneInfo("Asia/Shanghai")
BODY = {
    "form": "visit",
    "kind": "claim",
    "category": "land",
    "title": "征地补偿款未足额发放",
    "matter": "村里修路征收承包地，补偿款只发了一半。",
    "township": "320722901",
    "petitioners": [{"name": "王秀英", "id_number": ID_A, "phone": "13805181234"}],
}


def api(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict) -> Any:
    return client.post(url, body, content_type="application/json")


def test_register_list_detail(staff: Any) -> None:
    client = api(staff.petition)
    created = post(client, "/api/v1/petitions", BODY)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["number"] == "XF2026-000001" and data["state"] == "registered"
    assert data["parties"][0]["id_number"] == "320722********0017"
    assert data["actions"] == ["assign", "not_accept"]
    listed = client.get("/api/v1/petitions?state=registered").json()
    assert [p["number"] for p in listed["items"]] == ["XF2026-000001"]
    assert listed["next_cursor"] is None
    assert client.get("/api/v1/petitions/XF2026-000001").json()["matter"].startswith("村里")


def test_six_representatives_are_a_422_naming_the_field(staff: Any) -> None:
    reps = [
        {"name": f"代表{i}", "id_number": n}
        for i, n in enumerate([ID_A, ID_B, ID_C, ID_D, ID_E, ID_F])
    ]
    response = post(
        api(staff.petition),
        "/api/v1/petitions",
        {**BODY, "is_group": True, "people_count": 50, "petitioners": [], "representatives": reps},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "representatives"
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "nope"}, "category"),
        (
            {"petitioners": [{"name": "张三", "id_number": "320722198503150018"}]},
            "petitioners[0].id_number",
        ),
        ({"form": "email"}, "form"),
        ({"received_on": "1999-01-01"}, "received_on"),
    ],
)
def test_bad_registration_names_the_field(staff: Any, change: dict, field: str) -> None:
    response = post(api(staff.petition), "/api/v1/petitions", {**BODY, **change})
    assert response.status_code == 422 and response.json()["field"] == field


def test_acting_through_the_api(register: Any, staff: Any) -> None:
    petition = register()
    office, town = api(staff.petition), api(staff.township)
    url = f"/api/v1/petitions/{petition.number}/act"
    assert (
        post(office, url, {"action": "assign", "handling_unit": "320722901"}).json()["field"]
        == "route"
    )
    body = post(
        office, url, {"action": "assign", "handling_unit": "320722901", "route": "department_duty"}
    ).json()
    assert body["state"] == "assigned" and body["handling_unit"]["code"] == "320722901"
    assert post(town, url, {"action": "accept"}).json()["state"] == "accepted"
    bad = post(town, url, {"action": "extend", "days": 31, "reason": "复杂"})
    assert bad.status_code == 422 and bad.json()["field"] == "days"
    replied = post(
        town,
        url,
        {
            "action": "reply",
            "facts": "已查明",
            "outcome": "support",
            "reply": "予以支持",
            "basis": "《土地管理法》第四十八条",
        },
    )
    assert replied.json()["state"] == "replied" and "reply" in replied.json()["documents"]
    doc = town.get(f"/api/v1/petitions/{petition.number}/documents/reply")
    assert doc.status_code == 200 and doc["Content-Type"].startswith("application/vnd.openxml")
    assert post(town, url, {"action": "close"}).status_code == 403


def test_a_review_on_day_31_is_a_409_naming_the_date(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "deliver")
    with time_machine.travel(datetime(2026, 12, 27, 9, 0, tzinfo=TZ)):
        response = post(
            api(staff.petition),
            f"/api/v1/petitions/{petition.number}/act",
            {"action": "request_review", "reason": "不服"},
        )
    assert response.status_code == 409
    body = response.json()
    assert "2026年12月26日" in body["detail"] and body["field"] == "requested_on"


def test_a_repeat_after_re_review_says_so(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    for action, params in [
        ("request_review", {"reason": "不服"}),
        ("decide_review", {"opinion": "维持"}),
        ("request_re_review", {"reason": "不服"}),
        ("decide_re_review", {"opinion": "维持"}),
    ]:
        petition = services.petition_act(
            actor=staff.petition, petition=petition, action=action, **params
        )
    data = post(api(staff.petition), "/api/v1/petitions", BODY).json()
    assert data["repeat_flag"] == "已经复核终结，同一事实和理由不再受理"
    assert data["repeat_of"] == petition.number and data["state"] == State.NOT_ACCEPTED
    assert "not_accepted" in data["documents"]


def test_scope_out_is_404(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    assert api(staff.township2).get(f"/api/v1/petitions/{petition.number}").status_code == 404
    assert api(staff.township2).get("/api/v1/petitions").json() == {
        "items": [],
        "next_cursor": None,
    }
    response = post(
        api(staff.township2), f"/api/v1/petitions/{petition.number}/act", {"action": "accept"}
    )
    assert response.status_code == 404


def test_key_petitioners_api(register: Any, staff: Any) -> None:
    petition = register()
    record = services.key_petitioner_list(
        actor=staff.petition,
        petitioner=petition.parties.get().petitioner,
        reason="多次越级上访",
        level="close",
        responsible_unit="320722901",
    )
    data = api(staff.leader).get("/api/v1/petitions/key-petitioners").json()
    assert data[0]["name"] == "王秀英" and data[0]["petitions"] == [petition.number]
    assert data[0]["id_number"] == "320722********0017"
    assert (
        api(staff.petition).get(f"/api/v1/petitions/key-petitioners/{record.pk}").status_code == 200
    )
    assert AuditLog.objects.filter(action__startswith="petitions.key_petitioner.view").count() == 2
    staff.admin.is_superuser = True
    staff.admin.save()
    for who in (staff.admin, staff.dispatcher, staff.police, staff.township, staff.outsider):
        assert api(who).get("/api/v1/petitions/key-petitioners").status_code in (401, 404)
        assert api(who).get(f"/api/v1/petitions/key-petitioners/{record.pk}").status_code in (
            401,
            404,
        )
