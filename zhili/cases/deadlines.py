"""Time limits and cards: when a case must be acknowledged and handled, and when it is late.

Limits are configured per urgency (and optionally per category) in `TimeLimit`; with no row,
the defaults below apply. Emergency cases count calendar time; the others count office time
through the working-time calendar (zhili.core.workcal), so a holiday stops the clock. A
deadline counted through a year whose holidays are not yet official is *provisional*: it is
shown as such and recomputed when the year is entered (zhili.cases.services.clock).
The handling clock starts when the case is dispatched to a unit. A yellow card falls when 80 %
of the handling time is used, a red card when the handling deadline passes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from zhili.cases.models import CATEGORY_STAMP, Card, Category, LimitUnit, TimeLimit, Urgency
from zhili.core import workcal
from zhili.core.stamps import StampedCache

STAMP = "cases.time_limits"
YELLOW_SHARE = 0.8


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str

    @property
    def calendar(self) -> bool:
        return self.unit == LimitUnit.MINUTES

    @property
    def text(self) -> str:
        """As the pages and the printed receipt say it: 30分钟, 2个工作小时, 5个工作日."""
        units: dict[str, str] = {LimitUnit.MINUTES: "分钟", LimitUnit.WORKING_HOURS: "个工作小时"}
        return f"{self.amount}{units.get(self.unit, '个工作日')}"


@dataclass(frozen=True)
class Limits:
    acknowledge: Limit
    handle: Limit


DEFAULTS: dict[str, Limits] = {
    Urgency.EMERGENCY: Limits(Limit(30, LimitUnit.MINUTES), Limit(120, LimitUnit.MINUTES)),
    Urgency.URGENT: Limits(Limit(2, LimitUnit.WORKING_HOURS), Limit(1, LimitUnit.WORKING_DAYS)),
    Urgency.NORMAL: Limits(Limit(1, LimitUnit.WORKING_DAYS), Limit(5, LimitUnit.WORKING_DAYS)),
}


def _load() -> dict[tuple[int | None, str], Limits]:
    table = {}
    for row in TimeLimit.objects.all():
        table[(row.category_id, row.urgency)] = Limits(
            Limit(row.acknowledge_amount, row.acknowledge_unit),
            Limit(row.handle_amount, row.handle_unit),
        )
    return table


_table: StampedCache[dict[tuple[int | None, str], Limits]] = StampedCache(STAMP, _load)


def category_chain(category: Category) -> list[int]:
    """The category's id and its ancestors' ids, nearest first (from its path of codes)."""
    codes = category.path.strip("/").split("/")
    ids = _category_ids()
    return [ids[code] for code in reversed(codes) if code in ids]


def _load_category_ids() -> dict[str, int]:
    return dict(Category.objects.values_list("code", "id"))


_category_ids_cache: StampedCache[dict[str, int]] = StampedCache(CATEGORY_STAMP, _load_category_ids)


def _category_ids() -> dict[str, int]:
    return _category_ids_cache.get()


def limits_for(category: Category, urgency: str) -> Limits:
    table = _table.get()
    for category_id in category_chain(category):
        if (category_id, urgency) in table:
            return table[(category_id, urgency)]
    return table.get((None, urgency), DEFAULTS[urgency])


def add_limit(start: datetime, limit: Limit) -> datetime:
    if limit.unit == LimitUnit.MINUTES:
        return start + timedelta(minutes=limit.amount)
    if limit.unit == LimitUnit.WORKING_HOURS:
        return workcal.add_working_time(start, timedelta(hours=limit.amount))
    # N working days: the same local time of day on the N-th working day after `start`.
    local = timezone.localtime(start)
    due_day = workcal.add_workdays(local.date(), limit.amount)
    return local + timedelta(days=(due_day - local.date()).days)


def elapsed(start: datetime, end: datetime, *, calendar: bool) -> timedelta:
    if calendar:
        return end - start
    return workcal.working_time_between(start, end)


def advance(start: datetime, duration: timedelta, *, calendar: bool) -> datetime:
    if calendar:
        return start + duration
    return workcal.add_working_time(start, duration)


def warn_point(start: datetime, due: datetime, *, calendar: bool) -> datetime:
    """When YELLOW_SHARE of the time between `start` and `due` is used."""
    return advance(start, elapsed(start, due, calendar=calendar) * YELLOW_SHARE, calendar=calendar)


def provisional(start: datetime, end: datetime, *, calendar: bool) -> bool:
    """Whether office time counted from `start` to `end` went through a provisional year."""
    if calendar:
        return False
    return workcal.provisional_between(timezone.localdate(start), timezone.localdate(end))


@dataclass(frozen=True)
class Clock:
    acknowledge_due_at: datetime
    due_at: datetime
    warn_at: datetime
    calendar: bool
    provisional: bool = False


def start_clock(
    category: Category, urgency: str, start: datetime, imposed: datetime | None = None
) -> Clock:
    """The deadlines of a handling that starts at `start`; a deadline the sending platform
    imposed (`imposed`) wins when it is earlier than ours."""
    limits = limits_for(category, urgency)
    due = add_limit(start, limits.handle)
    if imposed is not None and imposed < due:
        due = max(imposed, start)
    calendar = limits.handle.calendar
    all_calendar = calendar and limits.acknowledge.calendar
    return Clock(
        acknowledge_due_at=min(add_limit(start, limits.acknowledge), due),
        due_at=due,
        warn_at=warn_point(start, due, calendar=calendar),
        calendar=calendar,
        provisional=provisional(start, due, calendar=all_calendar),
    )


def resume_clock(start: datetime, left: timedelta, *, calendar: bool) -> Clock:
    """The deadlines of a handling that resumes at `start` with `left` of its time to run."""
    due = advance(start, left, calendar=calendar)
    return Clock(
        acknowledge_due_at=due,  # not used: the case was acknowledged before it was suspended
        due_at=due,
        warn_at=warn_point(start, due, calendar=calendar),
        calendar=calendar,
        provisional=provisional(start, due, calendar=calendar),
    )


def card_at(now: datetime, *, warn_at: datetime | None, due_at: datetime | None) -> str:
    """The card a running case deserves at `now`."""
    if due_at is not None and now >= due_at:
        return Card.RED
    if warn_at is not None and now >= warn_at:
        return Card.YELLOW
    return Card.NONE
