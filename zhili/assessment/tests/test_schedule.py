"""The scheduler's scores: every hour the platform (no actor, the whole county) computes the
running month and quarter, and those just ended until the 5th; the year's scheme is made if
missing; each run is audited and gives the same ledger as an assessor's computation."""

from datetime import date

import pytest
import time_machine

from config import schedule
from zhili.assessment.models import LedgerEntry, Scheme
from zhili.assessment.scheduled import periods_due
from zhili.assessment.services import scores_compute
from zhili.assessment.tests.conftest import YEAR
from zhili.assessment.tests.test_compute import LATER, ledger
from zhili.cases.tests.test_figures import at
from zhili.core.models import AuditLog

pytestmark = pytest.mark.any_day


def test_the_job_is_scheduled_hourly():
    jobs = {name: (every, path) for name, every, path in schedule.PERIODIC_JOBS}
    assert jobs["assessment.scores"] == (3600, "zhili.assessment.tasks.compute_scores_task")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # The month before is kept current until the 5th; its quarter too when it ended one.
        (date(2026, 12, 2), [(2026, "M11"), (2026, "M12"), (2026, "Q4")]),
        (date(2026, 12, 5), [(2026, "M11"), (2026, "M12"), (2026, "Q4")]),
        (date(2026, 12, 6), [(2026, "M12"), (2026, "Q4")]),
        (date(2026, 10, 3), [(2026, "M09"), (2026, "Q3"), (2026, "M10"), (2026, "Q4")]),
        # Across the year: the December before is in its own year's scheme.
        (date(2027, 1, 1), [(2026, "M12"), (2026, "Q4"), (2027, "M01"), (2027, "Q1")]),
        (date(2027, 2, 20), [(2027, "M02"), (2027, "Q1")]),
    ],
)
def test_the_periods_due(today, expected):
    assert [(p.year, p.code) for p in periods_due(today)] == expected


def test_the_worker_computes_the_county_as_an_assessor_would(
    transactional_db, month, world, mediations, assessors, tree
):
    """Run as the worker runs it (no transaction around the job), with no scheme yet."""
    from django.db import connection

    from zhili.assessment.tasks import compute_scores_task

    assert not connection.in_atomic_block and not Scheme.objects.exists()
    with time_machine.travel(LATER, tick=False):  # 2 December: November still open
        done = compute_scores_task.call()
    assert set(done) == {f"{YEAR}-M11", f"{YEAR}-M12", f"{YEAR}-Q4"}
    assert Scheme.objects.filter(year=YEAR).exists()
    runs = AuditLog.objects.filter(action="assessment.scores.compute")
    assert sorted(r.extra["period"] for r in runs) == ["M11", "M12", "Q4"]
    assert {r.actor_id for r in runs} == {None}
    # The county's disputes were read (not the empty sight of nobody): 甲镇's November.
    dispute = LedgerEntry.objects.get(key=f"auto:{YEAR}:M11:dispute_rate:{tree.t1.code}")
    assert dispute.detail["whole"] > 0 and dispute.posted_by is None
    cases = LedgerEntry.objects.get(key=f"auto:{YEAR}:M11:close_rate:320722-ZJJ")
    assert cases.detail["whole"] > 0
    by_platform = ledger()
    assert len(by_platform) == sum(done.values())

    # The director computing the same periods finds the same ledger; the job again too.
    with time_machine.travel(LATER, tick=False):
        for period in ("11", "12", "Q4"):
            scores_compute(actor=assessors.director, year=YEAR, period=period)
        assert ledger() == by_platform
        compute_scores_task.call()
    assert ledger() == by_platform


def test_a_closed_month_is_left_as_it_stands(month, scheme):
    with time_machine.travel(at(2026, 12, 6, 9, 0), tick=False):
        from zhili.assessment.tasks import compute_scores_task

        done = compute_scores_task.call()
    assert set(done) == {f"{YEAR}-M12", f"{YEAR}-Q4"}
    assert not LedgerEntry.objects.filter(period="M11").exists()
