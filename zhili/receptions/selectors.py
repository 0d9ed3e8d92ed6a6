"""Every scoped read of leader reception.

A user sees the rota days, appointments and reception records of the organizations in their
subtree (the rota's `org_path`), and the 包案 of the leaders of those organizations. County-
wide users see all. Out of scope reads exactly like not found.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zhili.core import workcal
from zhili.core.errors import InvalidInput, NotFound
from zhili.core.roles import Role
from zhili.core.scope import scope_for
from zhili.orgs.models import Organization, User
from zhili.petitions.models import Petition
from zhili.petitions.selectors import petition_scope
from zhili.receptions import workflow
from zhili.receptions.models import (
    Appointment,
    AppointmentState,
    Ownership,
    OwnershipState,
    Reception,
    RotaDay,
)


def path_scope(user: Any, field: str = "org_path") -> Q:
    return scope_for(user).q(field)


# --- organizations and leaders ----------------------------------------------------------------


def rota_organizations(user: Any) -> QuerySet[Organization]:
    """The centers whose rota the user may see: the county center and township centers."""
    return (
        Organization.objects.filter(
            path_scope(user, "path"), kind="center", level__in=("county", "township")
        )
        .filter(is_active=True)
        .order_by("depth", "sort_order", "code")
    )


def has_rota(user: Any) -> bool:
    """Whether the user sees any center's rota (the navigation's 领导接访日历 asks)."""
    return rota_organizations(user).exists()


def default_organization(user: Any) -> Organization | None:
    """The user's own center when it keeps a rota, else the first one they see (the county)."""
    org = getattr(user, "organization", None)
    orgs = rota_organizations(user)
    if org is not None:
        own = orgs.filter(path__in=_ancestor_paths(org.path)).order_by("-depth").first()
        if own is not None and own.level != "county":
            return own
    return orgs.first()


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def owner_organization(petition: Petition) -> Organization:
    """The level a petition's 包案 belongs to: the township center above the unit handling it
    (before it is transferred, the unit that registered it) for a township petition, else the
    county center. Its leaders are the ones `services.common.check_leader` accepts for that
    center."""
    path = petition.handling_path or petition.registering_path
    centers = Organization.objects.filter(
        path__in=_ancestor_paths(path), kind="center", level__in=workflow.LEADER_ROLE_FOR_LEVEL
    )
    found = centers.order_by("-depth").first()
    if found is None:
        raise InvalidInput("该信访事项的登记或承办单位不在县、乡镇综治中心之下", field="petition")
    return found


def rota_organization_get(user: Any, code: str) -> Organization:
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


# --- rota -------------------------------------------------------------------------------------


def rota_list(
    *, user: Any, organization: Organization | None = None, start: date, end: date
) -> QuerySet[RotaDay]:
    qs = RotaDay.objects.filter(path_scope(user), date__gte=start, date__lte=end)
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.select_related("leader", "organization").order_by("date", "org_path")


def rota_get(*, user: Any, pk: int, field: str | None = None) -> RotaDay:
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
    *, user: Any, organization: Organization, year: int, month: int
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


# --- appointments -----------------------------------------------------------------------------


def appointment_list(
    *,
    user: Any,
    rota_day: RotaDay | None = None,
    state: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Appointment]:
    if state and state not in AppointmentState.values:
        raise InvalidInput("预约状态无效", field="state")
    qs = Appointment.objects.filter(path_scope(user))
    if rota_day is not None:
        qs = qs.filter(rota_day=rota_day)
    if state:
        qs = qs.filter(state=state)
    if start is not None:
        qs = qs.filter(rota_day__date__gte=start)
    if end is not None:
        qs = qs.filter(rota_day__date__lte=end)
    return (
        qs.select_related("rota_day__leader", "rota_day__organization", "petition", "booked_by")
        .prefetch_related("petitioners")
        .order_by("rota_day__date", "slot_time", "id")
    )


def appointment_get(*, user: Any, pk: int, field: str | None = None) -> Appointment:
    found = appointment_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound("该预约不存在", field=field)
    return found


MAX_ID = 2**31 - 1  # ids are 32-bit on every database here


def appointment_find(*, user: Any, key: str) -> Appointment:
    """The appointment a path names: it has no number of its own, so its id."""
    if not key.isascii() or not key.isdigit() or not 0 < int(key) <= MAX_ID:
        raise NotFound("该预约不存在")
    return appointment_get(user=user, pk=int(key))


