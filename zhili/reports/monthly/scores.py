"""The 月分析's assessment scores (考核得分): the townships (乡镇/街道/场区) and the county
departments (县直部门) ranked by the month's scores, each with its score and rank the month
before and the change. The units at the foot are named by the assessment's own 月度通报
(its leaderboard's `flagged`), not here.

The scores are the assessment's monthly ledger (zhili.assessment.selectors.group_scores for
the period `01`..`12`: the same numbers as the 考核得分与排名 page and
`GET /api/v1/assessment/{year}/{period}/scores`), read as zhili.reports.quarterly reads the
quarter's: when the month (or the month before) has no computed entry yet, the platform
computes it first (zhili.assessment.scheduled.period_ensure); entries already there are read
as they stand. Every score links to the ledger entries it sums (the unit's 台账 of that
month), each entry to its records.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zhili.assessment.models import Group, Scheme
from zhili.assessment.periods import Period as AssessmentPeriod
from zhili.assessment.scheduled import CLOSE_DAY, period_ensure
from zhili.assessment.selectors import UnitScore, entries_url, group_scores
from zhili.assessment.units import ranked_units
from zhili.core.dates import FIRST_DAY
from zhili.reports.sections import Builder, Cell, Content

SHARED = "monthly.assessment"
COLUMNS = ["名次", "单位", "考核得分", "上月得分", "较上月", "上月名次", "等次"]


@dataclass(frozen=True)
class Month:
    """An assessment month: its scheme and period."""

    scheme: Scheme
    period: AssessmentPeriod


def _ensured(first: date) -> Month:
    period = period_ensure(first.year, f"{first.month:02d}")
    return Month(Scheme.objects.get(year=period.year), period)


def months(builder: Builder) -> tuple[Month, Month | None]:
    """The report's month and the month before (None before the first year the platform
    keeps), their ledgers computed first when they have none; once per report."""
    if SHARED not in builder.shared:
        first = builder.period.first
        before = (first - timedelta(days=1)).replace(day=1)
        previous = _ensured(before) if before >= FIRST_DAY else None
        builder.shared[SHARED] = (_ensured(first), previous)
    found: tuple[Month, Month | None] = builder.shared[SHARED]
    return found


def ranking(month: Month, group: str) -> list[UnitScore]:
    """Every ranked unit of the group, best first (ties share a rank), as the scores page."""
    return group_scores(month.scheme, month.period, group, list(ranked_units([group])))


def difference(now: Decimal, before: Decimal) -> str:
    """The change of a score as signed points; 持平 for none."""
    change = now - before
    return "持平" if change == 0 else f"{change:+.2f}"


def _row(
    builder: Builder,
    month: Month,
    row: UnitScore,
    earlier: UnitScore | None,
    previous: Month | None,
) -> list[Cell]:
    grade = row.grade_label + ("（一票否决）" if row.vetoed else "")
    cells: list[Cell] = [
        str(row.rank),
        row.org.name,
        builder.link(str(row.score), entries_url(month.period, row.org)),
    ]
    if earlier is None or previous is None:
        return [*cells, "—", "—", "—", grade]
    return [
        *cells,
        builder.link(str(earlier.score), entries_url(previous.period, earlier.org)),
        difference(row.score, earlier.score),
        str(earlier.rank),
        grade,
    ]


def _table(builder: Builder, group: str, title: str) -> Content:
    month, previous = months(builder)
    rows = ranking(month, group)
    before = {r.org.pk: r for r in ranking(previous, group)} if previous else {}
    cells = [_row(builder, month, r, before.get(r.org.pk), previous) for r in rows]
    return builder.table(title, COLUMNS, cells)


def _note(month: Month, previous: Month | None) -> str:
    note = (
        f"得分为{month.period.label}考核台账的汇总（与“考核得分与排名”页面同一计算：自动考核项、"
        f"督查扣分、实地考核与加分）。月度台账至次月 {CLOSE_DAY} 日前仍随数据更新，本节为生成"
        "报告时的得分。"
    )
    if previous is None:
        return note + "上月早于平台记录的年份，不作比较。"
    return note + f"“较上月”为同一单位本月与{previous.period.label}得分之差。"


def scores(builder: Builder) -> Content:
    month, previous = months(builder)
    return builder.content(
        tables=[
            _table(builder, Group.TOWNSHIP, "乡镇（街道、场区）考核得分"),
            _table(builder, Group.DEPARTMENT, "县直部门考核得分"),
        ],
        notes=[_note(month, previous)],
        screen_notes=["点击得分查看该单位当月的台账条目，条目再链接到计分所依据的记录。"],
    )
