"""The 季点评 (quarterly review)'s own sections (registered into zhili.reports.sections.SECTIONS):
the townships and the county departments ranked over the quarter, the bottom two of each named.
The leader's comments are not generated: they are written on the report afterwards
(`Report.comment`, zhili.reports.services.report_comment) and printed after the sections.

The ranking is by the unit figures of the quarter (zhili.cases.figures.unit_figures, the same
numbers as the 办理质效 page): a score out of 100 weighting the three rates below. Once the
assessment app's scores exist (issue 18, 评), the ranking should read those instead.
"""

from dataclasses import dataclass

from zhili.cases.figures import UnitFigures, unit_figures
from zhili.core.scope import EVERYTHING
from zhili.orgs.models import Organization
from zhili.reports.models import Kind
from zhili.reports.sections import SECTIONS, Builder, Cell, Content, Section

# The weight of each rate in the score; a rate that cannot be judged yet (no case due) is left
# out and the others' weights are scaled up to 100.
WEIGHTS = {
    "closed_on_time_rate": 40,  # 按时办结率
    "acknowledged_on_time_rate": 30,  # 及时签收率
    "satisfaction_rate": 30,  # 满意率
}
BOTTOM = 2
NOTE = (
    "综合得分 = 按时办结率×40 + 及时签收率×30 + 满意率×30（无法判定的比率不计，其余按比例折算为"
    "百分制），数据与“办理质效”同一计算。考核评分模块上线后，排名改用考核得分。"
)


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # None: no rate could be judged, not ranked
    figures: UnitFigures
    score: float | None


def score(row: UnitFigures) -> float | None:
    present = {name: getattr(row, name) for name in WEIGHTS if getattr(row, name) is not None}
    if not present:
        return None
    weight = sum(WEIGHTS[name] for name in present)
    return round(sum(WEIGHTS[name] * rate for name, rate in present.items()) * 100 / weight, 2)


def ranking(builder: Builder, kind: str, level: str) -> list[Ranked]:
    """The units of `kind` and `level`, best first; those without a score last, unranked."""
    units = Organization.objects.filter(kind=kind, level=level, is_active=True)
    codes = list(units.values_list("code", flat=True))
    if not codes:
        return []
    period = builder.period
    rows = unit_figures(
        user=None, scope=EVERYTHING, start=period.first, end=period.last, unit_codes=codes
    )
    scored = sorted(((score(r), r) for r in rows), key=lambda p: (-(p[0] or -1), p[1].unit_code))
    ranked, rank = [], 0
    for value, row in scored:
        rank += value is not None
        ranked.append(Ranked(rank if value is not None else None, row, value))
    return ranked


def _rate(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "—"


def _table(builder: Builder, title: str, ranked: list[Ranked]) -> Content:
    period = builder.period
    dispatched = {
        "dispatched_from": f"{period.first:%Y-%m-%d}",
        "dispatched_to": f"{period.last:%Y-%m-%d}",
    }
    rows: list[list[Cell]] = [
        [
            str(r.rank) if r.rank else "—",
            r.figures.unit_name,
            builder.figure(
                r.figures.handled,
                builder.list_url("cases:list", unit=r.figures.unit_code, **dispatched),
            ),
            _rate(r.figures.acknowledged_on_time_rate),
            _rate(r.figures.closed_on_time_rate),
            _rate(r.figures.satisfaction_rate),
            f"{r.score:.2f}" if r.score is not None else "无数据",
        ]
        for r in ranked
    ]
    columns = ["名次", "单位", "承办件数", "及时签收率", "按时办结率", "满意率", "综合得分"]
    return builder.table(title, columns, rows, note=NOTE)


def bottom_named(ranked: list[Ranked]) -> list[str]:
    """The last BOTTOM units that were ranked (a unit without a score is not named)."""
    scored = [r for r in ranked if r.rank is not None]
    return [r.figures.unit_name for r in scored[-BOTTOM:]] if len(scored) > BOTTOM else []


def _section(builder: Builder, kind: str, level: str, title: str) -> Content:
    ranked = ranking(builder, kind, level)
    named = bottom_named(ranked)
    notes = (
        [f"本季度排名末两位：{'、'.join(reversed(named))}，予以点名，限期整改提升。"]
        if named
        else []
    )
    if ranked and not named:
        notes.append("参与排名的单位不足，本季度不点名。")
    return builder.content(tables=[_table(builder, title, ranked)], notes=notes)


def townships(builder: Builder) -> Content:
    return _section(builder, "center", "township", "乡镇（街道）排名")


def departments(builder: Builder) -> Content:
    return _section(builder, "department", "county", "县直部门排名")


QUARTERLY = frozenset({Kind.QUARTERLY})
for key, section in (
    ("q-townships", Section("乡镇（街道）排名", 10, townships, QUARTERLY)),
    ("q-departments", Section("县直部门排名", 20, departments, QUARTERLY)),
):
    SECTIONS.register(key, section)
