"""The rota: the centers that keep one, their leaders and attending staff, the days of a
window or of a month's calendar, a day's free slots."""

import calendar
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhili.core import workcal
from zhili.core.errors import InvalidInput, NotFound
from zhili.core.roles import Role
from zhili.core.types import Actor
from zhili.orgs.models import Organization, User
from zhili.receptions import workflow
from zhili.receptions.models import RotaDay
from zhili.receptions.selectors.common import ancestor_paths, path_scope

# --- organizations and leaders ----------------------------------------------------------------


def rota_organizations(user: Actor) -> QuerySet[Organization]:
    """The centers whose rota the user may see: the county center and township centers."""
    return (
        Organization.objects.filter(
            path_scope(user, "path"), kind="center", level__in=("county", "township")
        )
        .filter(is_active=True)
        .order_by("depth", "sort_order", "code")
    )


def has_rota(user: Actor) -> bool:
    """Whether the user sees any center's rota (the navigation's 领导接访日历 asks)."""
    return rota_organizations(user).exists()


def default_organization(user: Actor) -> Organization | None:
    """The user's own center when it keeps a rota, else the first one they see (the county)."""
    org = user.organization
    orgs = rota_organizations(user)
    if org is not None:
        own = orgs.filter(path__in=ancestor_paths(org.path)).order_by("-depth").first()
        if own is not None and own.level != "county":
            return own
    return orgs.first()


def rota_organization_get(user: Actor, code: str) -> Organization:
    org = rota_organizations(user).filter(code=code).first()
    if org is None:
        raise NotFound("该接访中心不存在", field="organization")
    return org


def leaders_for(org: Organization) -> QuerySet[User]:
    """Who can be on `org`'s rota: county leaders, or the township's secretaries."""
    role = workflow.LEADER_ROLE_FOR_LEVEL.get(org.level, Role.COUNTY_LEADER)
    qs = User.objects.filter(is_active=True, groups__name=role)
    if org.level == "township":
        qs = qs.filter(organization__path__startswith=org.path)
    return qs.order_by("username").distinct()


def leader_get(org: Organization, pk: int | str | None) -> User:
    """The leader picked for `org`'s rota (an id as the form sent it)."""
    try:
        return leaders_for(org).get(pk=int(pk or 0))
    except (ValueError, User.DoesNotExist) as exc:
        raise InvalidInput("请选择接访领导", field="leader") from exc


def staff_for(org: Organization) -> QuerySet[User]:
    """Who may attend a reception on `org`'s rota beside the leader (陪同接访人员): petition
    staff and department or township officers of the rota's level, under its center."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=workflow.ATTENDING_STAFF,
            organization__path__startswith=org.path,
            organization__level=org.level,
        )
        .select_related("organization")
        .order_by("organization__sort_order", "organization__code", "username")
        .distinct()
    )


# --- rota days --------------------------------------------------------------------------------


def rota_list(
    *, user: Actor, organization: Organization | None = None, start: date, end: date
) -> QuerySet[RotaDay]:
    qs = RotaDay.objects.filter(path_scope(user), date__gte=start, date__lte=end)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("leader", "organization").order_by("date", "org_path")


def rota_get(*, user: Actor, pk: int, field: str | None = None) -> RotaDay:
    day = RotaDay.objects.filter(path_scope(user), pk=pk).select_related(
        "leader", "organization", "created_by"
    )
    found = day.first()
    if found is None:
        raise NotFound("该接访日不存在", field=field)
    return found


MAX_DAYS_LISTED = 400


def rota_window(start: date | None, end: date | None) -> tuple[date, date]:
    """The days a rota list covers: from `start` (the month's first by default) to `end`
    (a month later by default), at most MAX_DAYS_LISTED days."""
    start = start or timezone.localdate().replace(day=1)
    end = end or date.fromordinal(min(start.toordinal() + 31, date.max.toordinal()))
    if end < start:
        raise InvalidInput("截止日期不能早于起始日期", field="end")
    if (end - start).days > MAX_DAYS_LISTED:
        raise InvalidInput(f"一次最多查询{MAX_DAYS_LISTED}天", field="end")
    return start, end


def leader_days(*, user: Actor, start: date, end: date) -> QuerySet[RotaDay]:
    """The leader's own reception days from `start` to `end`."""
    return (
        RotaDay.objects.filter(leader=user, date__gte=start, date__lte=end)
        .select_related("organization")
        .order_by("date")
    )


# --- a day's slots ----------------------------------------------------------------------------

SLOT_MINUTES = 30


def held(day: RotaDay) -> int:
    """The appointments that hold a slot of `day` (a cancelled one frees it)."""
    return day.appointments.filter(state__in=workflow.HOLDING).count()


def half_hours(day: RotaDay) -> list[time]:
    """The starts of the day's half hours, from its start to before its end."""
    minute = day.starts_at.hour * 60 + day.starts_at.minute
    end = day.ends_at.hour * 60 + day.ends_at.minute
    return [time(start // 60, start % 60) for start in range(minute, end, SLOT_MINUTES)]


def next_free_slot(day: RotaDay) -> time | None:
    """The first half hour of the day's hours that no appointment holds (what the booking form
    proposes), or None when all are taken."""
    taken = set(
        day.appointments.filter(state__in=workflow.HOLDING).values_list("slot_time", flat=True)
    )
    return next((slot for slot in half_hours(day) if slot not in taken), None)


# --- a month's calendar -----------------------------------------------------------------------


def rota_month(value: str | None) -> tuple[int, int]:
    """The month a ``YYYY-MM`` names (2000 to 2099), else the current one."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not 2000 <= year <= 2099:
        return today.year, today.month
    return year, month


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    workday: bool
    rota: RotaDay | None
    booked: int = 0

    @property
    def past(self) -> bool:
        return self.day < timezone.localdate()


def month_bounds(year: int, month: int) -> tuple[date, date]:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


def rota_calendar(
    *, user: Actor, organization: Organization, year: int, month: int
) -> list[list[CalendarDay]]:
    """The month's weeks (Monday first), each day with its rota entry and bookings."""
    first, last = month_bounds(year, month)
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    days = {
        r.date: r
        for r in rota_list(user=user, organization=organization, start=start, end=end).annotate(
            held=Count("appointments", filter=Q(appointments__state__in=workflow.HOLDING))
        )
    }
    weeks: list[list[CalendarDay]] = []
    day = start
    while day <= end:
        rota = days.get(day)
        cell = CalendarDay(
            day=day,
            in_month=day.month == month,
            workday=workcal.is_workday(day),
            rota=rota,
            booked=getattr(rota, "held", 0) if rota else 0,
        )
        if day.weekday() == 0:
            weeks.append([])
        weeks[-1].append(cell)
        day += timedelta(days=1)
    return weeks
