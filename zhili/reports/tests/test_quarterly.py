"""The 季点评: townships and departments ranked by the quarter's unit figures, the bottom two
named, the leader's comments written on the page and printed in the Word file."""

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from docx import Document

from zhili.cases.figures import UnitFigures, unit_figures
from zhili.core.errors import Forbidden, InvalidInput
from zhili.reports.quarterly import Ranked, bottom_named, score
from zhili.reports.services import report_comment, report_generate, report_request
from zhili.reports.tests.test_daily import client_for, figures, rows_at

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def unit(code: str, **counts: int) -> UnitFigures:
    base = dict.fromkeys(
        ["handled", "received", "acknowledged_on_time", "closed_on_time", "returned"], 0
    )
    base |= {"extended": 0, "overdue": 0, "rated": 0, "satisfied": 0}
    return UnitFigures(unit_code=code, unit_name=code, **{**base, **counts})


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # 40 × 8/10 + 30 × 9/10 + 30 × 3/4 = 32 + 27 + 22.5
        (
            dict(
                close_judged=10,
                closed_on_time=8,
                acknowledge_judged=10,
                acknowledged_on_time=9,
                rated=4,
                satisfied=3,
            ),
            81.5,
        ),
        # no rating yet: (32 + 27) / 70 × 100
        (
            dict(close_judged=10, closed_on_time=8, acknowledge_judged=10, acknowledged_on_time=9),
            84.29,
        ),
        (dict(handled=3), None),
    ],
)
def test_the_score_weights_the_rates_that_can_be_judged(counts, expected):
    assert score(unit("U", **counts)) == expected


def test_the_bottom_two_are_named_only_among_the_ranked():
    ranked = [Ranked(i + 1, unit(code), 90.0 - i) for i, code in enumerate("ABCD")]
    assert bottom_named([*ranked, Ranked(None, unit("E"), None)]) == ["C", "D"]
    assert bottom_named(ranked[:2]) == []


def quarter_of(day: Any) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def test_the_quarterly_review_ranks_by_the_unit_figures(month_data, staff, rules, tree):
    period = quarter_of(month_data.first)
    report = report_generate(
        report_request(actor=staff.dispatcher, kind="quarterly", period=period).pk
    )
    content = report.content
    assert [s["key"] for s in content["sections"]] == ["q-townships", "q-departments"]
    first = month_data.first.replace(month=3 * ((month_data.first.month - 1) // 3) + 1)
    last = (first + timedelta(days=92)).replace(day=1) - timedelta(days=1)
    expected = {
        f.unit_name: f
        for f in unit_figures(
            user=staff.leader, start=first, end=last, unit_codes=[tree.t1.code, tree.t2.code]
        )
    }
    [table] = content["sections"][0]["tables"]
    assert {row[1]: row[2]["n"] for row in table["rows"]} == {
        name: f.handled for name, f in expected.items()
    }
    scored = [row for row in table["rows"] if row[0] != "—"]
    assert [row[6] for row in scored] == [f"{score(expected[row[1]]):.2f}" for row in scored]
    client = client_for(staff.dispatcher)
    for key, row, figure in figures(content):
        assert rows_at(client, figure["url"]) == figure["n"], (key, row)

    document = Document(BytesIO(client.get(f"/reports/{report.pk}/document/").content))
    assert len(document.tables) == 2
    assert "（待领导点评）" in "\n".join(p.text for p in document.paragraphs)

    page = client.post(
        f"/reports/{report.pk}/comment/", {"comment": "甲镇按时办结率偏低，限期整改。"}
    )
    assert page.status_code == 302
    document = Document(BytesIO(client.get(f"/reports/{report.pk}/document/").content))
    assert "甲镇按时办结率偏低，限期整改。" in "\n".join(p.text for p in document.paragraphs)
    assert "甲镇按时办结率偏低" in client.get(f"/reports/{report.pk}/").content.decode()

    with pytest.raises(Forbidden):
        report_comment(actor=staff.township, report=report, comment="好")
    with pytest.raises(InvalidInput) as caught:
        report_comment(actor=staff.leader, report=report, comment="   ")
    assert caught.value.field == "comment"
