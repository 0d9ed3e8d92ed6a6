"""The 日报 (issue 18) at a million cases.

Setup: the Donghai demo's organizations and catalog, topped up to REPORTS_BENCH_CASES
(default 1,000,000) synthetic cases written straight into the table (bench.cases: 30 s apart
over the last year, so about 2,900 a day, 57 % of the million still open), cards as the sweep
leaves them (bench.screen.card_some).

- `reports.daily_s`: yesterday's 日报 generated as the worker does (`report_generate`: every
  section's queries, the records kept behind the figures, the snapshot written), median of
  RUNS; aim ≤ 2 s;
- `reports.daily_docx_ms`: its Word file rendered from the snapshot, median of RUNS;
- `reports.daily_kept_rows`: the records kept in the snapshot (the figures without a list);
- `reports.monthly_s`: last month's 月分析 generated as the worker does (every section, the
  charts drawn with matplotlib), then its Word file rendered with the charts embedded: the
  two together, median of RUNS; aim ≤ 2 s. `reports.monthly_cpu_s` is this process's CPU
  time over the same span (median of RUNS: on SQLite the database's work too, on PostgreSQL
  not the server's), the figure a loaded machine's wall time hides;
  `reports.monthly_docx_ms` is the Word part alone, `reports.monthly_cases` the month's cases
  it counted.
"""

import os
import statistics
import time
from datetime import timedelta

from django.db.models import F
from django.db.models.functions import Mod

from bench.cases import analyze, setup, top_up
from bench.screen import RUNNING, card_some
from zhili.cases.models import Case
from zhili.reports.documents import render_report_docx
from zhili.reports.models import Report
from zhili.reports.periods import Period, last_month, yesterday
from zhili.reports.services import county_center, report_generate

CASES = int(os.environ.get("REPORTS_BENCH_CASES", "1000000"))
RUNS = 5


def generate_once(period: Period) -> Report:
    version = Report.objects.filter(kind=period.kind, period=period.text).count() + 1
    report = Report.objects.create(
        kind=period.kind, period=period.text, version=version, center=county_center()
    )
    return report_generate(report.pk)


def daily_once() -> Report:
    return generate_once(yesterday())


def overdue_some() -> None:
    late = Case.objects.annotate(m=Mod("id", 100)).filter(state__in=RUNNING, m=7)
    late.update(due_at=F("registered_at") + timedelta(days=3))


def measure() -> dict[str, tuple[float, str]]:
    analyze()
    daily_once()  # warm: the first run reads the tables from disk
    seconds, rendered = [], []
    report = None
    for _ in range(RUNS):
        started = time.perf_counter()
        report = daily_once()
        seconds.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_report_docx(report)
        rendered.append((time.perf_counter() - started) * 1000)
    assert report is not None and report.state == "done"
    kept = sum(len(r["rows"]) for r in report.content["records"].values())
    return {
        **measure_monthly(),
        "reports.daily_s": (round(statistics.median(seconds), 3), "s"),
        "reports.daily_max_s": (round(max(seconds), 3), "s"),
        "reports.daily_docx_ms": (round(statistics.median(rendered), 1), "ms"),
        "reports.daily_kept_rows": (kept, "rows"),
    }


def measure_monthly() -> dict[str, tuple[float, str]]:
    period = last_month()
    render_report_docx(generate_once(period))  # warm: matplotlib's fonts, the month's pages
    seconds, cpu, rendered = [], [], []
    report = None
    for _ in range(RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        report = generate_once(period)
        middle = time.perf_counter()
        render_report_docx(report)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        rendered.append((time.perf_counter() - middle) * 1000)
    assert report is not None and report.state == "done"
    [totals] = report.content["sections"][0]["tables"]
    return {
        "reports.monthly_s": (round(statistics.median(seconds), 3), "s"),
        "reports.monthly_max_s": (round(max(seconds), 3), "s"),
        "reports.monthly_cpu_s": (round(statistics.median(cpu), 3), "s"),
        "reports.monthly_docx_ms": (round(statistics.median(rendered), 1), "ms"),
        "reports.monthly_cases": (totals["rows"][0][1]["n"], "cases"),
    }


def run() -> dict[str, tuple[float, str]]:
    setup()
    top_up(CASES)
    card_some()
    overdue_some()
    return measure()
