"""The 月分析: generated from the month's records, every table reconciling with the case list its
figures open and with the unit figures; its Word file holds the tables and the charts."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from docx import Document

from zhili.assessment.services import manual_score, scheme_create_default
from zhili.cases.figures import unit_figures
from zhili.cases.tests.test_api import error, post
from zhili.core.models import AuditLog
from zhili.core.roles import Role
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
    assert [s["title"].split("、", 1)[1] for s in content["sections"]] == [
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
        "考核得分",
    ]
    assert content["sections"][-1]["title"] == "十一、考核得分"
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


def test_the_scores_are_the_assessment_scores_of_the_month_and_the_month_before(
    month_data, staff, tree, make_user
):
    first = month_data.first
    before = (first - timedelta(days=1)).replace(day=1)
    # An assessor's field score in the month: the unit's score moves against the month before.
    scheme_create_default(actor=None, year=first.year)
    manual_score(
        actor=make_user("mdirector", tree.county, Role.CENTER_DIRECTOR),
        unit=tree.t2,
        on=first + timedelta(days=2),
        item_code="field_check",
        points=Decimal(9),
        reason="实地考核",
    )
    report = generate(staff.dispatcher, month_data.period)
    scores = section(report.content, "m-scores")
    # Neither month had a computed ledger: the platform computed each, once.
    runs = AuditLog.objects.filter(action="assessment.scores.compute")
    assert sorted((r.actor_id, r.extra["period"]) for r in runs) == sorted(
        [(None, f"M{first.month:02d}"), (None, f"M{before.month:02d}")]
    )
    client = client_for(staff.dispatcher)

    def api(day: date, group: str) -> list[dict[str, Any]]:
        url = f"/api/v1/assessment/{day.year}/{day.month:02d}/scores?group={group}"
        response = client.get(url)
        assert response.status_code == 200, response.content
        return response.json()

    moved = 0
    for table, group in zip(scores["tables"], ("township", "department"), strict=True):
        rows, now, then = table["rows"], api(first, group), api(before, group)
        assert [(r[0], r[1], Decimal(r[2]["text"])) for r in rows] == [
            (str(e["rank"]), e["org"]["name"], Decimal(str(e["score"]))) for e in now
        ]
        assert now and len(rows) == len(now)
        # The scores page shows the same numbers, in the same order.
        page = client.get(f"/assessment/{first.year}/{first.month:02d}/?group={group}")
        assert [str(r.score) for r in page.context["rows"]] == [r[2]["text"] for r in rows]
        earlier = {e["org"]["name"]: e for e in then}
        for row in rows:
            previous = earlier[row[1]]
            assert Decimal(row[3]["text"]) == Decimal(str(previous["score"]))
            assert row[5] == str(previous["rank"])
            change = Decimal(row[2]["text"]) - Decimal(row[3]["text"])
            assert row[4] == ("持平" if change == 0 else f"{change:+.2f}")
            moved += change != 0
            # Each score opens the unit's ledger entries of its month.
            for cell, day in ((row[2], first), (row[3], before)):
                entries = client.get(cell["url"])
                assert entries.status_code == 200, cell["url"]
                assert entries.context["unit"].name == row[1]
                assert entries.context["period"].code == f"M{day.month:02d}"
    t2 = next(r for r in scores["tables"][0]["rows"] if r[1] == tree.t2.name)
    assert Decimal(t2[2]["text"]) - Decimal(t2[3]["text"]) >= 9 and moved >= 1
    [note] = scores["notes"]
    assert f"{first.year}年{first.month}月考核台账" in note
    assert f"与{before.year}年{before.month}月得分之差" in note

    # The Word file holds the two tables with the same scores.
    document = Document(BytesIO(client.get(f"/reports/{report.pk}/document/").content))
    word = document.tables[-2:]
    for grid, table in zip(word, scores["tables"], strict=True):
        assert [c.text for c in grid.rows[0].cells] == table["columns"]
        assert [[c.text for c in r.cells][:4] for r in grid.rows[1:]] == [
            [r[0], r[1], r[2]["text"], r[3]["text"]] for r in table["rows"]
        ]


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
