"""Bad input to the petitions API is a 4xx naming the field, never a 500: every action with
an empty or odd body from each side, in every state the main path reaches, and hostile
values in the registration."""

from typing import Any

import pytest
from django.test import Client

from zhili.petitions import workflow
from zhili.petitions.tests.conftest import advance

ODD = [
    {},
    {"days": -1},
    {"days": 10**12},
    {"rating": "great"},
    {"handling_unit": "\x00"},
    {"reason": "x" * 3000},
    {"unit": "nope", "reason": "不服"},
    {"handling_unit": "320722", "route": "arbitration"},
]


def api(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("upto", ["", "assign", "accept", "start", "reply", "close"])
def test_every_action_with_odd_bodies_is_a_4xx(register: Any, staff: Any, upto: str) -> None:
    petition = register()
    if upto:
        petition = advance(petition, staff, upto)
    url = f"/api/v1/petitions/{petition.number}/act"
    for user in (staff.petition, staff.township, staff.police):
        client = api(user)
        for action in workflow.TRANSITIONS:
            for body in ODD:
                response = client.post(
                    url, {"action": action, **body}, content_type="application/json"
                )
                assert response.status_code < 500, (action, body, response.content)
                if response.status_code >= 400:
                    assert "detail" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"petitioners": [{"name": "\x00"}]},
        {"petitioners": [{"name": "张三", "phone": "1" * 20}]},
        {"people_count": 0},
        {"people_count": 10**9},
        {"title": "\x00"},
        {"township": "\x00"},
        {"received_on": "2099-12-31"},
        {"representatives": [{"name": "甲"}], "is_group": False},
        {"kind": "accusation", "route": "litigation"},
        {"petitioners": "王秀英"},
        {"matter": None},
    ],
)
def test_odd_registrations_are_a_4xx_with_a_field(staff: Any, body: dict) -> None:
    base = {
        "form": "visit",
        "kind": "claim",
        "category": "land",
        "title": "标题",
        "matter": "反映的事项内容较长一些",
        "petitioners": [{"name": "王秀英"}],
    }
    response = api(staff.petition).post(
        "/api/v1/petitions", {**base, **body}, content_type="application/json"
    )
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response.json()["field"]


def test_unknown_document_kind_and_number(register: Any, staff: Any) -> None:
    petition = register()
    client = api(staff.petition)
    assert client.get(f"/api/v1/petitions/{petition.number}/documents/memo").status_code == 422
    assert client.get(f"/api/v1/petitions/{petition.number}/documents/reply").status_code == 409
    assert client.get("/api/v1/petitions/XF2099-000001").status_code == 404
    assert client.get("/api/v1/petitions/key-petitioners/999999999999").status_code in (404, 422)
