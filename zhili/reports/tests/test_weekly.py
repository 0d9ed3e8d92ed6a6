"""The 周例会 pack: the categories rising most week on week, reconciled with the case list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhili.reports.services import report_generate, report_request
from zhili.reports.tests.data import _place, at
from zhili.reports.tests.test_daily import client_for, figures, rows_at

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def test_the_categories_rising_most_week_on_week(staff, register, catalog):
    monday = timezone.localdate() - timedelta(days=7)
    monday -= timedelta(days=monday.weekday())
    iso = monday.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"

    def cases(category, this_week: int, last_week: int) -> None:
        for n in range(this_week):
            _place(register(category=category), registered_at=at(monday + timedelta(days=n), 10))
        for n in range(last_week):
            _place(
                register(category=category), registered_at=at(monday - timedelta(days=n + 1), 10)
            )

    cases(catalog.noise, 3, 1)
    cases(catalog.lamp, 1, 2)  # falling: not listed
    cases(catalog.dispute, 2, 0)
    # A case left on a category that has sub-categories (the catalog grew under it): not ranked.
    _place(register(), registered_at=at(monday, 11), category=catalog.env)
    report = report_generate(report_request(actor=staff.dispatcher, kind="weekly", period=week).pk)
    assert report.state == "done", report.message
    section = next(s for s in report.content["sections"] if s["key"] == "rising")
    rows = section["tables"][0]["rows"]
    shown = [(row[0], row[1]["n"], row[2]["n"], row[3], row[4]) for row in rows]
    assert shown == [("噪音扰民", 1, 3, "+2", "+200%"), ("矛盾纠纷", 0, 2, "+2", "新增")]
    assert len(rows) == 2
    assert "另有 1 件登记在非末级分类上" in section["tables"][0]["note"]
    keys = [s["key"] for s in report.content["sections"]]
    assert keys == ["warnings", "rising", "supervision", "decisions"]
    client = client_for(staff.dispatcher)
    for key, row, figure in figures(report.content):
        assert rows_at(client, figure["url"]) == figure["n"], (key, row)
