"""The assessment (考核评价, issue 18) at a million cases: the scores of 23 townships and 60
departments.

Setup: the Donghai demo's organizations and catalog, with 2 more township centers and 44 more
county departments (23 and 60 ranked units, as the issue asks), topped up to
ASSESSMENT_BENCH_CASES (default 1,000,000) synthetic cases (bench.cases: 30 s apart over the
last year, about 87,000 a month, spread over the departments). The synthetic rows carry no
handling times, so the dispatched ones are given what the unit figures count
(`_like_handled`): dispatched 10 minutes after registration, an acknowledgement deadline an
hour later and, for one in 7, a late acknowledgement; a reply before the deadline for the
rated ones, a day after it for one in 9 of them; one in 50 returned. Who registered them
(`_registered_by`), in the demo's shares: one in five a worker of the case's village (the
grid's reports), two in three the county's dispatcher (the calls), the rest nobody (web,
110): the data-quality metric reads the cases a township's own people registered.

- `assessment.compute_month_ms`: `scores_compute` of last month (every automatic item of the
  default scheme: the unit figures over the month's cases, the disputes, the visits, the
  supervision orders, written into the ledger), median of RUNS after a first run; aim ≤ 1 s;
- `assessment.scores_month_ms`: the two groups' scores of that month read from the ledger
  (`group_scores`: sums, catalogs, ranks, vetoes, grades), median of RUNS;
- `assessment.compute_year_first_ms`: `scores_compute` of the whole year so far (every case),
  the first time (it writes the year's entries, and reads the year's cases for the first
  time right after the load: 464 ms against 411 ms for the next ones in a quiet run of
  2026-12-05, 1.05 s in an earlier run while the disk was still busy; docs/assessment.md);
- `assessment.compute_year_ms`: the same again, as the month is measured (the entries
  recomputed over data already read once), median of 3; aim ≤ 1 s;
- `assessment.compute_month_cpu_ms`, `assessment.compute_year_cpu_ms`: this process's CPU
  time over the same runs (median; on SQLite the database's work too, on PostgreSQL not the
  server's), the figure a loaded machine's wall time hides;
- `assessment.ledger_rows`: the ledger's rows after the month's and the year's computation.
"""

import os
import statistics
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from bench.cases import analyze, setup, top_up
from zhili.assessment.models import Group, LedgerEntry
from zhili.assessment.periods import parse_period
from zhili.assessment.selectors import group_scores
from zhili.assessment.services import scheme_create_default, scores_compute
from zhili.assessment.units import ranked_units
from zhili.orgs.models import Organization, User

CASES = int(os.environ.get("ASSESSMENT_BENCH_CASES", "1000000"))
RUNS = 5
TOWNSHIPS, DEPARTMENTS = 23, 60


def _more_units() -> None:
    """Township centers and county departments up to 23 and 60."""
    county = Organization.objects.get(code="320722")
    have = ranked_units([Group.TOWNSHIP]).count()
    for n in range(have, TOWNSHIPS):
        code = f"320722{n + 1:03d}"
        Organization.objects.get_or_create(
            code=code,
            defaults=dict(
                name=f"基准乡镇{n + 1}综治中心",
                kind="center",
                level="township",
                parent=county,
                path=f"{county.path}{code}/",
                depth=1,
                is_demo=True,
            ),
        )
    have = ranked_units([Group.DEPARTMENT]).count()
    for n in range(have, DEPARTMENTS):
        code = f"320722-BD{n:02d}"
        Organization.objects.get_or_create(
            code=code,
            defaults=dict(
                name=f"基准部门{n}",
                kind="department",
                level="county",
                parent=county,
                path=f"{county.path}{code}/",
                depth=1,
                is_demo=True,
            ),
        )


