"""Keyset pages of the case lists: the page is chosen by its ids alone (so the database never
joins and sorts every candidate row: 742 ms at 1M cases on SQLite before), then its rows
come with their related rows; order, filters, scope and cursors are unchanged."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhili.cases.models import Case, State
from zhili.cases.selectors import CaseFilters, case_list, filter_cases, keyset_page
from zhili.cases.services import case_act

pytestmark = pytest.mark.django_db

V21 = {"lat": 34.515, "lng": 118.705}
OPEN = CaseFilters(states=(State.REGISTERED, State.DISPATCHED))


@pytest.fixture
def many(register: Any, staff: Any, catalog: Any) -> list[Case]:
    """Nine cases, in T1 and T2, some dispatched; several share a registration moment (the
    id settles their order)."""
    cases = []
    for i in range(9):
        case = register(**(V21 if i % 3 == 0 else {}))
        if i % 4 == 0:
            case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
        cases.append(case)
    moments = [timezone.now() - timedelta(hours=h) for h in (1, 1, 2, 3, 3, 3, 4, 5, 6)]
    for case, moment in zip(cases, moments, strict=True):
        Case.objects.filter(pk=case.pk).update(registered_at=moment)
    Case.objects.filter(pk=cases[4].pk).update(state=State.CLOSED)
    return cases


def every_page(qs: Any, size: int) -> list[str]:
    numbers, cursor = [], None
    while True:
        page = keyset_page(qs, cursor=cursor, size=size)
        numbers += [c.case_no for c in page.items]
        if page.next_cursor is None:
            return numbers
        cursor = page.next_cursor


@pytest.mark.parametrize("size", [1, 2, 3, 50])
def test_pages_keep_the_order_the_filters_and_the_scope(staff: Any, many: Any, size: int) -> None:
    for user in (staff.dispatcher, staff.township, staff.t2_officer, staff.cgj_handler):
        qs = filter_cases(case_list(user=user), OPEN)
        expected = list(qs.order_by("-registered_at", "-id").values_list("case_no", flat=True))
        assert every_page(qs, size) == expected, user.username
    assert len(every_page(filter_cases(case_list(user=staff.dispatcher), OPEN), 2)) == 8
    assert len(every_page(case_list(user=staff.t2_officer), 2)) == 3


def test_a_page_is_chosen_by_its_ids_then_its_rows_come_joined(staff: Any, many: Any) -> None:
    qs = filter_cases(case_list(user=staff.township), OPEN)
    with CaptureQueriesContext(connection) as ctx:
        page = keyset_page(qs, size=3)
        [
            (c.category.name, c.dispatch_center.name, c.village and c.village.name)
            for c in page.items
        ]
    pages = [q["sql"] for q in ctx.captured_queries if "cases_category" in q["sql"]]
    assert len(pages) == 1, "one statement for the page and its related rows"
    sql = pages[0]
    inner = re.search(r"IN \((SELECT .*? LIMIT 4)\)", sql)
    assert inner, sql
    assert "JOIN" not in inner.group(1).replace('INNER JOIN "orgs_organization" U2', "")
    assert "JOIN" in sql[: inner.start()]  # the related rows, for the page only
    assert [c.registered_at for c in page.items] == sorted(
        (c.registered_at for c in page.items), reverse=True
    )


def test_the_queues_prefetch_still_applies(staff: Any, many: Any) -> None:
    qs = case_list(user=staff.dispatcher).prefetch_related("assists__organization")
    page = keyset_page(qs.select_related("suggested_unit"), size=5)
    with CaptureQueriesContext(connection) as ctx:
        for case in page.items:
            list(case.assists.all())
            _ = case.suggested_unit
    assert len(ctx.captured_queries) == 0