# --- reception records ------------------------------------------------------------------------


def reception_list(
    *,
    user: Any,
    leader: Any = None,
    rota_day: RotaDay | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Reception]:
    qs = Reception.objects.filter(path_scope(user))
    if leader is not None:
        qs = qs.filter(leader=leader)
    if rota_day is not None:
        qs = qs.filter(rota_day=rota_day)
    if start is not None:
        qs = qs.filter(received_at__gte=day_start(start))
    if end is not None:
        qs = qs.filter(received_at__lt=day_start(end + timedelta(days=1)))
    return (
        qs.select_related("leader", "organization", "petition", "assigned_unit", "appointment")
        .prefetch_related("departments", "petitioners", "staff")
        .order_by("-received_at", "-id")
    )


def reception_get(*, user: Any, pk: int) -> Reception:
    found = reception_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound("该接访记录不存在")
    return found


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), timezone.get_current_timezone())


# --- ownership (包案) -------------------------------------------------------------------------


def ownership_list(
    *, user: Any, leader: Any = None, state: str = "", overdue: bool = False
) -> QuerySet[Ownership]:
    if state and state not in OwnershipState.values:
        raise InvalidInput("包案状态无效", field="state")
    qs = Ownership.objects.filter(path_scope(user))
    if leader is not None:
        qs = qs.filter(leader=leader)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state=OwnershipState.ACTIVE, due_at__lte=timezone.now())
    return qs.select_related("leader", "petition", "petition__handling_unit").order_by(
        "state", "target_date", "id"
    )


def ownership_counts(*, user: Any) -> dict[str, int]:
    """In the user's scope: 包案 in progress, of which overdue, and resolved."""
    return Ownership.objects.filter(path_scope(user)).aggregate(
        active=Count("id", filter=Q(state=OwnershipState.ACTIVE)),
        overdue=Count("id", filter=Q(state=OwnershipState.ACTIVE, due_at__lte=timezone.now())),
        resolved=Count("id", filter=Q(state=OwnershipState.RESOLVED)),
    )


def ownership_work(*, user: Any, leader: Any = None) -> dict[str, int]:
    """In one query, the 包案 in the user's scope (of `leader` alone, when given): in
    progress (`active`), of which past their target (`overdue`, as the list's filter)."""
    now = timezone.now()
    counts = (
        ownership_list(user=user, leader=leader, state=OwnershipState.ACTIVE)
        .select_related(None)
        .order_by()
        .aggregate(active=Count("pk"), overdue=Count("pk", filter=Q(due_at__lte=now)))
    )
    return {key: int(value or 0) for key, value in counts.items()}


def appointments_today(*, leader: Any) -> int:
    """The appointments of the leader's reception days today (what 我的接访 lists)."""
    today = timezone.localdate()
    return Appointment.objects.filter(rota_day__leader=leader, rota_day__date=today).count()


def ownership_leaders(*, user: Any) -> QuerySet[User]:
    """The leaders holding a 包案 in the user's scope (the list's filter)."""
    owners = Ownership.objects.filter(path_scope(user)).values("leader_id")
    return User.objects.filter(pk__in=owners).order_by("organization__path", "username")


def assignable_leaders(*, user: Any) -> list[tuple[Organization, list[User]]]:
    """Who can be given a 包案, per center in the user's scope: the county leaders, then each
    township's secretaries (`services.common.check_leader` says which fits a petition)."""
    groups = []
    for org in rota_organizations(user):
        leaders = list(leaders_for(org))
        if leaders:
            groups.append((org, leaders))
    return groups


def ownership_get(*, user: Any, pk: int) -> Ownership:
    found = ownership_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound("该包案不存在")
    return found


# --- what a client names: petitions (scoped by the petitions app's own rule), people, units ---


def petition_by_number(*, user: Any, number: str, field: str = "petition") -> Petition:
    found = Petition.objects.filter(petition_scope(user), number=(number or "").strip()).first()
    if found is None:
        raise NotFound("信访事项不存在或不在您的查询范围内", field=field)
    return found


