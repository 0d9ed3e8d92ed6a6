"""The 月分析's first sections: the month's totals with 同比 and 环比, by source (channel), by
五情 and by type (the catalog's top-level groups), with their charts. Every figure links to
the case list of its month with the filters that give exactly the counted rows."""

from collections import Counter

from zhili.cases.models import Category, Channel
from zhili.reports.charts import Chart, chart_content
from zhili.reports.daily import five
from zhili.reports.monthly.base import (
    Span,
    cases_url,
    categories,
    change,
    month_counts,
    share,
    spans,
)
from zhili.reports.sections import Builder, Cell, Content

COMPARED = ["本月", "上月", "环比", "去年同月", "同比"]


def _compared(
    builder: Builder, months: tuple[Span, Span, Span], counts: list[int], **filters: object
) -> list[Cell]:
    """The three months' figures of one row, with 环比 and 同比."""
    now, before, year_ago = counts
    this, last, last_year = months
    return [
        builder.figure(now, cases_url(builder, this, **filters)),
        builder.figure(before, cases_url(builder, last, **filters)),
        change(now, before),
        builder.figure(year_ago, cases_url(builder, last_year, **filters)),
        change(now, year_ago),
    ]


def totals(builder: Builder) -> Content:
    months = spans(builder)
    counts = [month_counts(builder, span).total for span in months]
    rows: list[list[Cell]] = [["受理诉求总量", *_compared(builder, months, counts)]]
    now, before, year_ago = counts
    note = (
        f"{months[0].label}全县共受理群众诉求 {now} 件，环比{change(now, before)}，"
        f"同比{change(now, year_ago)}。"
    )
    if builder.now < months[0].end:
        note += "本月尚未结束，数据截至生成时。"
    table = builder.table("受理总量", ["指标", *COMPARED], rows)
    return builder.content(tables=[table], notes=[note])


def by_channel(builder: Builder) -> Content:
    months = spans(builder)
    per_month = [month_counts(builder, span).by(0) for span in months]
    rows: list[list[Cell]] = []
    for code, label in Channel.choices:
        counts = [month[code] for month in per_month]
        if any(counts):
            rows.append([label, *_compared(builder, months, counts, channel=code)])
    total = [sum(month.values()) for month in per_month]
    rows.append(["合计", *_compared(builder, months, total)])
    chart = Chart(
        title="按来源渠道受理件数",
        kind="bar",
        labels=[str(row[0]) for row in rows[:-1]],
        series={
            span.name: [float(per_month[i][code]) for code, _l in _present(per_month)]
            for i, span in enumerate(months)
        },
    )
    now = per_month[0]
    top = max(now, key=lambda code: now[code], default=None)
    notes = []
    if top:
        notes.append(
            f"{Channel(top).label}是最主要的来源，本月 {now[top]} 件，"
            f"占 {share(now[top], sum(now.values()))}。"
        )
    return builder.content(
        tables=[builder.table("按来源渠道", ["来源渠道", *COMPARED], rows)],
        notes=notes,
        charts=[chart_content("channels", chart)],
    )


def _present(per_month: list[Counter[str]]) -> list[tuple[str, str]]:
    return [
        (code, label)
        for code, label in Channel.choices
        if any(month.get(code) for month in per_month)
    ]


def by_five(builder: Builder) -> Content:
    counts = month_counts(builder, spans(builder)[0]).by(0)
    table = five(builder, dict(counts))
    table["title"] = "按“五情”"
    note = "地情、访情中的巡查、隐患和接访保存生成时的清单。"
    return builder.content(tables=[table], notes=[note])


def _groups(builder: Builder) -> dict[int, Category]:
    """Category id -> its top-level group."""
    every = categories(builder)
    tops = {c.code: c for c in every.values() if c.parent_id is None}
    return {pk: tops[c.group_code] for pk, c in every.items() if c.group_code in tops}


def by_type(builder: Builder) -> Content:
    months = spans(builder)
    group_of = _groups(builder)
    per_month = []
    for span in months:
        counted = month_counts(builder, span).by(1)
        grouped: dict[str, int] = {}
        for pk, n in counted.items():
            code = group_of[pk].code if pk in group_of else ""
            grouped[code] = grouped.get(code, 0) + n
        per_month.append(grouped)
    tops = sorted({c.code: c for c in group_of.values()}.values(), key=lambda c: c.sort_order)
    chosen = sorted(
        (c for c in tops if any(m.get(c.code) for m in per_month)),
        key=lambda c: (-per_month[0].get(c.code, 0), c.sort_order, c.code),
    )
    rows: list[list[Cell]] = [
        [
            c.name,
            *_compared(builder, months, [m.get(c.code, 0) for m in per_month], category=c.code),
            share(per_month[0].get(c.code, 0), sum(per_month[0].values())),
        ]
        for c in chosen
    ]
    chart = Chart(
        title="本月各类诉求件数",
        kind="barh",
        labels=[c.name for c in chosen[:12]],
        series={"本月": [float(per_month[0].get(c.code, 0)) for c in chosen[:12]]},
    )
    return builder.content(
        tables=[builder.table("按事项类型（一级分类）", ["事项类型", *COMPARED, "占比"], rows)],
        charts=[chart_content("types", chart)],
    )
