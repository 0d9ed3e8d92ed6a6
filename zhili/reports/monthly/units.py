"""The 月分析's handling units: the ten units given the most cases in the month, and the unit
table (办理质效). Both are `zhili.cases.figures.unit_figures` of the month, read once, never
counted another way: a unit's cases are those dispatched to it in the month (the figures'
basis), and each count links to the case list filtered the same way (主办单位 and 派单日期)."""

from typing import Any

from zhili.cases.figures import UnitFigures, unit_figures
from zhili.core.scope import EVERYTHING
from zhili.reports.charts import Chart, chart_content
from zhili.reports.monthly.base import Span, spans
from zhili.reports.sections import Builder, Cell, Content

TOP = 10


def figures(builder: Builder) -> list[UnitFigures]:
    """The month's unit figures, county-wide (the report is the county center's)."""
    if "monthly.units" not in builder.shared:
        this = spans(builder)[0]
        builder.shared["monthly.units"] = unit_figures(
            user=None, scope=EVERYTHING, start=this.first, end=this.last
        )
    rows: list[UnitFigures] = builder.shared["monthly.units"]
    return rows


def _rate(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "—"


def _handled(builder: Builder, span: Span, row: UnitFigures, **filters: Any) -> dict[str, Any]:
    url = builder.list_url("cases:list", unit=row.unit_code, **span.dispatched(), **filters)
    return builder.figure(row.overdue if filters else row.handled, url)


def top_units(builder: Builder) -> Content:
    this = spans(builder)[0]
    ranked = sorted(
        (row for row in figures(builder) if row.handled),
        key=lambda row: (-row.handled, row.unit_code),
    )[:TOP]
    total = sum(row.handled for row in figures(builder))
    rows: list[list[Cell]] = [
        [
            str(index + 1),
            row.unit_name,
            _handled(builder, this, row),
            f"{row.handled / total:.1%}" if total else "—",
            _rate(row.closed_on_time_rate),
            _rate(row.satisfaction_rate),
        ]
        for index, row in enumerate(ranked)
    ]
    chart = Chart(
        title=f"承办件数前 {TOP} 位的单位",
        kind="barh",
        labels=[row.unit_name for row in ranked],
        series={"承办件数": [float(row.handled) for row in ranked]},
    )
    columns = ["名次", "承办单位", "承办件数", "占比", "按时办结率", "满意率"]
    note = "承办件数为本月派给该单位主办的工单（与“办理质效”同一口径）。"
    return builder.content(
        tables=[builder.table(f"承办件数前 {TOP} 位的单位", columns, rows, note=note)],
        charts=[chart_content("units", chart)] if ranked else [],
    )


def unit_table(builder: Builder) -> Content:
    this = spans(builder)[0]
    rows: list[list[Cell]] = [
        [
            row.unit_name,
            _handled(builder, this, row),
            str(row.received),
            _rate(row.acknowledged_on_time_rate),
            _rate(row.closed_on_time_rate),
            _rate(row.satisfaction_rate),
            str(row.returned),
            str(row.extended),
            _handled(builder, this, row, card="red"),
        ]
        for row in figures(builder)
    ]
    columns = [
        "单位",
        "承办",
        "接收",
        "及时签收率",
        "按时办结率",
        "满意率",
        "退单",
        "延期",
        "超期（红牌）",
    ]
    note = (
        "与“办理质效”页面同一计算（zhili.cases.figures）：接收含本月退回的工单；两项按时率只计"
        "已可判定的工单；退单、延期为办理过程记录，见各单位办理质效。"
    )
    return builder.content(tables=[builder.table("单位办理质效表", columns, rows, note=note)])
