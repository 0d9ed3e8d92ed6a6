"""The headers middleware (zhili/core/headers.py): a Content-Security-Policy on every answer,
Cache-Control: no-store where the answer did not choose its own caching, and templates that
need nothing the policy refuses."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from zhili.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


def test_every_page_carries_the_policy(client: Any, personas: Any, settings: Any) -> None:
    settings.JANUS_WS_URLS = ["ws://127.0.0.1:8188/"]
    for url in ("/login/", "/citizen/", "/healthz", "/api/v1/catalog/categories", "/nowhere/"):
        csp = policy(client.get(url))
        assert csp["default-src"] == ["'self'"]
        assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
        assert csp["style-src"] == ["'self'"]
        assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
        # The media gateway's WebSocket (live video), then the page's own host's.
        assert csp["connect-src"] == [
            "'self'",
            "ws://127.0.0.1:8188",
            "ws://testserver",
            "wss://testserver",
        ]


def test_tile_server_and_extra_sources(client: Any, settings: Any) -> None:
    settings.ZHILI_MAP_TILE_URL = "https://{s}.tiles.example.gov.cn:8443/{z}/{x}/{y}.png"
    settings.ZHILI_CSP_EXTRA = {"connect-src": ["https://janus.example.gov.cn"]}
    csp = policy(client.get("/login/"))
    assert csp["img-src"] == ["'self'", "data:", "blob:", "https://*.tiles.example.gov.cn:8443"]
    assert "https://janus.example.gov.cn" in csp["connect-src"]


def test_signed_in_pages_and_api_answers_are_not_stored(client: Any, personas: Any) -> None:
    client.force_login(personas.dispatcher)
    for url in (reverse("cases:workbench"), reverse("cases:list"), "/api/v1/me", "/api/v1/cases"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    client.logout()
    token = client.post(
        "/api/v1/auth/token",
        {"username": "township", "password": PASSWORD},
        content_type="application/json",
    )
    assert "no-store" in token["Cache-Control"]  # it holds the token itself
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.json()['token']}"})
    assert me.status_code == 200 and "no-store" in me["Cache-Control"]


def test_the_citizens_progress_answer_is_not_stored(client: Any) -> None:
    response = client.post("/citizen/progress/", {"case_no": "DH0", "phone_tail": "1234"})
    assert "no-store" in response["Cache-Control"]


def test_a_view_that_chooses_its_caching_keeps_it(client: Any) -> None:
    response = client.get(reverse("mobile:manifest"))
    assert response["Cache-Control"] == "max-age=3600"


_REFUSED = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style\b|\son[a-z]+=")


def test_no_template_needs_what_the_policy_refuses() -> None:
    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}: {match[0]}"
        for path in root.rglob("templates/**/*.html")
        for match in _REFUSED.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