def user_by_username(username: str, *, field: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound("该用户不存在", field=field)
    return user


def units_by_code(codes: list[str], *, field: str) -> list[Organization]:
    found = list(Organization.objects.filter(code__in=set(codes)))
    if len(found) != len(set(codes)):
        raise InvalidInput("所列单位编码有不存在的", field=field)
    return found


def joint_units() -> QuerySet[Organization]:
    """The county's units that may join a reception (联合接访) or be made responsible."""
    return Organization.objects.filter(
        kind__in=workflow.JOINT_KINDS, is_active=True, level="county"
    ).order_by("kind", "sort_order", "code")


# --- the leader's own day ---------------------------------------------------------------------


def leader_days(*, user: Any, start: date, end: date) -> QuerySet[RotaDay]:
    return (
        RotaDay.objects.filter(leader=user, date__gte=start, date__lte=end)
        .select_related("organization")
        .order_by("date")
    )


# --- township supervision ---------------------------------------------------------------------


@dataclass
class TownshipRow:
    township: Organization
    rota_days: int = 0
    receptions: int = 0
    people: int = 0
    joint: int = 0
    video: int = 0
    not_received: int = 0
    ownerships: int = 0
    overdue: int = 0
    leaders: str = ""


SORT_KEYS = {
    "township": lambda r: r.township.code,
    "rota_days": lambda r: r.rota_days,
    "receptions": lambda r: r.receptions,
    "people": lambda r: r.people,
    "not_received": lambda r: r.not_received,
    "overdue": lambda r: r.overdue,
}


def _by_township(rows: Any, path_field: str, paths: dict[str, TownshipRow]) -> Any:
    for row in rows:
        key = "/".join(row[path_field].split("/")[:3]) + "/"
        if key in paths:
            yield paths[key], row


def township_summary(
    *, user: Any, start: date, end: date, sort: str = "township", descending: bool = False
) -> list[TownshipRow]:
    """Per township center in scope: rota days, receptions held and people received in the
    period; appointments not received (no-show, or still booked on a day gone); 包案 held
    and overdue (target date passed, not resolved) now."""
    townships = list(
        Organization.objects.filter(path_scope(user, "path"), kind="center", level="township")
        .filter(is_active=True)
        .order_by("sort_order", "code")
    )
    rows = {t.path: TownshipRow(township=t) for t in townships}
    if not rows:
        return []
    under = Q()
    for path in rows:
        under |= Q(org_path__under=path)
    today = timezone.localdate()
    rota = RotaDay.objects.filter(under, date__gte=start, date__lte=end)
    for row, r in _by_township(
        rota.values("org_path", "leader__full_name", "leader__username"), "org_path", rows
    ):
        row.rota_days += 1
        name = r["leader__full_name"] or r["leader__username"]
        if name not in row.leaders.split("、"):
            row.leaders = f"{row.leaders}、{name}" if row.leaders else name
    receptions = Reception.objects.filter(
        under, received_at__gte=day_start(start), received_at__lt=day_start(end + timedelta(1))
    )
    grouped = receptions.values("org_path").annotate(
        n=Count("id"),
        people=Sum("people_count"),
        video=Count("id", filter=Q(mode="video")),
    )
    for row, r in _by_township(grouped, "org_path", rows):
        row.receptions += r["n"]
        row.people += r["people"] or 0
        row.video += r["video"]
    # Apart: the join on departments would multiply the rows counted above.
    joint = receptions.filter(departments__isnull=False).values("org_path")
    for row, r in _by_township(joint.annotate(n=Count("id", distinct=True)), "org_path", rows):
        row.joint += r["n"]
    missed = Appointment.objects.filter(
        under, rota_day__date__gte=start, rota_day__date__lte=min(end, today)
    ).filter(
        Q(state=AppointmentState.NO_SHOW)
        | Q(state=AppointmentState.BOOKED, rota_day__date__lt=today)
    )
    for row, r in _by_township(missed.values("org_path").annotate(n=Count("id")), "org_path", rows):
        row.not_received += r["n"]
    active = Ownership.objects.filter(under, state=OwnershipState.ACTIVE)
    now = timezone.now()
    counted = active.values("org_path").annotate(
        n=Count("id"), late=Count("id", filter=Q(due_at__lte=now))
    )
    for row, r in _by_township(counted, "org_path", rows):
        row.ownerships += r["n"]
        row.overdue += r["late"]
    key = SORT_KEYS.get(sort, SORT_KEYS["township"])
    return sorted(rows.values(), key=key, reverse=descending)
