"""The 周例会 pack: the warnings still open when it is made and the categories rising most week
on week, every count reconciled with the list its link opens."""

from collections import Counter
from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from docx import Document

from zhili.reports.models import Report
from zhili.reports.services import report_generate, report_request
from zhili.reports.tests.data import _place, at
from zhili.reports.tests.test_daily import client_for, figures, rows_at
from zhili.warnings.models import Warning, WarningState

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
    assert keys == ["open-warnings", "warnings", "rising", "supervision", "decisions"]
    client = client_for(staff.dispatcher)
    for key, row, figure in figures(report.content):
        assert rows_at(client, figure["url"]) == figure["n"], (key, row)


def week_of(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def pack(actor: Any, day: date) -> Report:
    report = report_generate(report_request(actor=actor, kind="weekly", period=week_of(day)).pk)
    assert report.state == "done", report.message
    return report


def _another(warning: Warning, n: int, **fields: Any) -> Warning:
    """A warning like `warning` with other level, state, unit or limits (as the rules and the
    units' handling leave them)."""
    copy = Warning.objects.get(pk=warning.pk)
    copy.pk = None
    copy.number = f"{warning.number}-{n}"
    copy.subject = f"{warning.subject}-{n}"
    for field, value in fields.items():
        setattr(copy, field, value)
    if "unit" in fields:
        copy.unit_path = fields["unit"].path
    copy.save()
    return copy


def test_the_warnings_open_at_pack_time_by_level_state_and_unit(day_data, staff, tree):
    raised = list(Warning.objects.order_by("id"))  # the scan of the 日报's day: two
    assert len(raised) == 2
    base = raised[0]
    long_ago = timezone.now() - timedelta(days=40)  # raised weeks ago, still open
    _another(base, 1, level="red", unit=tree.t2, issued_at=long_ago, sign_due_at=long_ago)
    _another(base, 2, level="red", state=WarningState.SIGNED, issued_at=long_ago)
    _another(base, 3, level="blue", unit=tree.t2, state=WarningState.ANSWERED)
    _another(base, 4, level="orange", unit=tree.t2, state=WarningState.CLOSED)  # not open
    report = pack(staff.dispatcher, day_data.day)
    section = next(s for s in report.content["sections"] if s["key"] == "open-warnings")
    assert section["title"] == "一、未关闭预警"
    by_level, by_unit, late = section["tables"]
    assert by_level["columns"] == ["预警等级", "待签收", "处置中", "已答复待审核", "合计"]

    opened = Warning.objects.exclude(state=WarningState.CLOSED)
    states = [WarningState.ISSUED, WarningState.SIGNED, WarningState.ANSWERED]

    def counts(rows: list[list[Any]]) -> dict[str, list[int]]:
        return {row[0]: [cell["n"] for cell in row[1:]] for row in rows}

    def expected(**where: Any) -> list[int]:
        chosen = Counter(opened.filter(**where).values_list("state", flat=True))
        return [chosen[s] for s in states] + [sum(chosen.values())]

    assert counts(by_level["rows"]) == {
        "红色预警": expected(level="red"),
        "橙色预警": expected(level="orange"),
        "黄色预警": expected(level="yellow"),
        "蓝色预警": expected(level="blue"),
        "合计": expected(),
    }
    assert counts(by_level["rows"])["红色预警"] == [1, 1, 0, 2]
    assert counts(by_level["rows"])["合计"][-1] == 5  # the closed one left out
    units = {w.unit for w in opened}
    assert counts(by_unit["rows"]) == {
        **{unit.name: expected(unit=unit) for unit in units},
        "合计": expected(),
    }
    assert counts(by_unit["rows"])[tree.t2.name][:3] == [1, 0, 1]
    [late_row] = late["rows"]
    assert late_row[1]["n"] >= 1  # the red one of 乙乡: its time to sign passed long ago

    # Every count lists exactly its warnings, the closed one in none of them.
    client = client_for(staff.dispatcher)
    found = [f for f in figures(report.content) if f[0] == "open-warnings"]
    assert len(found) == 5 * 4 + (len(units) + 1) * 4 + 1
    for key, row, figure in found:
        assert rows_at(client, figure["url"]) == figure["n"], (key, row, figure["url"])
    t2_all = by_unit["rows"][[r[0] for r in by_unit["rows"]].index(tree.t2.name)][-1]
    page = client.get(t2_all["url"])
    assert {w.unit for w in page.context["warnings"]} == {tree.t2}
    assert f"责任单位：{tree.t2.name}" in page.content.decode()

    # The pack's Word file opens with the section's tables.
    response = client.get(f"/reports/{report.pk}/document/")
    document = Document(BytesIO(response.content))
    for grid, table in zip(document.tables, section["tables"], strict=False):
        assert [c.text for c in grid.rows[0].cells] == table["columns"]
        assert [[c.text for c in r.cells] for r in grid.rows[1:]] == [
            [str(c["n"]) if isinstance(c, dict) else c for c in row] for row in table["rows"]
        ]
    # What a click opens is said on the page; on paper, once, where the records are.
    text = "\n".join(p.text for p in document.paragraphs)
    [screen] = section["screen_notes"]
    assert "点击数字" in screen and screen not in text
    assert section["notes"][0] in text
    assert f"在平台“分析报告”中打开本报告第{report.version}版" in text
    page_text = client.get(f"/reports/{report.pk}/").content.decode()
    assert screen in page_text and section["notes"][0] in page_text
