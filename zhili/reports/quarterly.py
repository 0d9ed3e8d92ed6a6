"""The 季点评 (quarterly review)'s own sections (registered into zhili.reports.sections.SECTIONS):
the townships (乡镇/街道/场区) and the county departments (县直部门) ranked over the quarter by
the assessment's scores, the bottom two of each named. The leader's comments are not
generated: they are written on the report afterwards (`Report.comment`,
zhili.reports.services.report_comment) and printed after the sections.

The scores are the assessment's quarterly ledger (zhili.assessment.selectors.group_scores
for the period `Q1`..`Q4`: the same numbers as the 考核得分与排名 page). When the quarter has no
computed entry yet, the platform computes it first (zhili.assessment.scheduled.period_ensure);
entries already there (the scheduler's, kept current until the 5th after the quarter, or the
assessors') are read as they are. Every score links to the ledger entries it sums, and the
item that lost the unit most points to that item's entries, each to its records.
"""

from decimal import Decimal

from zhili.assessment.models import CatalogKind, Group, Scheme
from zhili.assessment.periods import Period as AssessmentPeriod
from zhili.assessment.scheduled import period_ensure
from zhili.assessment.selectors import UnitScore, bottom_of, entries_url, group_scores
from zhili.assessment.units import ranked_units
from zhili.reports.models import Kind
from zhili.reports.sections import SECTIONS, Builder, Cell, Content, Section

NOTE = (
    "排名依据考核评价的季度得分（与“考核得分与排名”页面同一台账：自动考核项、督查扣分、"
    "实地考核与加分）。失分最多的考核项为满分与得分相差最多的计分项。"
)
SCREEN_NOTE = "点击得分查看其台账条目，条目再链接到计分所依据的记录。"
SHARED = "assessment-quarter"


def _quarter(builder: Builder) -> tuple[Scheme, AssessmentPeriod]:
    """The assessment's scheme and period of the report's quarter, computed once per report."""
    if SHARED not in builder.shared:
        first = builder.period.first
        period = period_ensure(first.year, f"Q{(first.month - 1) // 3 + 1}")
        builder.shared[SHARED] = (Scheme.objects.get(year=period.year), period)
    return builder.shared[SHARED]  # type: ignore[no-any-return]


def ranking(builder: Builder, group: str) -> list[UnitScore]:
    """Every unit of the rank group, best first (ties share a rank)."""
    scheme, period = _quarter(builder)
    return group_scores(scheme, period, group, list(ranked_units([group])))


def bottom_named(rows: list[UnitScore], bottom: int) -> list[UnitScore]:
    """The units named at the foot, by the monthly leaderboard's rule (`bottom_of`: the last
    `bottom` with whoever ties with the last of them, never one sharing the best score)."""
    return bottom_of(rows, bottom)


def _points(value: Decimal) -> str:
    return format(value.normalize(), "f")


def worst_item(row: UnitScore) -> tuple[str, str] | None:
    """(text, the item's entries) of the scored item with entries furthest below its maximum
    (an item not assessed yet, such as a field check still to come, has lost nothing)."""
    lost = [
        (i.item.max_points - i.points, i)
        for i in row.items
        if i.item.catalog.kind == CatalogKind.SCORE and i.entries and i.points < i.item.max_points
    ]
    if not lost:
        return None
    gap, cell = max(lost, key=lambda pair: (pair[0], -pair[1].item.order))
    text = f"{cell.item.name}（{_points(cell.points)}/{_points(cell.item.max_points)}，失 {_points(gap)} 分）"
    return text, cell.sources_url


def _table(
    builder: Builder, title: str, rows: list[UnitScore], period: AssessmentPeriod
) -> Content:
    cells: list[list[Cell]] = []
    for r in rows:
        worst = worst_item(r)
        cells.append(
            [
                str(r.rank),
                r.org.name,
                builder.link(f"{r.score}", entries_url(period, r.org)),
                r.grade_label + ("（一票否决）" if r.vetoed else ""),
                builder.link(*worst) if worst else "无",
            ]
        )
    columns = ["名次", "单位", "考核得分", "等次", "失分最多的考核项"]
    return builder.table(title, columns, cells, note=NOTE, screen_note=SCREEN_NOTE)


def _section(builder: Builder, group: str, title: str) -> Content:
    scheme, period = _quarter(builder)
    rows = ranking(builder, group)
    named = bottom_named(rows, scheme.bottom_flagged)
    notes = []
    if named:
        names = "、".join(r.org.name for r in reversed(named))
        notes.append(f"本季度考核排名末位：{names}，予以点名，限期整改提升。")
    elif len(rows) > scheme.bottom_flagged:
        notes.append("各单位得分并列，本季度不点名。")  # bottom_of: no one below the best
    elif rows:
        notes.append("参与排名的单位不足，本季度不点名。")
    return builder.content(tables=[_table(builder, title, rows, period)], notes=notes)


def townships(builder: Builder) -> Content:
    return _section(builder, Group.TOWNSHIP, "乡镇（街道、场区）排名")


def departments(builder: Builder) -> Content:
    return _section(builder, Group.DEPARTMENT, "县直部门排名")


QUARTERLY = frozenset({Kind.QUARTERLY})
for key, section in (
    ("q-townships", Section("乡镇（街道、场区）排名", 10, townships, QUARTERLY)),
    ("q-departments", Section("县直部门排名", 20, departments, QUARTERLY)),
):
    SECTIONS.register(key, section)
