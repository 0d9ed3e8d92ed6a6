"""The reads a user sees: the scheme, the scores of a rank group (summed from the ledger,
never from anything else), a unit's entries behind a number.

Sight: the county's units and leaders (a county-wide scope) see every ranked unit; a
township or a department sees its own row (the ranked units under its scope). Without
`assessment.view`, nothing.

A unit's score is the sum over the scheme's catalogs of the catalog's points: the sum of its
items' entries kept within [0, weight] (a deduction catalog within [-weight, 0]). Grades:
优秀 from the scheme's `excellent_min`, 合格 from `pass_min`, else 不合格; a confirmed veto
makes it 合格 at best (不合格 for an event that `fails`); a veto still under review leaves
the grade open (None) until it is reviewed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from zhili.assessment import data_quality
from zhili.assessment.formulas import clamp, money
from zhili.assessment.models import (
    Catalog,
    CatalogKind,
    Grade,
    GradeLevel,
    Group,
    Item,
    LedgerEntry,
    Scheme,
    Veto,
    VetoState,
)
from zhili.assessment.periods import Period, check_year, parse_period
from zhili.assessment.units import ranked_units
from zhili.core.errors import InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import require, scope_for
from zhili.core.types import Actor
from zhili.orgs.models import Organization


def scheme_get(*, user: Actor, year: int) -> Scheme:
    require(user, Action.ASSESSMENT_VIEW)
    scheme = Scheme.objects.filter(year=check_year(year)).first()
    if scheme is None:
        raise NotFound(f"{year} 年度尚无考核指标体系", field="year")
    return scheme


def visible_units(user: Actor, group: str) -> QuerySet[Organization]:
    if group not in Group.values:
        raise InvalidInput(
            "分组应为 township（乡镇/街道/场区）或 department（县直部门）", field="group"
        )
    return ranked_units([group]).filter(scope_for(user).q("path"))


def period_entries(year: int, period: Period) -> Q:
    """The entries that count in `period`: those computed for it, and those posted on one
    of its days."""
    return Q(year=year) & (
        Q(automatic=True, period=period.code)
        | Q(automatic=False, on__gte=period.first, on__lte=period.last)
    )


@dataclass
class ItemScore:
    item: Item
    points: Decimal
    entries: int
    sources_url: str


@dataclass
class UnitScore:
    org: Organization
    score: Decimal
    rank: int = 0
    grade: str | None = None
    vetoed: bool = False
    veto_pending: bool = False
    flagged: bool = False  # at the foot of a monthly leaderboard (`bottom_of`)
    items: list[ItemScore] = field(default_factory=list)

    @property
    def grade_label(self) -> str:
        return GradeLevel(self.grade).label if self.grade else "待审核"


def entries_url(period: Period, unit: Organization, item: Item | None = None) -> str:
    return entries_base(period) + entries_query(unit, item)


def entries_base(period: Period) -> str:
    return reverse("assessment:entries", args=[period.year, period.slug])


def entries_query(unit: Organization, item: Item | None = None) -> str:
    return "?" + urlencode({"unit": unit.code, **({"item": item.code} if item else {})})


def _sums(
    year: int, period: Period, units: list[Organization]
) -> dict[tuple[int, int], tuple[Decimal, int]]:
    rows = LedgerEntry.objects.filter(period_entries(year, period), unit__in=units).values_list(
        "unit_id", "item_id", "points"
    )
    sums: dict[tuple[int, int], list] = defaultdict(lambda: [Decimal(0), 0])
    for unit_id, item_id, points in rows:
        sums[(unit_id, item_id)][0] += points
        sums[(unit_id, item_id)][1] += 1
    return {k: (v[0], v[1]) for k, v in sums.items()}


def _catalog_points(catalog: Catalog, total: Decimal) -> Decimal:
    weight = catalog.weight
    if catalog.kind == CatalogKind.DEDUCTION:
        return clamp(total, -weight, Decimal(0))
    return clamp(total, Decimal(0), weight)


@dataclass
class _ItemUrls:
    """`entries_url(period, unit, item)` for every unit and item of a ranking, each unit's and
    each item's part encoded once rather than a query per unit and item (the two groups of a
    month at 23 townships and 60 departments: 1,208 urlencode calls)."""

    base: str
    items: dict[int, str]

    @classmethod
    def of(cls, period: Period, items: list[Item]) -> "_ItemUrls":
        return cls(entries_base(period), {i.pk: urlencode({"item": i.code}) for i in items})

    def of_unit(self, unit: Organization) -> str:
        return self.base + entries_query(unit)

    def of_item(self, unit_url: str, item: Item) -> str:
        return f"{unit_url}&{self.items[item.pk]}"


def _unit_score(
    unit: Organization, group: str, items: list[Item], urls: _ItemUrls, sums: dict
) -> UnitScore:
    by_catalog: dict[int, Decimal] = defaultdict(Decimal)
    catalogs: dict[int, Catalog] = {}
    row = UnitScore(org=unit, score=Decimal(0))
    unit_url = urls.of_unit(unit)
    for item in items:
        if group not in item.groups:
            continue
        points, n = sums.get((unit.pk, item.pk), (Decimal(0), 0))
        by_catalog[item.catalog_id] += points
        catalogs[item.catalog_id] = item.catalog
        row.items.append(ItemScore(item, money(points), n, urls.of_item(unit_url, item)))
    row.score = money(
        sum((_catalog_points(catalogs[c], t) for c, t in by_catalog.items()), Decimal(0))
    )
    return row


def _rank(rows: list[UnitScore]) -> None:
    """Competition ranking (1, 2, 2, 4), ties in code order."""
    rows.sort(key=lambda r: (-r.score, r.org.code))
    for n, row in enumerate(rows):
        same = n and rows[n - 1].score == row.score
        row.rank = rows[n - 1].rank if same else n + 1


def vetoes_of(year: int, units: list[Organization]) -> tuple[dict[int, bool], set[int]]:
    """Unit id -> whether a confirmed veto fails it (False: capped at 合格); the units with a
    veto still under review."""
    confirmed: dict[int, bool] = {}
    pending: set[int] = set()
    for veto in (
        Veto.objects.filter(year=year, unit__in=units)
        .exclude(state=VetoState.DISMISSED)
        .select_related("event")
    ):
        if veto.state == VetoState.PROPOSED:
            pending.add(veto.unit_id)
        else:
            confirmed[veto.unit_id] = confirmed.get(veto.unit_id, False) or veto.event.fails
    return confirmed, pending


def grade_for(score: Decimal, scheme: Scheme, *, vetoed: bool, fails: bool) -> str:
    if vetoed and fails:
        return GradeLevel.FAIL
    if score >= scheme.excellent_min and not vetoed:
        return GradeLevel.EXCELLENT
    return GradeLevel.PASS if score >= scheme.pass_min else GradeLevel.FAIL


def group_scores(
    scheme: Scheme, period: Period, group: str, units: list[Organization]
) -> list[UnitScore]:
    """Every unit's score, rank and grade in `group` for `period` (the ranks over `units`)."""
    items = list(scheme.items.select_related("catalog").order_by("order", "id"))
    sums = _sums(scheme.year, period, units)
    urls = _ItemUrls.of(period, items)
    rows = [_unit_score(unit, group, items, urls, sums) for unit in units]
    _rank(rows)
    confirmed, pending = vetoes_of(scheme.year, units)
    for row in rows:
        row.vetoed = row.org.pk in confirmed
        row.veto_pending = row.org.pk in pending
        fails = confirmed.get(row.org.pk, False)
        grade = grade_for(row.score, scheme, vetoed=row.vetoed, fails=fails)
        row.grade = None if row.veto_pending else grade
    if period.is_month:
        for row in bottom_of(rows, scheme.bottom_flagged):
            row.flagged = True
    return rows


