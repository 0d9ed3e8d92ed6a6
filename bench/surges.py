"""Early warning's rule (e), statistical surges (issue 18), at a million cases.

Setup: the Donghai demo's organizations and catalog, topped up to BENCH_SURGE_CASES (default
1,000,000) synthetic cases written straight into the table (bench.cases: 30 s apart over the
last year, about 2,900 a day, spread over the 346 villages and the catalog's leaves; the same
rows bench.screen uses), then the table's statistics.

- `warnings.rule_e_scan_ms`: the daily scan of yesterday, as the scheduler runs it: the
  matrix read from the cases (`case_counts`, 29 days, about 84,000 cases in one grouped
  query) and the test of every village × category (`detect_surges`); median of 5. Aim ≤ 1 s.
- `warnings.rule_e_counts_ms`, `warnings.rule_e_detect_ms`: the two parts, medians of 5.
"""

import os
import statistics
import time
from datetime import timedelta

from django.utils import timezone

from bench.cases import analyze, setup, top_up
from zhili.warnings.counts import case_counts
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


def run() -> dict[str, tuple[float, str]]:
    setup()
    top_up(CASES)
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
    }