def _like_handled() -> None:
    """The handling times the unit figures read, in three statements over the table."""
    with connection.cursor() as cursor:
        table = "cases_case"
        shift = _interval
        cursor.execute(
            f"UPDATE {table} SET dispatched_at = {shift('registered_at', 600)}, "
            f"acknowledge_due_at = {shift('registered_at', 4200)} "
            "WHERE lead_unit_id IS NOT NULL AND dispatched_at IS NULL"
        )
        cursor.execute(
            f"UPDATE {table} SET acknowledged_at = CASE WHEN id % 7 = 0 "
            f"THEN {shift('registered_at', 9000)} ELSE {shift('registered_at', 1800)} END "
            "WHERE dispatched_at IS NOT NULL AND acknowledged_at IS NULL AND state <> 'dispatched'"
        )
        cursor.execute(
            f"UPDATE {table} SET due_at = {shift('registered_at', 3 * 86400)}, "
            f"replied_at = CASE WHEN id % 9 = 0 THEN {shift('registered_at', 4 * 86400)} "
            f"ELSE {shift('registered_at', 86400)} END, "
            "returned_count = CASE WHEN id % 50 = 0 THEN 1 ELSE 0 END "
            "WHERE state = 'rated' AND replied_at IS NULL"
        )


def _registered_by() -> None:
    """The registering user of the synthetic cases (which carry none), in the shares of the
    demo's channels (zhili/cases/demo/sampling.py: grid reports 20 %, the web and 110 12 %,
    the rest calls taken by the county's dispatchers)."""
    dispatcher = User.objects.get(username="dispatcher").pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET registered_by_id = CASE WHEN id %% 100 < 20 THEN "
            "(SELECT MIN(u.id) FROM orgs_user u WHERE u.organization_id = cases_case.village_id) "
            "ELSE %s END WHERE registered_by_id IS NULL AND id %% 100 < 88",
            [dispatcher],
        )


def _interval(column: str, seconds: int) -> str:
    if connection.vendor == "postgresql":
        return f"{column} + interval '{seconds} seconds'"
    return f"datetime({column}, '+{seconds} seconds')"


def _timed(fn, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    return _timed_cpu(fn, runs)[0]


def _timed_cpu(fn, runs: int = RUNS) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(wall, this process's CPU) in ms, the median of `runs` each."""
    seconds, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return round(statistics.median(seconds) * 1000, 1), round(statistics.median(cpu) * 1000, 1)


def measure() -> dict[str, tuple[float, str]]:
    analyze()
    now = timezone.localdate()
    last_month = now.replace(day=1) - timedelta(days=1)
    actor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-assessor", password=None
    )
    scheme = scheme_create_default(actor=actor, year=last_month.year)
    month = f"{last_month.month:02d}"
    compute = lambda: scores_compute(actor=actor, year=last_month.year, period=month)  # noqa: E731
    compute()  # warm: the first run reads the tables from disk
    compute_ms, compute_cpu_ms = _timed_cpu(compute)
    period = parse_period(last_month.year, month)
    groups = {g: list(ranked_units([g])) for g in Group.values}
    read_ms = _timed(
        lambda: [group_scores(scheme, period, g, units) for g, units in groups.items()]
    )
    assert [len(u) for u in groups.values()] == [TOWNSHIPS, DEPARTMENTS]
    scheme_create_default(actor=actor, year=now.year)
    year = lambda: scores_compute(actor=actor, year=now.year, period="year")  # noqa: E731
    first_ms = _timed(year, runs=1)
    year_ms, year_cpu_ms = _timed_cpu(year, runs=3)
    return {
        "assessment.compute_month_ms": (compute_ms, "ms"),
        "assessment.compute_month_cpu_ms": (compute_cpu_ms, "ms"),
        "assessment.scores_month_ms": (read_ms, "ms"),
        "assessment.compute_year_first_ms": (first_ms, "ms"),
        "assessment.compute_year_ms": (year_ms, "ms"),
        "assessment.compute_year_cpu_ms": (year_cpu_ms, "ms"),
        "assessment.ledger_rows": (LedgerEntry.objects.count(), "rows"),
    }


def run() -> dict[str, tuple[float, str]]:
    setup()
    _more_units()
    top_up(CASES)
    _like_handled()
    _registered_by()
    return measure()
