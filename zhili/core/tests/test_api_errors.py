"""Errors Django answers itself come in the interfaces' formats (issue 11 item 8): JSON
`{detail, code, field}` under /api/ and /m/api/, the GeoReport error list under /open311/,
with DEBUG on or off; pages keep Django's pages."""

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/v2/cases", "/api/v1/no-such-thing", "/m/api/nothing"])
def test_an_unknown_path_under_the_api_is_a_json_404(
    client: Any, settings: Any, debug: bool, path: str
) -> None:
    settings.DEBUG = debug
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该接口", "code": "not_found", "field": None}


def test_a_wrong_method_keeps_its_allow_header(client: Any) -> None:
    response = client.get("/m/api/reports")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed" and "POST" in response["Allow"]


@pytest.mark.parametrize("debug", [False, True])
def test_an_oversized_api_body_is_a_json_413(client: Any, settings: Any, debug: bool) -> None:
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"username": "' + "x" * 2000 + '", "password": "p"}'
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and response.json()["field"] is None


def test_pages_keep_their_html_errors(client: Any) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
