"""The 季点评: townships and departments ranked by the assessment's quarterly scores (computed
first when the quarter has none), the bottom two named, every score opening its ledger
entries; the leader's comments written on the page and printed in the Word file."""

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from docx import Document

from zhili.assessment.models import Catalog, Item, LedgerEntry
from zhili.assessment.selectors import ItemScore, UnitScore, scores
from zhili.assessment.services import manual_score
from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.core.roles import Role
from zhili.orgs.models import Organization
from zhili.reports.quarterly import bottom_named, worst_item
from zhili.reports.services import report_comment, report_generate, report_request
from zhili.reports.tests.test_daily import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def unit_score(code: str, score: str) -> UnitScore:
    return UnitScore(org=Organization(code=code, name=code), score=Decimal(score))


def test_the_bottom_two_are_named_with_whoever_ties_with_them():
    rows = [unit_score(c, s) for c, s in zip("ABCD", ("90", "80", "70", "60"), strict=True)]
    assert [r.org.code for r in bottom_named(rows, 2)] == ["C", "D"]
    tied = [unit_score(c, s) for c, s in zip("ABCD", ("90", "70", "70", "60"), strict=True)]
    assert [r.org.code for r in bottom_named(tied, 2)] == ["B", "C", "D"]
    assert bottom_named(rows[:2], 2) == []


def test_the_item_that_lost_most_links_to_its_entries():
    scored = Catalog(code="cases", kind="score", weight=60)
    negative = Catalog(code="negative", kind="deduction", weight=20)
    close = Item(
        code="close_rate", name="按时办结率", max_points=Decimal(25), catalog=scored, order=1
    )
    ack = Item(code="ack_rate", name="及时签收率", max_points=Decimal(15), catalog=scored, order=0)
    field = Item(
        code="field_check", name="实地考核", max_points=Decimal(10), catalog=scored, order=2
    )
    orders = Item(code="supervision_orders", name="被督办", max_points=10, catalog=negative)
    row = unit_score("A", "70")
    row.items = [
        ItemScore(ack, Decimal("12"), 1, "/ack"),
        ItemScore(field, Decimal("0"), 0, "/field"),  # not assessed yet: nothing lost
        ItemScore(close, Decimal("18.5"), 1, "/close"),
        ItemScore(orders, Decimal("-9"), 1, "/orders"),  # a deduction is not a lost score
    ]
    assert worst_item(row) == ("按时办结率（18.5/25，失 6.5 分）", "/close")
    row.items = row.items[3:]
    assert worst_item(row) is None


def quarter_of(day: Any) -> tuple[int, str]:
    return day.year, f"Q{(day.month - 1) // 3 + 1}"


def cells(content: dict[str, Any], key: str) -> list[list[Any]]:
    section = next(s for s in content["sections"] if s["key"] == key)
    [table] = section["tables"]
    return table["rows"]


def test_the_quarterly_review_ranks_by_the_assessment_scores(
    month_data, staff, rules, tree, make_user
):
    year, quarter = quarter_of(month_data.first)
    assert not LedgerEntry.objects.exists()
    report = report_generate(
        report_request(actor=staff.dispatcher, kind="quarterly", period=f"{year}-{quarter}").pk
    )
    content = report.content
    assert [s["key"] for s in content["sections"]] == ["q-townships", "q-departments"]
    # The quarter had no ledger: the platform computed it, once.
    runs = AuditLog.objects.filter(action="assessment.scores.compute")
    assert [(r.actor_id, r.extra["period"]) for r in runs] == [(None, quarter)]
    assert LedgerEntry.objects.filter(year=year, period=quarter, automatic=True).exists()

    client = client_for(staff.dispatcher)
    for key, group in (("q-townships", "township"), ("q-departments", "department")):
        _s, _p, expected = scores(user=staff.leader, year=year, period=quarter, group=group)
        rows = cells(content, key)
        assert [(r[0], r[1], r[2]["text"]) for r in rows] == [
            (str(e.rank), e.org.name, str(e.score)) for e in expected
        ]
        # The scores page shows the same numbers.
        page = client.get(f"/assessment/{year}/{quarter}/?group={group}")
        assert [str(r.score) for r in page.context["rows"]] == [r[2]["text"] for r in rows]
        for row, unit in zip(rows, expected, strict=True):
            entries = client.get(row[2]["url"])  # the score: the unit's entries
            assert entries.status_code == 200 and entries.context["unit"] == unit.org
            if isinstance(row[4], dict):  # the item that lost most: its entries sum to it
                listed = client.get(row[4]["url"]).context["entries"]
                points = sum((e.points for e in listed), Decimal(0))
                assert f"（{format(points.normalize(), 'f')}/" in row[4]["text"]
    _s, _p, ranked = scores(user=staff.leader, year=year, period=quarter, group="department")
    named = [r.org.name for r in bottom_named(ranked, 2)]
    # The rule of assessment.selectors.bottom_of: never a unit that shares the best score.
    assert len(ranked) == 3 and named and ranked[0].org.name not in named
    notes = content["sections"][1]["notes"]
    assert notes == [f"本季度考核排名末位：{'、'.join(reversed(named))}，予以点名，限期整改提升。"]
    assert content["sections"][0]["notes"] == ["参与排名的单位不足，本季度不点名。"]

    # A ledger already there is read as it stands: an assessor's field score shows in the
    # next version, and nothing is computed again.
    director = make_user("qdirector", tree.county, Role.CENTER_DIRECTOR)
    manual_score(
        actor=director,
        unit=tree.t2,
        on=month_data.first,
        item_code="field_check",
        points=Decimal(9),
        reason="实地考核",
    )
    again = report_generate(
        report_request(actor=staff.dispatcher, kind="quarterly", period=f"{year}-{quarter}").pk
    )
    _s, _p, expected = scores(user=staff.leader, year=year, period=quarter, group="township")
    assert [r[2]["text"] for r in cells(again.content, "q-townships")] == [
        str(e.score) for e in expected
    ]
    assert AuditLog.objects.filter(action="assessment.scores.compute").count() == 1

    document = Document(BytesIO(client.get(f"/reports/{report.pk}/document/").content))
    assert len(document.tables) == 2
    assert "（待领导点评）" in "\n".join(p.text for p in document.paragraphs)
    newer = Document(BytesIO(client.get(f"/reports/{again.pk}/document/").content))
    township_table = newer.tables[0]
    assert [r.cells[2].text for r in township_table.rows[1:]] == [str(e.score) for e in expected]

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
