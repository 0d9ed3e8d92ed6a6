"""The 月分析's hot categories (热点诉求: the catalog's leaves with the most cases this month),
each with a typical case and advice written from its own figures, and the section of typical
cases (典型案例) chosen by rules from the month's records.

The advice is generated, never typed: each sentence is a rule over the category's figures
(rising month on month, concentrated in one township, satisfaction below the county's, the
unit that handled most of it), so two months with the same figures read the same.
"""

from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.lookups import In
from django.urls import reverse

from zhili.cases.models import Card, Case, Category, Rating
from zhili.orgs.models import Organization
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

TOP = 5
RISING = 0.2  # 环比 from which a category is said to rise
CONCENTRATED = 0.3  # the share of one township from which a category is said to gather there
MIN_RATED = 5  # ratings below this are too few to judge satisfaction on


def _names(ids: set[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))


def merged_into(builder: Builder, span: Span) -> Counter[int]:
    """The month's cases that duplicates were merged into, with how many (few rows: read
    through the index of `master`), once per report."""
    key = f"monthly.merged.{span.first:%Y-%m}"
    if key not in builder.shared:
        builder.shared[key] = Counter(
            Case.objects.filter(master__isnull=False)
            .filter(master__registered_at__gte=span.start, master__registered_at__lt=span.end)
            .values_list("master_id", flat=True)
        )
    merged: Counter[int] = builder.shared[key]
    return merged


def typical_case(builder: Builder, span: Span, category: int) -> Case | None:
    """The month's case that stands for a category: the one most duplicates were merged into
    (the matter most people raised), or else the first registered."""
    merged = merged_into(builder, span)
    cases = Case.objects.select_related("township", "lead_unit", "category")
    masters = sorted(
        cases.filter(pk__in=list(merged), category_id=category),
        key=lambda case: (-merged[case.pk], case.registered_at, case.pk),
    )
    if masters:
        return masters[0]
    month = cases.filter(registered_at__gte=span.start, registered_at__lt=span.end)
    return month.filter(category_id=category).order_by("registered_at", "id").first()


def _case_link(builder: Builder, case: Case | None) -> Cell:
    if case is None:
        return "—"
    return builder.link(
        f"{case.case_no} {case.title}", reverse("cases:detail", args=[case.case_no])
    )


def advice(facts: dict[str, Any]) -> str:
    """The advice on one hot category, from its figures (`facts`, see `_facts`)."""
    name, n, unit = facts["name"], facts["now"], facts["unit"]
    said = []
    if facts["before"] and (n - facts["before"]) / facts["before"] >= RISING:
        said.append(
            f"环比上升{change(n, facts['before'])}，建议{unit or '主办单位'}会同属地开展专项排查，"
            "查找集中原因"
        )
    if facts["township"] and facts["township_n"] / n >= CONCENTRATED:
        said.append(
            f"{facts['township_n']} 件集中在{facts['township']}（占{share(facts['township_n'], n)}），"
            "建议该乡镇（街道）综治中心牵头源头化解"
        )
    rated, satisfied, county = facts["rated"], facts["satisfied"], facts["county_rate"]
    if rated >= MIN_RATED and county is not None and satisfied / rated < county:
        said.append(
            f"满意率{share(satisfied, rated)}，低于全县{county:.1%}，建议加强回访、提升办理质量"
        )
    if not said:
        said.append(f"诉求总体平稳，建议{unit or '主办单位'}保持常态化办理，做好政策解释")
    return f"{name}本月 {n} 件。" + "；".join(said) + "。"


def _top_units(span: Span, chosen: list[int]) -> dict[int, int]:
    """Category id -> the lead unit given most of its cases in the month (the hot ones only)."""
    rows = (
        Case.objects.filter(
            _hot(chosen),
            registered_at__gte=span.start,
            registered_at__lt=span.end,
            lead_unit__isnull=False,
        )
        .order_by()
        .values_list("category_id", "lead_unit_id")
        .annotate(n=Count("id"))
    )
    best: dict[int, tuple[int, int]] = {}
    for category, unit, n in rows:
        if (n, -unit) > best.get(category, (0, 0)):
            best[category] = (n, -unit)
    return {category: -unit for category, (_n, unit) in best.items()}


def _hot(chosen: list[int]) -> Q:
    """The cases of the categories `chosen`. On SQLite compared as `category_id + 0`, an
    expression no index answers, so that the month's range of registration times leads:
    SQLite uses one index per table, and through the category index it read every case of
    the five largest categories ever registered, a table row each, to keep the month's (58
    against 29 ms of CPU at 1M cases over one year; more with each year kept). PostgreSQL
    combines both indexes in one bitmap, and the expression would cost it that (33 against
    81-105 ms)."""
    if connection.vendor == "sqlite":
        return Q(In(F("category_id") + 0, chosen))
    return Q(category_id__in=chosen)


