"""The supervision of township leaders' receptions (乡镇领导接访督导): per township center
in scope, what its leaders did in a period."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from zhili.core.types import Actor
from zhili.orgs.models import Organization
from zhili.receptions.models import (
    Appointment,
    AppointmentState,
    Ownership,
    OwnershipState,
    Reception,
    RotaDay,
)
from zhili.receptions.selectors.common import day_start, path_scope


@dataclass
class TownshipRow:
    township: Organization
    rota_days: int = 0
    receptions: int = 0
    people: int = 0
    joint: int = 0
    video: int = 0
    not_received: int = 0
    idle_days: int = 0  # rota days gone on which its leaders received no one
    idle_dates: list[date] = field(default_factory=list)
    ownerships: int = 0
    overdue: int = 0
    leaders: str = ""


SORT_KEYS: dict[str, Callable[[TownshipRow], int | str]] = {
    "township": lambda r: r.township.code,
    "rota_days": lambda r: r.rota_days,
    "receptions": lambda r: r.receptions,
    "people": lambda r: r.people,
    "not_received": lambda r: r.not_received,
    "idle_days": lambda r: r.idle_days,
    "overdue": lambda r: r.overdue,
}
# The figures a row counts (the table's totals add them up).
FIGURES = (
    "rota_days",
    "receptions",
    "people",
    "joint",
    "video",
    "not_received",
    "idle_days",
    "ownerships",
    "overdue",
)


def period(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for: this month so far by default, in order."""
    today = timezone.localdate()
    start, end = start or today.replace(day=1), end or today
    return (end, start) if end < start else (start, end)


def sort_key(sort: str | None) -> str:
    return sort if sort in SORT_KEYS else "township"


def totals(rows: Iterable[TownshipRow]) -> dict[str, int]:
    rows = list(rows)
    return {key: sum(getattr(r, key) for r in rows) for key in FIGURES}


Rows = dict[str, TownshipRow]


def _by_township(
    values: Iterable[Mapping[str, Any]], rows: Rows
) -> Iterator[tuple[TownshipRow, Any]]:
    """Each value row with the row of the township its `org_path` lies under."""
    for value in values:
        key = "/".join(value["org_path"].split("/")[:3]) + "/"
        if key in rows:
            yield rows[key], value


def _count_rota(rows: Rows, under: Q, start: date, end: date) -> None:
    rota = RotaDay.objects.filter(under, date__gte=start, date__lte=end)
    for row, r in _by_township(
        rota.values("org_path", "leader__full_name", "leader__username"), rows
    ):
        row.rota_days += 1
        name = r["leader__full_name"] or r["leader__username"]
        if name not in row.leaders.split("、"):
            row.leaders = f"{row.leaders}、{name}" if row.leaders else name


def _count_receptions(rows: Rows, under: Q, start: date, end: date) -> None:
    receptions = Reception.objects.filter(
        under, received_at__gte=day_start(start), received_at__lt=day_start(end + timedelta(1))
    )
    grouped = receptions.values("org_path").annotate(
        n=Count("id"),
        people=Sum("people_count"),
        video=Count("id", filter=Q(mode="video")),
    )
    for row, r in _by_township(grouped, rows):
        row.receptions += r["n"]
        row.people += r["people"] or 0
        row.video += r["video"]
    # Apart: the join on departments would multiply the rows counted above.
    joint = receptions.filter(departments__isnull=False).values("org_path")
    for row, r in _by_township(joint.annotate(n=Count("id", distinct=True)), rows):
        row.joint += r["n"]


def _count_missed(rows: Rows, under: Q, start: date, end: date) -> None:
    """Appointments not received: no-show, or still booked on a day gone."""
    today = timezone.localdate()
    missed = Appointment.objects.filter(
        under, rota_day__date__gte=start, rota_day__date__lte=min(end, today)
    ).filter(
        Q(state=AppointmentState.NO_SHOW)
        | Q(state=AppointmentState.BOOKED, rota_day__date__lt=today)
    )
    for row, r in _by_township(missed.values("org_path").annotate(n=Count("id")), rows):
        row.not_received += r["n"]


def _count_idle(rows: Rows, under: Q, start: date, end: date) -> None:
    """The rota days gone (today is not over) on which the township's leaders received no
    one: against the rota, not against the calendar."""
    last = min(end, timezone.localdate() - timedelta(1))
    if last < start:
        return
    received = Reception.objects.filter(
        under, received_at__gte=day_start(start), received_at__lt=day_start(last + timedelta(1))
    ).annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
    busy = {
        (id(row), value["day"])
        for row, value in _by_township(received.values("org_path", "day").distinct(), rows)
    }
    rota = RotaDay.objects.filter(under, date__gte=start, date__lte=last).order_by("date")
    for row, value in _by_township(rota.values("org_path", "date"), rows):
        if (id(row), value["date"]) not in busy and value["date"] not in row.idle_dates:
            row.idle_days += 1
            row.idle_dates.append(value["date"])


def _count_ownerships(rows: Rows, under: Q) -> None:
    """包案 held now, and of them overdue (target date passed, not resolved)."""
    active = Ownership.objects.filter(under, state=OwnershipState.ACTIVE)
    counted = active.values("org_path").annotate(
        n=Count("id"), late=Count("id", filter=Q(due_at__lte=timezone.now()))
    )
    for row, r in _by_township(counted, rows):
        row.ownerships += r["n"]
        row.overdue += r["late"]


def township_summary(
    *, user: Actor, start: date, end: date, sort: str = "township", descending: bool = False
) -> list[TownshipRow]:
    """Per township center in scope: rota days, receptions held and people received in the
    period; appointments not received; rota days with no one received; 包案 held and overdue
    now."""
    townships = (
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
    _count_rota(rows, under, start, end)
    _count_receptions(rows, under, start, end)
    _count_missed(rows, under, start, end)
    _count_idle(rows, under, start, end)
    _count_ownerships(rows, under)
    return sorted(rows.values(), key=SORT_KEYS[sort_key(sort)], reverse=descending)
