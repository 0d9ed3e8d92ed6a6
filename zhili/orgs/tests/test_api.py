"""The API's contract: OpenAPI and docs, health, filters and pagination, error format."""

from typing import Any

import pytest
from django.utils import timezone

from zhili.core.models import Heartbeat


def test_openapi_lists_the_endpoints(client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/grids/locate", "/api/v1/orgs", "/api/v1/auth/token", "/api/v1/me"):
        assert path in paths


def test_docs_use_local_static_files(client: Any) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr" not in html
    assert "/static/" in html


def test_healthz(client: Any, db: Any) -> None:
    # The background processes' ages have their own tests (zhili/core/tests/test_health.py).
    for key in ("scheduler", "worker"):
        Heartbeat.objects.create(key=key, beat_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("status", "database", "channel_layer", "cache", "failed")} == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
        "cache": "ok",
        "failed": [],
    }


@pytest.mark.parametrize(
    "url", ["/api/v1/me", "/api/v1/orgs", "/api/v1/grids", "/api/v1/grids/locate?lat=1&lng=1"]
)
def test_unauthenticated_is_401_json(client: Any, db: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "未登录或令牌无效",
        "code": "unauthenticated",
        "field": None,
    }


def test_session_login_works_too(client: Any, personas: Any) -> None:
    client.force_login(personas.village)
    assert client.get("/api/v1/me").json()["username"] == "village"


def codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def test_org_filters(client: Any, bearer: Any, personas: Any, tree: Any) -> None:
    headers = bearer(personas.leader)
    get = lambda query: client.get(f"/api/v1/orgs?{query}", headers=headers)  # noqa: E731
    assert codes(get("level=village")) == [tree.v11.code, tree.v12.code, tree.v21.code]
    assert codes(get("kind=department")) == [tree.gaj.code]
    assert codes(get(f"parent={tree.t1.code}")) == [tree.v11.code, tree.v12.code]
    assert codes(get(f"level=township&parent={tree.county.code}")) == [tree.t1.code, tree.t2.code]
    assert codes(get("q=甲")) == [tree.t1.code, tree.v11.code, tree.v12.code]
    missing = get("parent=NO-SUCH")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    bad = get("level=galaxy")
    assert bad.status_code == 422 and bad.json()["field"] == "level"


def test_org_pagination(client: Any, bearer: Any, personas: Any, tree: Any) -> None:
    headers = bearer(personas.leader)
    everything = client.get("/api/v1/orgs?limit=100", headers=headers).json()
    assert everything["count"] == 8
    page = client.get("/api/v1/orgs?limit=3&offset=3", headers=headers).json()
    assert page["count"] == 8
    assert [i["code"] for i in page["items"]] == [i["code"] for i in everything["items"][3:6]]
    assert client.get("/api/v1/orgs?offset=100", headers=headers).json()["items"] == []
    bad = client.get("/api/v1/orgs?limit=0", headers=headers)
    assert bad.status_code == 422 and bad.json()["field"] == "limit"


def test_org_detail_shape(client: Any, bearer: Any, personas: Any, tree: Any) -> None:
    response = client.get(f"/api/v1/orgs/{tree.v11.code}", headers=bearer(personas.village))
    assert response.json() == {
        "code": tree.v11.code,
        "name": tree.v11.name,
        "kind": "center",
        "level": "village",
        "parent": tree.t1.code,
        "path": tree.v11.path,
    }


def test_grid_filters(client: Any, bearer: Any, personas: Any, tree: Any) -> None:
    headers = bearer(personas.leader)
    body = client.get(f"/api/v1/grids?township={tree.t1.code}", headers=headers).json()
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]] == [tree.g111.code, tree.g112.code, tree.g121.code]
    body = client.get(f"/api/v1/grids?village={tree.v21.code}", headers=headers).json()
    [feature] = body["features"]
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["township"]["code"] == tree.t2.code


def test_domain_errors_are_json(client: Any, bearer: Any, personas: Any) -> None:
    response = client.get("/api/v1/orgs/NO-SUCH", headers=bearer(personas.leader))
    assert response.status_code == 404
    assert response.json() == {"detail": "单位不存在", "code": "not_found", "field": None}
