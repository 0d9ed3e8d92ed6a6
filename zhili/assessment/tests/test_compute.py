"""scores_compute: the automatic items from the platform's figures into the ledger, the same
numbers as the figures' own pages, and the same ledger when computed again."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from zhili.assessment import formulas
from zhili.assessment.models import LedgerEntry
from zhili.assessment.selectors import scores
from zhili.assessment.services import scores_compute
from zhili.assessment.tests.conftest import YEAR
from zhili.cases.figures import unit_figures
from zhili.cases.tests.test_figures import at
from zhili.core.errors import Forbidden, InvalidInput, NotFound

LATER = at(2026, 12, 2, 9, 0)


def ledger():
    return sorted(
        LedgerEntry.objects.values_list("key", "points", "reason", "source_url", "detail")
    )


@pytest.fixture
def computed(month, scheme, assessors):
    with time_machine.travel(LATER, tick=False):
        return scores_compute(actor=assessors.director, year=YEAR, period="11")


def test_the_case_items_are_the_unit_figures(computed, staff, rules):
    with time_machine.travel(LATER, tick=False):
        [_cgj, zjj] = unit_figures(
            user=staff.leader, start=date(2026, 11, 1), end=date(2026, 11, 30)
        )
    item_rates = {
        "ack_rate": zjj.acknowledged_on_time_rate,
        "close_rate": zjj.closed_on_time_rate,
        "satisfaction": zjj.satisfaction_rate,
        "return_rate": zjj._rate(zjj.returned, zjj.received),
    }
    for code, rate in item_rates.items():
        entry = LedgerEntry.objects.get(key=f"auto:{YEAR}:M11:{code}:320722-ZJJ")
        item = entry.item
        assert entry.points == formulas.points(item.formula, rate, item.max_points, item.params)
        assert entry.detail["value"] == rate
        # The unit's own cases of the month (test_sources follows the links and counts them).
        assert entry.source_url == entry.detail["links"][0]["url"]
        assert "figure_unit=320722-ZJJ&figure_from=2026-11-01&figure_to=2026-11-30" in (
            entry.source_url
        )
    # 住建局: 2 of 3 judged cases acknowledged on time; the 签收 band starts at 85 %: 0 points.
    ack = LedgerEntry.objects.get(key=f"auto:{YEAR}:M11:ack_rate:320722-ZJJ")
    assert (ack.detail["part"], ack.detail["whole"], ack.points) == (2, 3, Decimal("0.00"))
    # 城管局 rated nothing: the satisfaction item has nothing to judge and keeps its maximum.
    sat = LedgerEntry.objects.get(key=f"auto:{YEAR}:M11:satisfaction:320722-CGJ")
    assert (sat.detail["whole"], sat.points) == (0, sat.item.max_points)


def test_every_ranked_unit_gets_each_item_of_its_group(computed, tree, rules):
    townships = {tree.t1.code, tree.t2.code}
    dispute = LedgerEntry.objects.filter(item__code="dispute_rate")
    assert {e.unit.code for e in dispute} == townships
    assist = LedgerEntry.objects.filter(item__code="assist_rate")
    assert townships.isdisjoint({e.unit.code for e in assist})


def test_rectification_is_the_findings_due_in_the_period(month, scheme, assessors, tree, make_user):
    """甲镇 had two findings due in November: one reported by its deadline and passed, one
    reported late; 50 % on time is below the band's floor of 90: no points."""
    from zhili.inspections.models import Finding
    from zhili.inspections.services import FindingInput, end_of, finding_issue

    director = assessors.director
    for n, reported in enumerate((date(2026, 11, 9), date(2026, 11, 20))):
        data = FindingInput(
            unit=tree.t1.code,
            problem=f"问题{n}",
            requirement="整改",
            due_on=date(2026, 11, 10),
            unit_leader="书记",
        )
        with time_machine.travel(at(2026, 11, 1, 9, 0), tick=False):
            finding = finding_issue(actor=director, inspection=None, data=data, center=tree.county)
        Finding.objects.filter(pk=finding.pk).update(reported_at=end_of(reported))
    with time_machine.travel(LATER, tick=False):
        done = scores_compute(actor=director, year=YEAR, period="11")
    assert done.skipped == []
    entry = LedgerEntry.objects.get(key=f"auto:{YEAR}:M11:rectification_on_time:{tree.t1.code}")
    assert (entry.detail["part"], entry.detail["whole"], entry.points) == (1, 2, Decimal("0.00"))
    assert entry.source_url == (
        f"/inspections/findings/?state=all&within={tree.t1.code}"
        "&due_from=2026-11-01&due_to=2026-11-30"
    )
    assert [link["n"] for link in entry.detail["links"]] == [2, 1, 1]


def test_computing_again_gives_the_same_ledger(computed, assessors):
    first = ledger()
    assert len(first) == computed.entries
    with time_machine.travel(LATER, tick=False):
        again = scores_compute(actor=assessors.director, year=YEAR, period="11")
    assert (again.entries, again.removed) == (computed.entries, 0)
    assert ledger() == first


def test_the_platform_computes_what_a_county_assessor_does(
    month, world, mediations, scheme, assessors, tree
):
    """No actor (the scheduler, a 季点评) reads the whole county: the same ledger as the
    center's director, disputes included."""
    with time_machine.travel(LATER, tick=False):
        scores_compute(actor=assessors.director, year=YEAR, period="11")
        by_director = ledger()
        LedgerEntry.objects.all().delete()
        scores_compute(actor=None, year=YEAR, period="11")
    assert ledger() == by_director
    dispute = LedgerEntry.objects.get(key=f"auto:{YEAR}:M11:dispute_rate:{tree.t1.code}")
    assert dispute.detail["whole"] > 0


def test_the_scores_sum_the_ledger(computed, staff, rules):
    _scheme, _p, rows = scores(user=staff.leader, year=YEAR, period="11", group="department")
    for row in rows:
        entries = LedgerEntry.objects.filter(unit=row.org, period="M11")
        by_item = {i.item.code: i.points for i in row.items}
        for entry in entries:
            assert by_item[entry.item.code] == entry.points
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    assert rows[0].score >= rows[-1].score


def test_compute_needs_the_right_a_scheme_and_a_period(month, staff, assessors, scheme):
    with pytest.raises(Forbidden):
        scores_compute(actor=staff.township, year=YEAR, period="11")
    with pytest.raises(NotFound):
        scores_compute(actor=assessors.director, year=YEAR + 1, period="11")
    with pytest.raises(InvalidInput) as exc:
        scores_compute(actor=assessors.director, year=YEAR, period="13")
    assert exc.value.field == "period"


@pytest.mark.django_db(transaction=True)
def test_two_computations_of_a_period_at_once_give_one_ledger(month, scheme, assessors):
    """The hourly job and an assessor's 计算 at the same moment: the second waits for the
    first and updates its rows (no duplicate key), the ledger as one computation makes it.
    Real threads, each with its own connection (on PostgreSQL the scheme's row lock)."""
    from zhili.cases.tests.test_concurrency import run_together

    def work(i: int) -> object:
        with time_machine.travel(LATER, tick=False):
            actor = assessors.director if i else None
            return scores_compute(actor=actor, year=YEAR, period="11")

    results = run_together(2, work)
    assert not [r for r in results if isinstance(r, BaseException)], results
    together = ledger()
    with time_machine.travel(LATER, tick=False):
        scores_compute(actor=assessors.director, year=YEAR, period="11")
    assert ledger() == together and len(together) == results[0].entries
