"""The monthly report on built data: exact figures, the unit's subtree, the user's scope,
the month's edges in local time, and the workbook holding the page's numbers."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhili.core.errors import InvalidInput
from zhili.mediation.models import Dispute
from zhili.mediation.reports.stats import monthly_table, report_units
from zhili.mediation.reports.table import COLUMNS
from zhili.mediation.reports.tests.conftest import at, make_dispute
from zhili.mediation.reports.workbook import HEADER_ROW, render_monthly_xlsx
from zhili.mediation.selectors import prevented_criminal

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(world):
    d = make_dispute
    # Township T1's own committee.
    d(world.c1, registered_at=at(2026, 11, 2), outcome="agreement", outcome_at=at(2026, 11, 5),
      people=3, risk_criminal=True)  # fmt: skip
    d(world.c1, source="application", registered_at=at(2026, 10, 20), outcome="no_agreement",
      outcome_at=at(2026, 11, 10), people=2)  # fmt: skip
    d(world.c1, kind="labour", source="application", registered_at=at(2026, 11, 3),
      outcome="refused", outcome_at=at(2026, 11, 4), people=4)  # fmt: skip
    d(world.c1, kind="labour", source="court_referral", registered_at=at(2026, 11, 12))
    # A party ended the mediation (人民调解法 第二十三条): counted apart, not 调解不成.
    d(world.c1, kind="traffic", registered_at=at(2026, 10, 25), outcome="terminated",
      outcome_at=at(2026, 11, 7), people=6)  # fmt: skip
    d(world.c1, registered_at=at(2026, 11, 30, 23))  # 23:00 local on the last day: counted
    d(world.c1, registered_at=at(2026, 12, 1, 0))  # 00:00 local on the next month: not
    d(world.c1, registered_at=at(2026, 10, 1), outcome="agreement", outcome_at=at(2026, 10, 15))
    # Village V11, under T1.
    d(world.c11, kind="marriage_family", registered_at=at(2026, 11, 1), outcome="agreement",
      outcome_at=at(2026, 11, 20), people=5, risk_group_petition=True)  # fmt: skip
    # Outside T1: township T2 and the county's own committee.
    d(world.c2, registered_at=at(2026, 11, 2), outcome="agreement", outcome_at=at(2026, 11, 3),
      people=7)  # fmt: skip
    d(world.c0, kind="contract", source="police_referral", registered_at=at(2026, 11, 5),
      outcome="agreement", outcome_at=at(2026, 11, 6), people=2)  # fmt: skip


def figures(line):
    return {attr: getattr(line, attr) for attr, _h, _u in COLUMNS}


def test_township_report_counts_its_subtree_exactly(world, month):
    table = monthly_table(user=world.chair, year=2026, month=11)
    assert table.unit_name == "甲镇综治中心"
    total = figures(table.total)
    assert total == {
        "registered": 5,
        "mediated": 3,
        "succeeded": 2,
        "failed": 1,
        "success_rate": 66.7,
        "refused": 1,
        "terminated": 1,
        "people": 10,
        "criminal_cases": 1,
        "criminal_people": 3,
        "petition_cases": 1,
        "petition_people": 5,
    }
    kinds = {line.code: line for line in table.sections[0].lines}
    assert len(kinds) == 15
    assert (kinds["neighbourhood"].registered, kinds["neighbourhood"].mediated) == (2, 2)
    assert (kinds["labour"].registered, kinds["labour"].refused) == (2, 1)
    assert (kinds["traffic"].terminated, kinds["traffic"].mediated, kinds["traffic"].failed) == (
        1,
        0,
        0,
    )
    assert kinds["marriage_family"].succeeded == 1 and kinds["contract"].registered == 0
    sources = {line.code: line for line in table.sections[1].lines}
    assert sources["court_referral"].registered == 1 and sources["application"].mediated == 1
    levels = {line.code: line for line in table.sections[2].lines}
    assert (levels["village"].succeeded, levels["township"].succeeded) == (1, 1)
    assert levels["county"].registered == 0
    for section in table.sections:
        assert figures(section.total) == total
    # 本年累计 adds October's three disputes (one registered and concluded in October, two
    # registered in October and concluded in November).
    year = table.year_total
    assert year.label == "本年累计（1-11月）"
    assert (year.registered, year.mediated, year.succeeded, year.people) == (8, 4, 3, 12)
    assert year.terminated == 1


def test_prevented_criminal_agrees_with_the_mediation_selector(world, month):
    table = monthly_table(user=world.chair, year=2026, month=11)
    concluded = Dispute.objects.filter(
        path__startswith=world.c1.path,
        outcome_at__gte=at(2026, 11, 1, 0),
        outcome_at__lt=at(2026, 12, 1, 0),
    )
    assert prevented_criminal(concluded) == (
        table.total.criminal_cases,
        table.total.criminal_people,
    )


def test_out_of_scope_disputes_are_not_counted(world, month):
    county = monthly_table(user=world.county_chair, year=2026, month=11)
    assert (county.total.registered, county.total.mediated, county.total.succeeded) == (7, 5, 4)
    assert county.total.people == 19 and county.total.success_rate == 80.0
    village = monthly_table(user=world.county_chair, year=2026, month=11, unit_code="320722901001")
    assert (village.total.registered, village.total.succeeded) == (1, 1)
    # A township chair can neither pick another township nor the county.
    codes = set(report_units(world.chair).values_list("code", flat=True))
    assert codes == {"320722901", "320722901001", "320722901002"}
    for code in ("320722902", "320722"):
        with pytest.raises(InvalidInput) as exc:
            monthly_table(user=world.chair, year=2026, month=11, unit_code=code)
        assert exc.value.field == "unit"


def test_other_months_and_bad_months(world, month):
    october = monthly_table(user=world.chair, year=2026, month=10)
    assert (october.total.registered, october.total.succeeded) == (3, 1)
    december = monthly_table(user=world.chair, year=2026, month=12)
    assert december.total.registered == 1
    for year, m in ((2026, 13), (2026, 0), (1999, 5)):
        with pytest.raises(InvalidInput) as exc:
            monthly_table(user=world.chair, year=year, month=m)
        assert exc.value.field == "month"


def test_workbook_cells_hold_the_same_numbers(world, month):
    table = monthly_table(user=world.chair, year=2026, month=11)
    sheet = load_workbook(BytesIO(render_monthly_xlsx(table))).active
    assert "2026年11月" in sheet.cell(2, 7).value
    labels = [sheet.cell(r, 1).value for r in range(HEADER_ROW + 2, sheet.max_row + 1)]
    assert "按纠纷类型" in labels and "按调解组织层级" in labels
    row_of = {}
    for r in range(HEADER_ROW + 2, sheet.max_row + 1):
        row_of.setdefault(sheet.cell(r, 1).value, r)
    for section in table.sections:
        for line in [*section.lines]:
            values = [sheet.cell(row_of[line.label], c).value for c in range(2, len(COLUMNS) + 2)]
            assert values == list(figures(line).values()), line.label
    year_row = row_of["本年累计（1-11月）"]
    assert [sheet.cell(year_row, c).value for c in range(2, 5)] == [8, 4, 3]
    total_row = row_of["合计"]
    assert [sheet.cell(total_row, c).value for c in range(2, 10)] == [5, 3, 2, 1, 66.7, 1, 1, 10]
