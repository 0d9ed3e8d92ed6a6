"""The phone's JSON endpoints answer in the platform's error format whatever goes wrong (issue
11): a CSRF refusal, a time no clock or database holds, a failure after the case was made."""

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from zhili.cases.models import Case
from zhili.mobile.tests.test_reports import URL, report


def test_a_csrf_refusal_is_json(workers: Any) -> None:
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(workers.me)
    response = phone.post(URL, report())
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "csrf_failed" and body["field"] is None and "CSRF" in body["detail"]
    assert not Case.objects.exists()


def test_a_csrf_refusal_of_a_page_is_still_the_page(workers: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(workers.me)
    response = browser.post("/cases/new/", {})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "started_at",
    ["2026-11-26T09:00:00+16:00", "0001-01-01T00:00:00+08:00", "9999-12-31T00:00:00Z"],
)
def test_a_patrol_time_out_of_range_is_a_422(phone: Any, started_at: str) -> None:
    body = {"id": str(uuid.uuid4()), "grid": "32072290100101", "started_at": started_at}
    response = phone.post("/m/api/patrols", json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "started_at"


def test_a_failure_after_the_case_was_registered_leaves_no_case(
    phone: Any, settings: Any, monkeypatch: Any
) -> None:
    from zhili.mobile import api

    settings.DEBUG = False
    phone.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(api, "case_out", lambda case, created: 1 / 0)
        response = phone.post(URL, report())
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert not Case.objects.exists()
