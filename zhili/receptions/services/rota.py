"""The rota (领导接访日程): one leader per working day per organization, set by petition staff."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from zhili.core import workcal
from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.types import Actor
from zhili.orgs.models import Organization, User
from zhili.receptions.models import DEFAULT_END, DEFAULT_START, RotaDay
from zhili.receptions.services.common import (
    check_arranger_for,
    check_leader,
    create_or_conflict,
    rota_level,
    text,
    user_or_none,
)
from zhili.receptions.workflow import HOLDING

MAX_SLOTS = 50


def check_workday(day: date) -> None:
    """A rota day must be a working day (official holidays and make-up days included)."""
    if not workcal.is_workday(day):
        raise InvalidInput(
            f"{day:%Y年%m月%d日}是休息日或法定节假日，不安排领导接访，请选择工作日", field="date"
        )


def _check_day(day: date, *, allow_past: bool) -> None:
    if not allow_past and day < timezone.localdate():
        raise InvalidInput("不能安排已经过去的日期", field="date")
    check_workday(day)


def _check_hours(starts_at: time, ends_at: time) -> None:
    if starts_at >= ends_at:
        raise InvalidInput("结束时间应晚于开始时间", field="ends_at")


def _check_slots(slots: int, booked: int) -> None:
    if not 1 <= slots <= MAX_SLOTS:
        raise InvalidInput(f"预约名额应在1到{MAX_SLOTS}之间", field="slots")
    if slots < booked:
        raise InvalidInput(f"该日已有{booked}个预约，名额不能少于{booked}", field="slots")


def _check_leader_free(leader: User, day: date, org: Organization) -> None:
    other = (
        RotaDay.objects.filter(leader=leader, date=day)
        .exclude(organization=org)
        .select_related("organization")
        .first()
    )
    if other is not None:
        raise Conflict(
            f"{leader}当日已在{other.organization.name}接访，不能同时安排两处", field="leader"
        )


def _default_place(org: Organization, level: str) -> str:
    return "县信访局接待大厅" if level == "county" else f"{org.area_name or org.name}信访接待室"


@dataclass(frozen=True)
class Arrangement:
    """A day's place, hours, appointments it takes (None: the default) and note."""

    place: str
    starts_at: time
    ends_at: time
    slots: int | None
    note: str


def _arrangement(
    current: RotaDay | None,
    org: Organization,
    place: str,
    starts_at: time | None,
    ends_at: time | None,
    slots: int | None,
    note: str,
) -> Arrangement:
    """What was given, checked; what was not, as the day has it (or the defaults)."""
    place = text(place, "place", "接访地点", 100) or _default_place(org, rota_level(org))
    starts_at = starts_at or (current.starts_at if current else DEFAULT_START)
    ends_at = ends_at or (current.ends_at if current else DEFAULT_END)
    _check_hours(starts_at, ends_at)
    booked = current.appointments.filter(state__in=HOLDING).count() if current else 0
    slots = slots if slots is not None else (current.slots if current else None)
    if slots is not None:
        _check_slots(slots, booked)
    return Arrangement(place, starts_at, ends_at, slots, text(note, "note", "备注", 200))


@transaction.atomic
def rota_set(
    *,
    actor: Actor,
    organization: Organization,
    day: date,
    leader: User,
    place: str = "",
    starts_at: time | None = None,
    ends_at: time | None = None,
    slots: int | None = None,
    note: str = "",
    allow_past: bool = False,
) -> RotaDay:
    """Put `leader` on `organization`'s rota for `day`, or change that day's arrangement.

    `allow_past` is for the demo loader, which writes the months already gone."""
    _check_arranging(actor, organization, day, leader, allow_past=allow_past)
    current = (
        RotaDay.objects.select_for_update().filter(organization=organization, date=day).first()
    )
    arrangement = _arrangement(current, organization, place, starts_at, ends_at, slots, note)
    if current is None:
        return _create(actor, organization, day, leader, arrangement)
    return _change(actor, current, leader, arrangement)


def _check_arranging(
    actor: Actor, org: Organization, day: date, leader: User, *, allow_past: bool
) -> None:
    """Petition staff who see the center (404, then 403), a center that keeps a rota, a
    working day to come, a leader of its level free that day."""
    check_arranger_for(actor, org.path, "该接访中心")
    rota_level(org)
    _check_day(day, allow_past=allow_past)
    check_leader(leader, org)
    _check_leader_free(leader, day, org)


def _change(actor: Actor, current: RotaDay, leader: User, arrangement: Arrangement) -> RotaDay:
    before = current.leader_id
    current.leader = leader
    current.place = arrangement.place
    current.starts_at, current.ends_at = arrangement.starts_at, arrangement.ends_at
    if arrangement.slots is not None:
        current.slots = arrangement.slots
    current.note = arrangement.note
    current.updated_at = timezone.now()
    current.save()
    audit(
        actor,
        "receptions.rota.change",
        current,
        date=current.date.isoformat(),
        organization=current.organization.code,
        leader_before=before,
        leader=leader.pk,
    )
    return current


def _insert(
    actor: Actor, org: Organization, day: date, leader: User, arrangement: Arrangement
) -> RotaDay:
    now: datetime = timezone.now()
    slots = {"slots": arrangement.slots} if arrangement.slots is not None else {}
    return create_or_conflict(
        RotaDay,
        Conflict("该日已安排接访领导，请刷新后重试", field="date"),
        date=day,
        organization=org,
        org_path=org.path,
        leader=leader,
        place=arrangement.place,
        starts_at=arrangement.starts_at,
        ends_at=arrangement.ends_at,
        note=arrangement.note,
        created_by=user_or_none(actor),
        created_at=now,
        updated_at=now,
        **slots,
    )


def _create(
    actor: Actor, org: Organization, day: date, leader: User, arrangement: Arrangement
) -> RotaDay:
    rota_day = _insert(actor, org, day, leader, arrangement)
    audit(
        actor,
        "receptions.rota.set",
        rota_day,
        date=day.isoformat(),
        organization=org.code,
        leader=leader.pk,
    )
    return rota_day
