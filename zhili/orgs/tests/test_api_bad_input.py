"""Bad input the API fuzzer (zhili/core/tests/test_fuzz_api.py) once turned into a 500, and the
error statuses the OpenAPI document declares for every operation: each is a 4xx in the one
error format, naming the field."""

import json
from typing import Any

import pytest

from zhili.orgs.services import token_issue


def auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}


def refused(response: Any, status: int, field: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field
    assert body["detail"] and body["code"]
    return body


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/orgs/320722%00", "code"),  # path
        ("/api/v1/grids/%00", "code"),
        ("/api/v1/orgs?q=%E7%94%B2%00", "q"),  # query schema: its own field's name
        ("/api/v1/grids?township=%00", "township"),
    ],
)
def test_a_nul_character_is_a_422_naming_the_field(
    client: Any, personas: Any, url: str, field: str
) -> None:
    # PostgreSQL cannot store or compare text holding NUL: it used to be a 500 there.
    body = refused(client.get(url, **auth(personas.admin)), 422, field)
    assert "空字符" in body["detail"]


def test_a_nul_character_in_a_json_body_is_a_422_naming_the_field(
    client: Any, personas: Any
) -> None:
    credentials = {"username": "admin\x00", "password": "x"}
    response = client.post("/api/v1/auth/token", json.dumps(credentials), "application/json")
    refused(response, 422, "username")


@pytest.mark.parametrize(
    ("query", "field"), [("offset=99999999999999999999999", "offset"), ("limit=100000", "limit")]
)
def test_paging_beyond_bounds_is_a_422(client: Any, personas: Any, query: str, field: str) -> None:
    # Past the database's integers, SQLite and PostgreSQL both failed (a 500).
    refused(client.get(f"/api/v1/orgs?{query}", **auth(personas.admin)), 422, field)


def test_paging_within_bounds_still_pages(client: Any, personas: Any, tree: Any) -> None:
    response = client.get("/api/v1/orgs?limit=1000&offset=1", **auth(personas.admin))
    assert response.status_code == 200
    assert response.json()["count"] == 8  # the fixture tree
    assert len(response.json()["items"]) == 7


def test_a_body_that_does_not_parse_is_a_400_in_the_error_format(
    client: Any, personas: Any
) -> None:
    response = client.post("/api/v1/auth/token", "{not json", "application/json")
    body = refused(response, 400, None)
    assert body["code"] == "http_400"
    assert body["detail"] == "请求体不是有效的 JSON"


def test_openapi_declares_the_common_errors(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    token = paths["/api/v1/auth/token"]["post"]["responses"]
    assert {"400", "401", "422", "429"} <= set(token)  # a JSON body; 401 declared by its router
    me = paths["/api/v1/me"]["get"]["responses"]
    assert "401" in me
    assert not {"400", "404", "422"} & set(me)  # no input: nothing to be invalid
    org = paths["/api/v1/orgs/{code}"]["get"]["responses"]
    assert org["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
