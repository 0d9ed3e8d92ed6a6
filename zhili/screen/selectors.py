"""The screen's figures for one organization's subtree: sums of the daily figures of its
own path (a few hundred small rows whatever the number of cases), plus the overdue count
and the warnings read live through the cases' partial indexes (case_open: the overdue rows
alone; screen_case_carded: the carded rows alone), so they are the case lists' figures at every
moment, plus the registered panels."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple, TypedDict

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from zhili.cases.models import Card, Case, Category
from zhili.cases.models.choices import WORK_STATES
from zhili.cases.selectors import due_q, work_counts
from zhili.core.errors import NotFound
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.orgs.models import Organization
from zhili.screen.models import ALL_CATEGORIES, ALL_SOURCES, DailyFigure
from zhili.screen.registry import LAYERS, PANELS, ScreenContext
from zhili.screen.sources import Source

TREND_DAYS = 30
HOT_CATEGORIES = 10
WARNINGS = 8
KPI_FIELDS = ("received", "dispatched", "closed", "red_cards", "yellow_cards")
RANKED = 10


class SourceSeries(TypedDict):
    source: str
    label: str
    values: list[int]  # a count a day, the trend's days in order


class Trends(TypedDict):
    days: list[str]  # ISO dates
    series: list[SourceSeries]


class HotCategory(TypedDict):
    category: str
    this_week: int
    last_week: int
    change: float | None  # against last week; None when last week had none


class CardWarning(TypedDict):
    case_no: str
    title: str
    card: str
    card_label: str
    card_at: datetime | None
    due_at: datetime | None


class RankedUnit(TypedDict):
    code: str
    name: str
    closed: int
    closed_on_time_rate: float | None
    satisfaction_rate: float | None


class OrgName(TypedDict):
    code: str
    name: str


class Summary(TypedDict):
    org: OrgName
    date: str
    generated_at: str
    kpi: dict[str, int]
    trends: Trends
    hot_categories: list[HotCategory]
    warnings: list[CardWarning]
    ranking: list[RankedUnit]
    panels: dict[str, Mapping[str, object]]


def screen_org(user: Actor, code: str = "") -> Organization:
    """The organization whose screen `user` asks for: `code`, or by default their own (the
    county's root for a county-wide user). One outside the user's scope does not exist."""
    scope = scope_for(user)
    if code:
        org = Organization.objects.filter(code=code, is_active=True).first()
        if org is None or not scope.covers_path(org.path):
            raise NotFound("未找到该单位，或不在可见范围内")
        return org
    own = getattr(user, "organization", None)
    if not scope.everything and own is not None:
        return own
    root = Organization.objects.filter(parent__isnull=True).order_by("sort_order", "pk").first()
    if root is None or not scope.covers_path(root.path):
        raise NotFound("未找到该单位，或不在可见范围内")
    return root


def context(user: Actor, code: str = "", now: datetime | None = None) -> ScreenContext:
    now = now or timezone.now()
    return ScreenContext(user, screen_org(user, code), now, timezone.localdate(now))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _case_area(path: str) -> Q:
    """The cases of the subtree at `path`, by the area the daily figures date them by."""
    return Q(area_path__startswith=path) | Q(area_path="", dispatch_path__startswith=path)


def _totals(ctx: ScreenContext, first: date, *paths: str) -> QuerySet[DailyFigure]:
    """The per-source rows (all categories) of the subtree from `first` to today: the
    screen's own, or of the subtrees at `paths`."""
    return DailyFigure.objects.filter(
        day__gte=first,
        day__lte=ctx.today,
        path__in=paths or [ctx.org.path],
        category_id=ALL_CATEGORIES,
    )


def overdue(ctx: ScreenContext) -> int:
    """The subtree's cases whose clock runs past their deadline: the case list's 已超期
    (due=overdue) and the home page's, counted by the same `work_counts` through the partial
    index case_open, on the overdue rows alone."""
    late = Case.objects.filter(_case_area(ctx.org.path), due_q("overdue", ctx.now))
    return work_counts(late, {})["overdue"]


def kpi(ctx: ScreenContext) -> dict[str, int]:
    rows = _totals(ctx, ctx.today)
    sums = rows.aggregate(**{name: Sum(name) for name in KPI_FIELDS})
    figures = {name: int(sums[name] or 0) for name in KPI_FIELDS}
    figures["overdue"] = overdue(ctx)
    return figures


def trends(ctx: ScreenContext) -> Trends:
    first = ctx.today - timedelta(days=TREND_DAYS - 1)
    days = [first + timedelta(days=n) for n in range(TREND_DAYS)]
    rows = _totals(ctx, first).values("day", "source").annotate(n=Sum("received")).order_by()
    by: dict[str, dict[date, int]] = defaultdict(dict)
    for row in rows:
        by[row["source"]][row["day"]] = int(row["n"])
    return {
        "days": [day.isoformat() for day in days],
        "series": [
            {
                "source": source.value,
                "label": source.label,
                "values": [by[source.value].get(day, 0) for day in days],
            }
            for source in Source
        ],
    }


def hot_categories(ctx: ScreenContext) -> list[HotCategory]:
    """The categories received most in the last 7 days, with the 7 days before."""
    week = ctx.today - timedelta(days=6)
    before = week - timedelta(days=7)
    rows = (
        DailyFigure.objects.filter(
            day__gte=before, day__lte=ctx.today, path=ctx.org.path, source=ALL_SOURCES
        )
        .values("category_id")
        .annotate(
            this_week=Sum("received", filter=Q(day__gte=week)),
            last_week=Sum("received", filter=Q(day__lt=week)),
        )
        .order_by()
    )
    counted = [
        (row["category_id"], int(row["this_week"] or 0), int(row["last_week"] or 0)) for row in rows
    ]
    top = sorted((c for c in counted if c[1]), key=lambda c: (-c[1], c[0]))[:HOT_CATEGORIES]
    names = dict(Category.objects.filter(pk__in=[c[0] for c in top]).values_list("pk", "name"))
    return [
        {
            "category": names.get(pk, ""),
            "this_week": this,
            "last_week": last,
            "change": _rate(this - last, last),
        }
        for pk, this, last in top
    ]


def carded(path: str) -> QuerySet[Case]:
    """The open cases of the subtree at `path` carrying a card, read through the partial index
    screen_case_carded (its condition `card_at IS NOT NULL` repeated, for SQLite): the few carded
    rows of the open states, whatever the number of open cases."""
    return (
        Case.objects.filter(_case_area(path), state__in=WORK_STATES, card_at__isnull=False)
        .exclude(card=Card.NONE)
        .order_by("-card_at", "-pk")
    )


def warnings(ctx: ScreenContext) -> list[CardWarning]:
    """The open cases carrying a card, the newest card first."""
    rows = carded(ctx.org.path).values("case_no", "title", "card", "card_at", "due_at")[:WARNINGS]
    return [
        {
            "case_no": row["case_no"],
            "title": row["title"][:40],
            "card": row["card"],
            "card_at": row["card_at"],
            "due_at": row["due_at"],
            "card_label": Card(row["card"]).label,
        }
        for row in rows
    ]


def ranking(ctx: ScreenContext) -> list[RankedUnit]:
    """The organization's direct subunits over the last 30 days: 按时办结率 (closed on time /
    closed) and 满意率 (satisfied / rated), the best first."""
    children = list(
        Organization.objects.filter(parent=ctx.org, is_active=True).order_by("sort_order", "code")
    )
    if not children:
        return []
    sums = _unit_sums(ctx, children)
    units = [
        _ranked(child, sums[child.path])
        for child in children
        if sums[child.path].closed or sums[child.path].rated
    ]
    units.sort(
        key=lambda u: (-float(u["closed_on_time_rate"] or 0), -float(u["satisfaction_rate"] or 0))
    )
    return units[:RANKED]


class UnitSums(NamedTuple):
    closed: int
    on_time: int
    rated: int
    satisfied: int


def _unit_sums(ctx: ScreenContext, units: list[Organization]) -> dict[str, UnitSums]:
    """Each unit's path -> its sums over the trend's days."""
    first = ctx.today - timedelta(days=TREND_DAYS - 1)
    rows = (
        _totals(ctx, first, *(unit.path for unit in units))
        .values("path")
        .annotate(
            closed=Sum("closed"),
            on_time=Sum("closed_on_time"),
            rated=Sum("rated"),
            satisfied=Sum("satisfied"),
        )
        .order_by()
    )
    sums = {unit.path: UnitSums(0, 0, 0, 0) for unit in units}
    for row in rows:
        sums[row["path"]] = UnitSums(
            int(row["closed"] or 0),
            int(row["on_time"] or 0),
            int(row["rated"] or 0),
            int(row["satisfied"] or 0),
        )
    return sums


def _ranked(unit: Organization, sums: UnitSums) -> RankedUnit:
    return {
        "code": unit.code,
        "name": unit.name,
        "closed": sums.closed,
        "closed_on_time_rate": _rate(sums.on_time, sums.closed),
        "satisfaction_rate": _rate(sums.satisfied, sums.rated),
    }


def summary(ctx: ScreenContext) -> Summary:
    return {
        "org": {"code": ctx.org.code, "name": ctx.org.name},
        "date": ctx.today.isoformat(),
        "generated_at": ctx.now.isoformat(),
        "kpi": kpi(ctx),
        "trends": trends(ctx),
        "hot_categories": hot_categories(ctx),
        "warnings": warnings(ctx),
        "ranking": ranking(ctx),
        "panels": {key: panel(ctx) for key, panel in PANELS.items()},
    }


def layers(ctx: ScreenContext) -> dict[str, Sequence[Mapping[str, object]]]:
    return {key: layer(ctx) for key, layer in LAYERS.items()}
