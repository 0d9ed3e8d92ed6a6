"""The 月分析's hot categories (热点诉求: the catalog's leaves with the most cases this month),
each with a typical case and advice written from its own figures, and the section of typical
cases (典型案例) chosen by rules from the month's records.

The advice is generated, never typed: each sentence is a rule over the category's figures
(rising month on month, concentrated in one township, satisfaction below the county's, the
unit that handled most of it), so two months with the same figures read the same.
"""

from collections import Counter
from typing import Any

from django.db.models import Count, F, Q
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


def typical_case(span: Span, **where: Any) -> Case | None:
    """The month's case that stands for `where`: the one most duplicates were merged into (the
    matter most people raised), then the first registered."""
    return (
        Case.objects.filter(registered_at__gte=span.start, registered_at__lt=span.end, **where)
        .annotate(merged=Count("duplicates"))
        .select_related("township", "lead_unit", "category")
        .order_by("-merged", "registered_at", "id")
        .first()
    )


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


def _facts(builder: Builder, category: Category, now: int, before: int) -> dict[str, Any]:
    this = month_counts(builder, spans(builder)[0])
    townships = this.by(2, where=lambda key: key[1] == category.pk)
    units = this.by(3, where=lambda key: key[1] == category.pk)
    top_township = max((t for t in townships if t), key=lambda t: townships[t], default=None)
    top_unit = max((u for u in units if u), key=lambda u: units[u], default=None)
    names = _names({pk for pk in (top_township, top_unit) if pk})
    rated, satisfied = this.rated(category.pk)
    county_rated = sum(row[1] for row in this.rows.values())
    county_satisfied = sum(row[2] for row in this.rows.values())
    return {
        "name": category.name,
        "now": now,
        "before": before,
        "township": names.get(top_township or 0, ""),
        "township_n": townships[top_township] if top_township else 0,
        "unit": names.get(top_unit or 0, ""),
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
                _case_link(builder, typical_case(this, category_id=pk)),
                advice(_facts(builder, category, now[pk], before[pk])),
            ]
        )
    columns = ["热点诉求", "本月", "占比", "上月", "环比", "典型案例", "分析与建议"]
    note = f"按末级事项分类统计本月受理件数最多的 {TOP} 类；建议由各类诉求的数据按规则生成。"
    return builder.content(tables=[builder.table("热点诉求", columns, rows, note=note)])


# --- 典型案例 --------------------------------------------------------------------------------


def _in(span: Span) -> Q:
    return Q(registered_at__gte=span.start, registered_at__lt=span.end)


def _most_merged(span: Span) -> tuple[Case | None, str]:
    masters = Counter(
        Case.objects.filter(master__isnull=False)
        .filter(master__registered_at__gte=span.start, master__registered_at__lt=span.end)
        .values_list("master_id", flat=True)
    )
    if not masters:
        return None, ""
    pk, n = min(masters.items(), key=lambda item: (-item[1], item[0]))
    return Case.objects.get(pk=pk), f"同一诉求另有 {n} 件重复来件，群众反映集中"


def _chosen(span: Span) -> list[tuple[str, Case | None, str]]:
    """(kind, case, why) of the month's typical cases."""
    month = Case.objects.filter(_in(span)).select_related("township", "lead_unit", "category")
    red = month.filter(card=Card.RED).order_by("due_at", "id").first()
    unhappy = month.filter(rating=Rating.UNSATISFIED).order_by("rated_at", "id").first()
    quick = (
        month.filter(rating=Rating.SATISFIED, closed_at__isnull=False)
        .order_by(F("closed_at") - F("registered_at"), "id")
        .first()
    )
    merged, why = _most_merged(span)
    return [
        ("群众反映集中", merged, why),
        ("超期办理", red, "超过办结时限仍未办结，亮红牌督办"),
        ("群众不满意", unhappy, "回访评价为不满意，需重新研判办理"),
        ("高效办结", quick, "办结用时最短且群众满意"),
    ]


def typical_cases(builder: Builder) -> Content:
    this = spans(builder)[0]
    rows: list[list[Cell]] = []
    for kind, case, why in _chosen(this):
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
    note = "按规则从本月工单中选出：重复来件最多、超期最久、不满意最早、办结最快且满意。"
    return builder.content(tables=[builder.table("典型案例", columns, rows, note=note)])
