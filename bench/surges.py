"""Early warning's rule (e), statistical surges (issue 18), at a million cases.

Setup: the Donghai demo's organizations and catalog, topped up to BENCH_SURGE_CASES (default
1,000,000) synthetic cases written straight into the table (bench.cases: 30 s apart over the
last year, about 2,900 a day, spread over the 346 villages and the catalog's leaves; the same
rows bench.screen uses), then the table's statistics.

- `warnings.rule_e_scan_ms`: the daily scan of yesterday, as the scheduler runs it: the
  matrix read from the cases (`case_counts`, 29 days, about 84,000 cases in one grouped
  query) and the test of every village × category (`detect_surges`); median of 5. Aim ≤ 1 s.
- `warnings.rule_e_counts_ms`, `warnings.rule_e_detect_ms`: the two parts, medians of 5.
- `warnings.scan_ms`: the whole scan the scheduler runs (`warnings_scan`: rules (a)-(e), with
  what they find settled into warnings), median of 5 after a first scan that issued them;
  `warnings.rule_<kind>_ms` each rule's evaluation alone. The synthetic rows carry no phone
  and one address, so the last 31 days are first given what a county's requests have
  (`_like_a_county`): a phone each, one request in 200 from 400 frequent callers, addresses
  of 40 doorways a village, a closure two days after for the rated ones, and one title in
  1,000 about wage arrears. Aim ≤ 1 s.
"""

import os
import statistics
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from bench.cases import analyze, setup, top_up
from zhili.cases.models import Case, State
from zhili.warnings.counts import case_counts
from zhili.warnings.models import WarningRule
from zhili.warnings.rules import EVALUATORS
from zhili.warnings.services import warnings_scan
from zhili.warnings.surge import BASELINE_DAYS, detect_surges

CASES = int(os.environ.get("BENCH_SURGE_CASES", "1000000"))
REPEAT = 5


def scan() -> tuple[float, float, int, int]:
    """One daily scan: (ms reading, ms testing, cases read, warnings)."""
    day = timezone.localdate() - timedelta(days=1)
    started = time.perf_counter()
    counts, _villages, _categories = case_counts(day, history_days=BASELINE_DAYS + 1)
    read = time.perf_counter()
    found = detect_surges(counts)
    done = time.perf_counter()
    return (read - started) * 1000, (done - read) * 1000, int(counts.sum()), len(found)


def _like_a_county() -> int:
    """The last 31 days' synthetic cases given a county's phones, addresses, closures and a
    few sensitive titles (see the module's docstring); how many rows were changed."""
    since = timezone.now() - timedelta(days=31)
    rows = Case.objects.filter(registered_at__gte=since).values_list(
        "id", "village_id", "state", "registered_at"
    )
    changes = []
    for case_id, village_id, state, registered_at in rows.iterator(chunk_size=10_000):
        # one case in 200 comes from one of 400 frequent callers (case_id // 200 spreads them)
        phone = f"1370000{case_id // 200 % 400:04d}" if case_id % 200 == 0 else f"139{case_id:08d}"
        address = f"东海县{village_id}村{case_id % 40}号"
        closed = registered_at + timedelta(days=2) if state == State.RATED else None
        title = "工地农民工集体讨薪" if case_id % 1000 == 0 else "基准工单"
        changes.append((phone, address, closed, title, case_id))
    table = Case._meta.db_table
    sql = f"UPDATE {table} SET reporter_phone = %s, address = %s, closed_at = %s, title = %s WHERE id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, changes)
    return len(changes)


def full_scan() -> dict[str, tuple[float, str]]:
    """The scheduler's whole scan, and each rule's evaluation alone (medians of 5)."""
    now = timezone.now()
    warnings_scan(now=now)  # the first: issues what the rules find
    totals = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        warnings_scan(now=now)
        totals.append((time.perf_counter() - started) * 1000)
    results = {"warnings.scan_ms": (round(statistics.median(totals), 1), "ms")}
    for rule in WarningRule.objects.filter(enabled=True):
        times = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            EVALUATORS[rule.kind](rule, now)
            times.append((time.perf_counter() - started) * 1000)
        results[f"warnings.rule_{rule.kind}_ms"] = (round(statistics.median(times), 1), "ms")
    return results


def run() -> dict[str, tuple[float, str]]:
    setup()
    top_up(CASES)
    _like_a_county()
    analyze()
    scan()  # warm: the pages of the index and the table in the cache, as on a running server
    runs = [scan() for _ in range(REPEAT)]
    reading = statistics.median(r[0] for r in runs)
    testing = statistics.median(r[1] for r in runs)
    total = statistics.median(r[0] + r[1] for r in runs)
    return {
        "warnings.rule_e_cases_read": (runs[0][2], "cases"),
        "warnings.rule_e_counts_ms": (round(reading, 1), "ms"),
        "warnings.rule_e_detect_ms": (round(testing, 1), "ms"),
        "warnings.rule_e_scan_ms": (round(total, 1), "ms"),
        **full_scan(),
    }
