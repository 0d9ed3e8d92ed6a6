"""Bad input the API fuzzer (zhili/core/tests/test_fuzz_api.py) once turned into a 500 in the
cases API: dates past what a day's bounds in UTC can hold, forged page cursors, NUL characters.
Each is now a 422 naming the field."""

import base64
from typing import Any

import pytest

from zhili.cases.tests.test_api import NEW_CASE, act, error, get, post


@pytest.fixture
def case_no(register: Any) -> str:
    return register().case_no


def forged_cursor(moment: str, pk: int = 1) -> str:
    return base64.urlsafe_b64encode(f"{moment}|{pk}".encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("registered_to=9999-12-31", "registered_to"),  # the next day's start overflowed
        ("registered_from=0001-01-01", "registered_from"),  # its start in UTC overflowed
        ("registered_from=1999-12-31", "registered_from"),
        ("registered_to=2100-01-01", "registered_to"),
        ("cursor=" + forged_cursor("0001-01-01T00:00:00+08:00"), "cursor"),
        ("cursor=" + forged_cursor("9999-12-31T23:59:59-08:00"), "cursor"),
        ("cursor=" + forged_cursor("2026-11-26T18:00:00"), "cursor"),  # no offset: not ours
        ("q=%E5%99%AA%00", "q"),
        ("unit=%00", "unit"),
        ("state=registered&category=HJ%00", "category"),
    ],
)
def test_a_case_list_query_out_of_bounds_is_a_422(
    client: Any, staff: Any, case_no: str, query: str, field: str
) -> None:
    error(get(client, staff.dispatcher, f"/api/v1/cases?{query}"), 422, field=field)


def test_dates_within_bounds_still_filter(client: Any, staff: Any, case_no: str) -> None:
    url = "/api/v1/cases?registered_from=2000-01-01&registered_to=2099-12-31"
    response = get(client, staff.dispatcher, url)
    assert response.status_code == 200
    assert [c["case_no"] for c in response.json()["items"]] == [case_no]


def test_a_real_cursor_still_pages(client: Any, staff: Any, register: Any) -> None:
    first, second = register(), register(title="另一件")
    page = get(client, staff.dispatcher, "/api/v1/cases?limit=1").json()
    assert [c["case_no"] for c in page["items"]] == [second.case_no]
    url = f"/api/v1/cases?limit=1&cursor={page['next_cursor']}"
    assert [c["case_no"] for c in get(client, staff.dispatcher, url).json()["items"]] == [
        first.case_no
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=0001-01-01&end=0001-01-01", "start"),
        ("start=9999-12-31&end=9999-12-31", "start"),
        ("start=2026-11-01&end=9999-12-31", "end"),
        ("start=2026-11-01&end=2026-11-30&unit=%00", "unit"),
    ],
)
def test_figures_out_of_bounds_are_a_422(client: Any, staff: Any, query: str, field: str) -> None:
    error(get(client, staff.dispatcher, f"/api/v1/case-figures?{query}"), 422, field=field)


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("dispatch", {"unit": "320722-CGJ\x00"}, "unit"),
        ("dispatch", {"assisting": ["320722-GAJ", "\x00"]}, "assisting"),
        ("suspend", {"reason": "等待\x00"}, "reason"),
        ("merge", {"master": "\x00"}, "master"),
    ],
)
def test_a_nul_character_in_an_action_is_a_422(
    client: Any, staff: Any, case_no: str, action: str, body: dict, field: str
) -> None:
    response = act(client, staff.dispatcher, case_no, action, body)
    error(response, 422, field=field)


def test_a_nul_character_in_the_path_is_a_422(client: Any, staff: Any, case_no: str) -> None:
    response = get(client, staff.dispatcher, f"/api/v1/cases/{case_no}%00")
    error(response, 422, field="case_no")


def test_a_nul_character_in_a_new_case_is_a_422(client: Any, staff: Any) -> None:
    response = post(client, staff.dispatcher, "/api/v1/cases", {**NEW_CASE, "category": "\x00"})
    error(response, 422, field="category")