def _facts(
    builder: Builder,
    category: Category,
    counts: tuple[int, int],
    unit: int | None,
    county: tuple[int, int],
) -> dict[str, Any]:
    """A hot category's figures for `advice`; `county` is the county's (rated, satisfied)."""
    mine = month_counts(builder, spans(builder)[0]).of_category(category.pk)
    now, before = counts
    townships = mine.by(2)
    top_township = max((t for t in townships if t), key=lambda t: townships[t], default=None)
    names = _names({pk for pk in (top_township, unit) if pk})
    rated, satisfied = mine.rated()
    county_rated, county_satisfied = county
    return {
        "name": category.name,
        "now": now,
        "before": before,
        "township": names.get(top_township or 0, ""),
        "township_n": townships[top_township] if top_township else 0,
        "unit": names.get(unit or 0, ""),
        "rated": rated,
        "satisfied": satisfied,
        "county_rate": county_satisfied / county_rated if county_rated else None,
    }


def hot_categories(builder: Builder) -> Content:
    this, last, _year = spans(builder)
    every = categories(builder)
    leaves = {pk for pk, c in every.items()} - {c.parent_id for c in every.values()}
    now = month_counts(builder, this).by(1)
    before = month_counts(builder, last).by(1)
    chosen = sorted(
        (pk for pk in now if pk in leaves and now[pk]),
        key=lambda pk: (-now[pk], every[pk].code),
    )[:TOP]
    total = month_counts(builder, this).total
    units = _top_units(this, chosen)
    county = month_counts(builder, this).rated()
    rows: list[list[Cell]] = []
    for pk in chosen:
        category = every[pk]
        rows.append(
            [
                category.name,
                builder.figure(now[pk], cases_url(builder, this, category=category.code)),
                share(now[pk], total),
                builder.figure(before[pk], cases_url(builder, last, category=category.code)),
                change(now[pk], before[pk]),
                _case_link(builder, typical_case(builder, this, pk)),
                advice(_facts(builder, category, (now[pk], before[pk]), units.get(pk), county)),
            ]
        )
    columns = ["热点诉求", "本月", "占比", "上月", "环比", "典型案例", "分析与建议"]
    note = f"按末级事项分类统计本月受理件数最多的 {TOP} 类；建议由各类诉求的数据按规则生成。"
    return builder.content(tables=[builder.table("热点诉求", columns, rows, note=note)])


# --- 典型案例 --------------------------------------------------------------------------------


def _in(span: Span) -> Q:
    return Q(registered_at__gte=span.start, registered_at__lt=span.end)


def _most_merged(builder: Builder, span: Span) -> tuple[Case | None, str]:
    masters = merged_into(builder, span)
    if not masters:
        return None, ""
    pk, n = min(masters.items(), key=lambda item: (-item[1], item[0]))
    return Case.objects.get(pk=pk), f"同一诉求另有 {n} 件重复来件，群众反映集中"


def _chosen(builder: Builder, span: Span) -> list[tuple[str, Case | None, str]]:
    """(kind, case, why) of the month's typical cases. Each is looked for through the index of
    its own moment (亮牌, 评价, 办结 in the month), not by reading the month's cases."""
    cases = Case.objects.select_related("township", "lead_unit", "category")
    red = (
        cases.filter(card=Card.RED, card_at__gte=span.start, card_at__lt=span.end)
        .order_by("due_at", "id")
        .first()
    )
    unhappy = (
        cases.filter(rating=Rating.UNSATISFIED, rated_at__gte=span.start, rated_at__lt=span.end)
        .order_by("rated_at", "id")
        .first()
    )
    quick = (
        cases.filter(
            _in(span), rating=Rating.SATISFIED, closed_at__gte=span.start, closed_at__lt=span.end
        )
        .order_by(F("closed_at") - F("registered_at"), "id")
        .first()
    )
    merged, why = _most_merged(builder, span)
    return [
        ("群众反映集中", merged, why),
        ("超期办理", red, "本月超过办结时限，亮红牌督办"),
        ("群众不满意", unhappy, "本月回访评价为不满意，需重新研判办理"),
        ("高效办结", quick, "办结用时最短且群众满意"),
    ]


def typical_cases(builder: Builder) -> Content:
    this = spans(builder)[0]
    rows: list[list[Cell]] = []
    for kind, case, why in _chosen(builder, this):
        if case is None:
            continue
        rows.append(
            [
                kind,
                _case_link(builder, case),
                case.category.name,
                case.township.name if case.township else "—",
                case.lead_unit.name if case.lead_unit else "—",
                case.get_state_display(),
                why,
            ]
        )
    columns = ["类型", "工单", "事项分类", "属地", "主办单位", "状态", "入选理由"]
    note = (
        "按规则选出：本月受理中重复来件最多的；本月亮红牌中时限最早的；本月评价不满意中最早的；"
        "本月受理并办结、评价满意中用时最短的。"
    )
    return builder.content(tables=[builder.table("典型案例", columns, rows, note=note)])