def bottom_of(rows: list[UnitScore], bottom: int) -> list[UnitScore]:
    """The units at the foot of a ranking (`rows` best first), the one rule of the monthly
    leaderboard's flags and the 季点评's names (zhili.reports.quarterly): the last `bottom`,
    with every unit tied with the last of them (a tie at the cut is never broken by the unit
    code: two places may name three units), but never a unit that shares the best score
    (all equal, nobody is below another). Nobody when the group is no larger than `bottom`."""
    if bottom <= 0 or len(rows) <= bottom:
        return []
    line, best = rows[-bottom].score, rows[0].score
    return [r for r in rows if r.score <= line and r.score < best]


def scores(
    *, user: Actor, year: int, period: str, group: str
) -> tuple[Scheme, Period, list[UnitScore]]:
    """The scores of `group` for `period`, ranked over the whole group, of the units the
    user sees."""
    scheme = scheme_get(user=user, year=year)
    p = parse_period(year, period)
    visible = set(visible_units(user, group).values_list("pk", flat=True))
    rows = group_scores(scheme, p, group, list(ranked_units([group])))
    return scheme, p, [r for r in rows if r.org.pk in visible]


def unit_entries(
    *, user: Actor, year: int, period: str, unit: str, item: str = ""
) -> tuple[Period, Organization, QuerySet[LedgerEntry]]:
    """The ledger entries behind a unit's number (its item's, or all of them)."""
    p, org = _unit_period(user, year, period, unit)
    qs = LedgerEntry.objects.filter(period_entries(year, p), unit=org)
    if item:
        qs = qs.filter(item__code=item)
    return p, org, qs.select_related("item", "item__catalog").order_by("item__order", "on", "id")


def _unit_period(user: Actor, year: int, period: str, unit: str) -> tuple[Period, Organization]:
    """The period and the ranked unit `unit` (a code) if the user sees it; else 404."""
    require(user, Action.ASSESSMENT_VIEW)
    p = parse_period(year, period)
    org = ranked_units().filter(scope_for(user).q("path"), code=unit).first()
    if org is None:
        raise NotFound("未找到该被考核单位", field="unit")
    return p, org


def ranked_unit_of(
    *, user: Actor, year: int, period: str, unit: str
) -> tuple[Period, Organization]:
    """The period and the ranked unit `unit` (a code) behind a page of its records, if the
    user sees the unit's scores; else 404."""
    return _unit_period(user, year, period, unit)


def quality_defects(
    *, user: Actor, year: int, period: str, unit: str
) -> tuple[Period, Organization, list[data_quality.Section]]:
    """The records behind a unit's 数据质量 of `period`, kind by kind, with those counted as
    defective (the checks of `zhili.assessment.data_quality`, which the metric counts with)."""
    p, org = _unit_period(user, year, period, unit)
    return p, org, list(data_quality.sections(p, org.path))


def issued_grades(year: int) -> QuerySet[Grade]:
    return Grade.objects.filter(year=year).select_related("unit")
