"""The monthly report from the database: which unit, which month, which disputes.

The unit is a governance center in the user's scope (the county, a township, a village);
its disputes are those whose `path` lies under the unit's path (the committee's place), so a
township's report holds its own committee and its villages' committees. One query reads the
disputes registered or concluded in the month, one more those of the year to the month's end
(本年累计); `table.build_table` does the counting.
"""

from collections.abc import Sequence
from datetime import date, datetime, time
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhili.core.dates import FIRST_DAY, LAST_DAY
from zhili.core.errors import InvalidInput
from zhili.core.scope import Scope, scope_for
from zhili.core.types import Actor, SystemActor
from zhili.mediation.models import Dispute, DisputeKind, Source
from zhili.mediation.reports.selectors import disputes_for
from zhili.mediation.reports.table import Fact, MonthlyTable, build_table
from zhili.orgs.models import Level, Organization

# The committee levels in the order of the form: village first, then township, county.
LEVEL_ROWS = [
    (Level.VILLAGE.value, "村（社区）人民调解委员会"),
    (Level.TOWNSHIP.value, "乡镇（街道）人民调解委员会"),
    (Level.COUNTY.value, "县级人民调解委员会（调处中心）"),
]
ROWS = {
    "kind": DisputeKind.choices,
    "source": Source.choices,
    "level": LEVEL_ROWS,
}
UNIT_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    if not 1 <= month <= 12 or not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise InvalidInput("统计月份不正确", field="month")
    tz = timezone.get_current_timezone()
    begin = datetime.combine(date(year, month, 1), time.min, tz)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return begin, datetime.combine(nxt, time.min, tz)


def report_units(user: Actor) -> QuerySet[Organization]:
    """The governance centers the user may report on: their own and those below it."""
    return (
        Organization.objects.filter(scope_for(user).q("path"))
        .filter(kind="center", level__in=UNIT_LEVELS)
        .order_by("path")
    )


def default_unit(user: Actor) -> Organization | None:
    """The user's own center, or the top one of their scope (the county for county units)."""
    org = getattr(user, "organization", None)
    units = report_units(user)
    if org is not None and units.filter(pk=org.pk).exists():
        return org
    return units.order_by("depth", "path").first()


def resolve_unit(user: Actor, code: str) -> Organization:
    unit = report_units(user).filter(code=code).first() if code else default_unit(user)
    if unit is None:
        raise InvalidInput("请选择您管辖范围内的统计单位", field="unit")
    return unit


class _Row(NamedTuple):
    """The fields of a dispute that the report counts."""

    kind: str
    source: str
    level: str
    registered_at: datetime
    outcome: str
    outcome_at: datetime | None
    people_count: int | None
    risk_criminal: bool
    risk_group_petition: bool


def period_facts(
    user: SystemActor,
    unit: Organization,
    begin: datetime,
    end: datetime,
    *,
    scope: Scope | None = None,
) -> list[Fact]:
    """The unit's disputes registered or concluded in [begin, end), as report facts. The
    platform itself (`user` None: the assessment's scheduled computation) names its `scope`."""
    return units_facts(user, [unit], begin, end, scope=scope)[unit.pk]


def units_facts(
    user: SystemActor,
    units: Sequence[Organization],
    begin: datetime,
    end: datetime,
    *,
    scope: Scope | None = None,
) -> dict[int, list[Fact]]:
    """`period_facts` of each of `units` (unit id -> facts) from one query: the disputes
    under any of them, each given to every unit whose path starts its own (the assessment's
    townships read at once rather than one query each)."""
    registered = Q(registered_at__gte=begin, registered_at__lt=end)
    concluded = Q(outcome_at__gte=begin, outcome_at__lt=end)
    under = reduce(or_, (Q(path__under=unit.path) for unit in units), Q(pk__in=[]))
    rows = (
        _disputes(user, scope)
        .filter(under)
        .filter(registered | concluded)
        .values_list("path", *_Row._fields)
    )
    facts: dict[int, list[Fact]] = {unit.pk: [] for unit in units}
    for path, *fields in rows:
        fact = _fact(_Row(*fields), begin, end)
        for unit in units:
            if path.startswith(unit.path):
                facts[unit.pk].append(fact)
    return facts


def _disputes(user: SystemActor, scope: Scope | None) -> QuerySet[Dispute]:
    if scope is not None:
        return scope.filter(Dispute.objects.all())
    return disputes_for(user) if user is not None else Dispute.objects.none()


def _fact(row: _Row, begin: datetime, end: datetime) -> Fact:
    """One dispute as a fact of [begin, end): registered in it, its outcome if reached in it."""
    in_period = row.outcome_at is not None and begin <= row.outcome_at < end
    return Fact(
        kind=row.kind,
        source=row.source,
        level=row.level,
        registered=begin <= row.registered_at < end,
        outcome=row.outcome if in_period else "",
        people=row.people_count or 0,
        risk_criminal=row.risk_criminal,
        risk_group_petition=row.risk_group_petition,
    )


def monthly_table(*, user: Actor, year: int, month: int, unit_code: str = "") -> MonthlyTable:
    """The 人民调解工作统计月报表 of one unit and month, over the disputes in the user's scope."""
    unit = resolve_unit(user, unit_code)
    begin, end = month_bounds(year, month)
    table = build_table(
        period_facts(user, unit, begin, end),
        unit_name=unit.name,
        year=year,
        month=month,
        rows=ROWS,
        unit_code=unit.code,
    )
    # 本年累计: January 1 to the end of the month, the same counting.
    year_begin, _ = month_bounds(year, 1)
    cumulative = build_table(
        period_facts(user, unit, year_begin, end), unit_name="", year=year, month=month, rows=ROWS
    )
    table.year_total = cumulative.total
    table.year_total.label = f"本年累计（1-{month}月）"
    table.year_total.code = "year"
    return table
