"""Pushes that once answered 500 (issue 11 item 5), dates outside 2000-2099 that were stored
(year 0001 became a BC date on PostgreSQL), invisible characters in names, and a failure after
the case was registered: each is now a 4xx naming the field, or an answer with what was done."""

from typing import Any

import pytest

from zhili.cases.models import Case
from zhili.integrations.models import PushedOrder
from zhili.integrations.signing import TIMESTAMP_HEADER
from zhili.integrations.tests.conftest import order_body


def assert_error(response: Any, status: int, field: str, code: str | None = None) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["field"] == field and body["detail"]
    if code:
        assert body["code"] == code


@pytest.mark.parametrize("timestamp", ["9" * 400, "-" + "9" * 400, "1" * 13, "1e9", "0x10"])
def test_a_timestamp_no_clock_holds_is_a_401_naming_the_header(push: Any, timestamp: str) -> None:
    """A 400-digit X-Zhili-Timestamp overflowed the float subtraction (OverflowError, 500)."""
    response = push(order_body(), timestamp=timestamp)
    assert_error(response, 401, TIMESTAMP_HEADER, "stale_timestamp")
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("created_at", "2026-11-26T17:40:00+16:00"),  # PostgreSQL: displacement out of range
        ("created_at", "2026-11-26T17:40:00-15:00"),
        ("created_at", "0001-01-01T00:00:00+08:00"),  # was stored as a BC date
        ("created_at", "1999-12-31T23:59:59+08:00"),
        ("created_at", "9999-12-31T23:59:59Z"),
        ("deadline", "2100-01-01T00:00:00+08:00"),
        ("deadline", "2026-12-03T17:40:00+14:01"),
    ],
)
def test_a_date_out_of_range_is_a_422_naming_the_field(push: Any, field: str, value: str) -> None:
    assert_error(push(order_body(**{field: value})), 422, field)
    assert not Case.objects.exists()


def test_offsets_within_14_hours_are_taken(push: Any) -> None:
    response = push(order_body(created_at="2026-11-26T23:40:00+14:00"))
    assert response.status_code == 201, response.content
    ordered = PushedOrder.objects.get().ordered_at
    assert ordered.isoformat() == "2026-11-26T09:40:00+00:00"


def test_lat_true_is_a_422(push: Any) -> None:
    assert_error(push(order_body(lat=True)), 422, "lat")


def test_bidi_controls_are_stripped_from_the_caller_and_the_title(push: Any) -> None:
    body = order_body(caller_name="李\u202e女士", content="工地\u2067夜间施工\u2069噪音")
    assert push(body).status_code == 201
    case = Case.objects.get()
    assert case.reporter_name == "李女士"
    assert case.title == "工地夜间施工噪音"


def test_a_failure_after_the_case_was_registered_leaves_no_case(
    push: Any, client: Any, settings: Any, monkeypatch: Any
) -> None:
    """The answer fails after push_accept returned: a 500 in the API's error format, and no
    case, so that the platform's retry registers the order (201), not a 200 for a case the
    first answer denied."""
    from zhili.integrations import push_api

    settings.DEBUG = False
    client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(push_api, "_out", lambda case, created: 1 / 0)
        response = push(order_body())
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert not Case.objects.exists() and not PushedOrder.objects.exists()
    retried = push(order_body())
    assert retried.status_code == 201 and retried.json()["created"] is True
    assert Case.objects.count() == 1
