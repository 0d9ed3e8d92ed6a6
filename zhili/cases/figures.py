"""Unit figures (及时签收率, 按时办结率, 满意率 ...): per handling unit and period, by aggregate
queries (one grouped query over cases, one over the timeline), never by a loop over cases.

Definitions, for the cases dispatched to a unit in the period (local days, both included):
- received: the cases it holds that were dispatched to it in the period, plus the cases it
  returned in the period (they were received too, then given back);
- acknowledged on time: acknowledged_at <= acknowledge_due_at;
- closed on time: replied_at <= due_at (the reply is what the unit controls; the close that
  follows is the center's review); a case handed over to a dispute or a petition before its
  deadline counts as on time: from then on the dossier's own limits judge the matter;
- returned: timeline rows "return" in the period whose `previous_unit` is the unit;
- extended: an extension was approved; overdue: the case carries a red card;
- satisfaction rate: (satisfied + basically satisfied) / rated.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from zhili.cases.models import Card, Case, CaseEvent, Rating
from zhili.core.errors import InvalidInput
from zhili.core.scope import scope_for
from zhili.orgs.models import Organization

MAX_DAYS = 366 * 3
ON_TIME = Q(held_at__isnull=True, replied_at__lte=F("due_at")) | Q(held_at__lte=F("due_at"))


@dataclass(frozen=True)
class UnitFigures:
    unit_code: str
    unit_name: str
    handled: int  # dispatched to the unit in the period and still with it
    received: int
    acknowledged_on_time: int
    closed_on_time: int
    returned: int
    extended: int
    overdue: int
    rated: int
    satisfied: int  # satisfied + basically satisfied

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def acknowledged_on_time_rate(self) -> float | None:
        return self._rate(self.acknowledged_on_time, self.handled)

    @property
    def closed_on_time_rate(self) -> float | None:
        return self._rate(self.closed_on_time, self.handled)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise InvalidInput("结束日期不能早于开始日期", field="end")
    if (end - start).days > MAX_DAYS:
        raise InvalidInput("统计区间不能超过三年", field="end")
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tz),
        datetime.combine(end + timedelta(days=1), time.min, tz),
    )


def _case_rows(
    user: Any, begin: datetime, end: datetime, codes: list[str] | None
) -> list[dict[str, Any]]:
    qs = Case.objects.filter(
        scope_for(user).q("unit_path"),
        lead_unit__isnull=False,
        dispatched_at__gte=begin,
        dispatched_at__lt=end,
    )
    if codes:
        qs = qs.filter(lead_unit__code__in=codes)
    rows = (
        qs.order_by()
        .values("lead_unit")
        .annotate(
            handled=Count("id"),
            acknowledged_on_time=Count(
                "id", filter=Q(acknowledged_at__lte=F("acknowledge_due_at"))
            ),
            closed_on_time=Count("id", filter=ON_TIME),
            extended=Count("id", filter=Q(extended=True)),
            overdue=Count("id", filter=Q(card=Card.RED)),
            rated=Count("id", filter=~Q(rating="")),
            satisfied=Count(
                "id", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
            ),
        )
    )
    return [dict(row) for row in rows]


def _returns(begin: datetime, end: datetime, codes: list[str] | None) -> dict[str, int]:
    qs = CaseEvent.objects.filter(action="return", created_at__gte=begin, created_at__lt=end)
    qs = qs.annotate(unit=KeyTextTransform("previous_unit", "data"))
    rows = qs.order_by().values("unit").annotate(n=Count("id"))
    # Filtered after grouping (a handful of rows): SQLite cannot compare the extracted key
    # with IN parameters.
    return {
        row["unit"]: row["n"] for row in rows if row["unit"] and (not codes or row["unit"] in codes)
    }


def unit_figures(
    *, user: Any, start: date, end: date, unit_codes: list[str] | None = None
) -> list[UnitFigures]:
    """The figures of every unit in the user's scope with cases in the period (or of the
    units named), ordered by unit code. Units outside the scope are left out."""
    begin, stop = period_bounds(start, end)
    codes = [c for c in unit_codes or [] if c] or None
    case_rows = {row.pop("lead_unit"): row for row in _case_rows(user, begin, stop, codes)}
    returns = _returns(begin, stop, codes)
    units = Organization.objects.filter(
        Q(pk__in=case_rows) | Q(code__in=list(returns) + (codes or []))
    ).filter(scope_for(user).q("path"))
    empty = dict.fromkeys(
        ("handled", "acknowledged_on_time", "closed_on_time", "extended", "overdue"), 0
    ) | {"rated": 0, "satisfied": 0}
    figures = []
    for unit in units.order_by("code"):
        row = case_rows.get(unit.pk, empty)
        returned = returns.get(unit.code, 0)
        figures.append(
            UnitFigures(
                unit_code=unit.code,
                unit_name=unit.name,
                received=row["handled"] + returned,
                returned=returned,
                **row,
            )
        )
    return figures
