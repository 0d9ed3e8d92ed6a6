"""The 月分析: generated from the month's records, every table reconciling with the case list its
figures open and with the unit figures; its Word file holds the tables and the charts."""

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from docx import Document

from zhili.cases.figures import unit_figures
from zhili.cases.tests.test_api import error, post
from zhili.reports.models import Report, ReportState
from zhili.reports.services import report_generate, report_request
from zhili.reports.tests.test_daily import client_for, figures, rows_at

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

PNG = b"\x89PNG\r\n\x1a\n"


def generate(actor: Any, period: str) -> Report:
    report = report_request(actor=actor, kind="monthly", period=period)
    return report_generate(report.pk)


def section(content: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in content["sections"] if s["key"] == key)


def column(table: dict[str, Any], index: int) -> dict[str, Any]:
    """The table's rows by their first cell: the cell at `index` (a figure's count)."""
    return {
        str(row[0]): (row[index]["n"] if isinstance(row[index], dict) else row[index])
        for row in table["rows"]
    }


def test_the_monthly_report_counts_the_month(month_data, staff):
    report = generate(staff.dispatcher, month_data.period)
    assert report.state == ReportState.DONE and report.progress == 100
    content = report.content
    assert [s["title"][2:] for s in content["sections"]] == [
        "总体情况",
        "来源渠道",
        "五情",
        "诉求类型",
        "热点诉求",
        "承办单位",
        "万人诉求率",
        "热点区域",
        "典型案例",
        "单位办理质效",
    ]
    [totals] = section(content, "m-totals")["tables"]
    assert [totals["rows"][0][i]["n"] for i in (1, 2, 4)] == [6, 2, 1]
    assert totals["rows"][0][3] == "+200.0%" and totals["rows"][0][5] == "+500.0%"
    channels = column(section(content, "m-channels")["tables"][0], 1)
    assert channels == {
        "12345热线": 3,
        "网格员上报": 1,
        "群众网上/APP": 1,
        "110/120/119联动": 1,
        "合计": 6,
    }
    types = column(section(content, "m-types")["tables"][0], 1)
    assert types == {"环境保护": 3, "市政设施": 2, "矛盾纠纷": 1}
    rates = section(content, "m-rates")["tables"][0]
    by_township = {row[0]: row for row in rates["rows"]}
    assert by_township["甲镇综治中心"][2]["n"] == 3 and by_township["甲镇综治中心"][3] == "1.00"
    assert by_township["乙乡综治中心"][2]["n"] == 3 and by_township["乙乡综治中心"][3] == "1.50"
    assert by_township["全县"][3] == "1.20"


def test_every_figure_counts_what_its_link_lists(month_data, staff):
    report = generate(staff.dispatcher, month_data.period)
    client = client_for(staff.dispatcher)
    found = figures(report.content)
    assert len(found) >= 50
    for key, row, figure in found:
        assert rows_at(client, figure["url"]) == figure["n"], (key, row)


def test_the_unit_table_is_the_unit_figures(month_data, staff):
    report = generate(staff.dispatcher, month_data.period)
    first = month_data.first
    expected = unit_figures(user=staff.leader, start=first, end=_last(first))
    assert expected
    [table] = section(report.content, "m-table")["tables"]
    assert [row[0] for row in table["rows"]] == [f.unit_name for f in expected]
    for row, figures_of in zip(table["rows"], expected, strict=True):
        assert row[1]["n"] == figures_of.handled and row[2] == str(figures_of.received)
        assert row[8]["n"] == figures_of.overdue
    top = section(report.content, "m-units")["tables"][0]["rows"]
    assert sum(row[2]["n"] for row in top) == sum(f.handled for f in expected)


def _last(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def test_hot_categories_have_a_typical_case_and_advice_from_the_data(month_data, staff):
    report = generate(staff.dispatcher, month_data.period)
    [hot] = section(report.content, "m-hot")["tables"]
    first = hot["rows"][0]
    assert first[0] == "噪音扰民" and first[1]["n"] == 3
    # the case two others were merged into stands for the category
    assert first[5]["text"].startswith(month_data.cases[0].case_no)
    assert first[6].startswith("噪音扰民本月 3 件") and "环比上升+50.0%" in first[6]
    kinds = {
        row[0]: row[1]["text"] for row in section(report.content, "m-cases")["tables"][0]["rows"]
    }
    assert kinds["群众反映集中"].startswith(month_data.cases[0].case_no)
    assert kinds["超期办理"].startswith(month_data.red.case_no)
    assert kinds["群众不满意"].startswith(month_data.unhappy.case_no)
    assert kinds["高效办结"].startswith(month_data.happy.case_no)


def test_the_word_file_opens_with_its_tables_and_charts(month_data, staff):
    report = generate(staff.dispatcher, month_data.period)
    response = client_for(staff.dispatcher).get(f"/api/v1/reports/{report.pk}/document")
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    tables = [t for s in report.content["sections"] for t in s["tables"]]
    charts = [c for s in report.content["sections"] for c in s["charts"]]
    assert len(document.tables) == len(tables) and len(charts) >= 4
    assert len(document.inline_shapes) == len(charts)
    images = [
        part.blob for part in document.part.related_parts.values() if "image" in part.content_type
    ]
    assert len(images) == len(charts) and all(blob.startswith(PNG) for blob in images)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "图：按来源渠道受理件数" in text
    page = client_for(staff.dispatcher).get(f"/reports/{report.pk}/").content.decode()
    assert page.count('data-testid="chart-') == len(charts)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "monthly", "period": "2026-13"}, "period"),
        ({"kind": "monthly", "period": "2026-W49"}, "period"),
        ({"kind": "monthly", "period": "2999-01"}, "period"),
        ({"kind": "yearly", "period": "2026-11"}, "kind"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(client, staff, body, field):
    error(post(client, staff.dispatcher, "/api/v1/reports", body), 422, field=field)
