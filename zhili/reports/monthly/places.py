"""The 月分析's places: each township's cases per 10,000 residents (万人诉求率, over the 常住人口
held on the township center, `Organization.population`), and the hot spots: the villages and
grids with the most cases of the month."""

from collections import Counter

from django.db.models import Count

from zhili.cases.models import Case
from zhili.orgs.models import Grid, Organization
from zhili.reports.charts import Chart, chart_content
from zhili.reports.monthly.base import Span, cases_url, change, month_counts, spans
from zhili.reports.sections import Builder, Cell, Content

HOT_SPOTS = 10


def rate(n: int, population: int | None) -> float | None:
    """Cases per 10,000 residents, two decimals; None without a population."""
    return round(n * 10000 / population, 2) if population else None


def _rate_text(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "—"


def _townships() -> list[Organization]:
    return list(
        Organization.objects.filter(kind="center", level="township").order_by("sort_order", "code")
    )


def township_rates(builder: Builder) -> Content:
    this, last, _year = spans(builder)
    now = month_counts(builder, this).by(2)
    before = month_counts(builder, last).by(2)
    townships = _townships()
    ranked = sorted(
        townships,
        key=lambda t: (-(rate(now[t.pk], t.population) or -1), t.sort_order, t.code),
    )
    rows: list[list[Cell]] = [
        [
            t.name,
            f"{t.population:,}" if t.population else "未填",
            builder.figure(now[t.pk], cases_url(builder, this, township=t.code)),
            _rate_text(rate(now[t.pk], t.population)),
            builder.figure(before[t.pk], cases_url(builder, last, township=t.code)),
            change(now[t.pk], before[t.pk]),
        ]
        for t in ranked
    ]
    people = sum(t.population or 0 for t in townships)
    total, total_before = sum(now.values()), sum(before.values())
    rows.append(
        [
            "全县",
            f"{people:,}",
            builder.figure(total, cases_url(builder, this)),
            _rate_text(rate(total, people)),
            builder.figure(total_before, cases_url(builder, last)),
            change(total, total_before),
        ]
    )
    chart = Chart(
        title="各乡镇（街道）万人诉求率（件/万人）",
        kind="barh",
        labels=[t.name.removesuffix("综治中心") for t in ranked if t.population],
        series={
            "万人诉求率": [rate(now[t.pk], t.population) or 0.0 for t in ranked if t.population]
        },
        unit="件/万人",
    )
    notes = [
        "万人诉求率 = 本月受理件数 ÷ 常住人口 × 10000；常住人口取自各乡镇（街道）综治中心登记的"
        "“常住人口”（统计年鉴口径，可在机构管理中修改），全县为各乡镇（街道）之和。"
    ]
    if now[None]:
        notes.append(f"全县件数含未落到乡镇的 {now[None]} 件（县直受理或辖区外）。")
    columns = ["乡镇（街道）", "常住人口", "本月件数", "万人诉求率", "上月件数", "环比"]
    return builder.content(
        tables=[builder.table("各乡镇（街道）万人诉求率", columns, rows)],
        notes=notes,
        charts=[chart_content("rates", chart)],
    )


def _places(span: Span) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The villages and the grids with the most cases, from one query grouped by both."""
    rows = (
        Case.objects.filter(registered_at__gte=span.start, registered_at__lt=span.end)
        .order_by()
        .values_list("village_id", "grid_id")
        .annotate(n=Count("id"))
    )
    villages: Counter[int] = Counter()
    grids: Counter[int] = Counter()
    for village, grid, n in rows:
        if village:
            villages[village] += n
        if grid:
            grids[grid] += n
    return _top(villages), _top(grids)


def _top(counts: Counter[int]) -> list[tuple[int, int]]:
    return sorted(counts.items(), key=lambda row: (-row[1], row[0]))[:HOT_SPOTS]


def _parent_name(org: Organization) -> str:
    return org.parent.name if org.parent is not None else "—"


def hot_spots(builder: Builder) -> Content:
    this = spans(builder)[0]
    villages, grids = _places(this)
    found = Organization.objects.select_related("parent").in_bulk([pk for pk, _n in villages])
    village_rows: list[list[Cell]] = [
        [
            _parent_name(found[pk]),
            found[pk].name,
            builder.figure(n, cases_url(builder, this, village=found[pk].code)),
            _rate_text(rate(n, found[pk].population)),
        ]
        for pk, n in villages
    ]
    cells = Grid.objects.select_related("village").in_bulk([pk for pk, _n in grids])
    grid_rows: list[list[Cell]] = [
        [
            cells[pk].village.name,
            cells[pk].name,
            builder.figure(n, cases_url(builder, this, grid=cells[pk].code)),
        ]
        for pk, n in grids
    ]
    return builder.content(
        tables=[
            builder.table(
                f"诉求最多的 {HOT_SPOTS} 个村（社区）",
                ["乡镇（街道）", "村（社区）", "本月件数", "万人诉求率"],
                village_rows,
            ),
            builder.table(
                f"诉求最多的 {HOT_SPOTS} 个网格", ["村（社区）", "网格", "本月件数"], grid_rows
            ),
        ]
    )
