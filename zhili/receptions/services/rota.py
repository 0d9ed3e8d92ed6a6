"""The rota (领导接访日程): one leader per working day per organization, set by petition staff."""

from datetime import date, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.core import workcal
from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput
from zhili.orgs.models import Organization
from zhili.receptions.models import DEFAULT_END, DEFAULT_START, RotaDay
from zhili.receptions.services.common import (
    check_covers,
    check_leader,
    require_arranger,
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


def _check_hours(starts_at: time, ends_at: time) -> None:
    if starts_at >= ends_at:
        raise InvalidInput("结束时间应晚于开始时间", field="ends_at")


def _check_slots(slots: int, booked: int) -> None:
    if not 1 <= slots <= MAX_SLOTS:
        raise InvalidInput(f"预约名额应在1到{MAX_SLOTS}之间", field="slots")
    if slots < booked:
        raise InvalidInput(f"该日已有{booked}个预约，名额不能少于{booked}", field="slots")


def _check_leader_free(leader: Any, day: date, org: Organization) -> None:
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


@transaction.atomic
def rota_set(
    *,
    actor: Any,
    organization: Organization,
    day: date,
    leader: Any,
    place: str = "",
    starts_at: time | None = None,
    ends_at: time | None = None,
    slots: int | None = None,
    note: str = "",
    allow_past: bool = False,
) -> RotaDay:
    """Put `leader` on `organization`'s rota for `day`, or change that day's arrangement.

    `allow_past` is for the demo loader, which writes the months already gone."""
    require_arranger(actor)
    check_covers(actor, organization.path, "该接访中心")
    level = rota_level(organization)
    if not allow_past and day < timezone.localdate():
        raise InvalidInput("不能安排已经过去的日期", field="date")
    check_workday(day)
    check_leader(leader, organization)
    _check_leader_free(leader, day, organization)
    existing = RotaDay.objects.select_for_update().filter(organization=organization, date=day)
    current = existing.first()
    place = text(place, "place", "接访地点", 100) or _default_place(organization, level)
    starts_at = starts_at or (current.starts_at if current else DEFAULT_START)
    ends_at = ends_at or (current.ends_at if current else DEFAULT_END)
    _check_hours(starts_at, ends_at)
    booked = current.appointments.filter(state__in=HOLDING).count() if current else 0
    slots = slots if slots is not None else (current.slots if current else None)
    if slots is not None:
        _check_slots(slots, booked)
    note = text(note, "note", "备注", 200)
    now = timezone.now()
    if current is None:
        return _create(
            actor, organization, day, leader, place, starts_at, ends_at, slots, note, now
        )
    before = current.leader_id
    current.leader = leader
    current.place = place
    current.starts_at, current.ends_at = starts_at, ends_at
    if slots is not None:
        current.slots = slots
    current.note = note
    current.updated_at = now
    current.save()
    audit(
        actor,
        "receptions.rota.change",
        current,
        date=day.isoformat(),
        organization=organization.code,
        leader_before=before,
        leader=leader.pk,
    )
    return current


def _default_place(org: Organization, level: str) -> str:
    return "县信访局接待大厅" if level == "county" else f"{org.area_name or org.name}信访接待室"


def _create(
    actor: Any,
    org: Organization,
    day: date,
    leader: Any,
    place: str,
    starts_at: time,
    ends_at: time,
    slots: int | None,
    note: str,
    now: Any,
) -> RotaDay:
    fields: dict[str, Any] = {"slots": slots} if slots is not None else {}
    try:
        with transaction.atomic():
            rota_day = RotaDay.objects.create(
                date=day,
                organization=org,
                org_path=org.path,
                leader=leader,
                place=place,
                starts_at=starts_at,
                ends_at=ends_at,
                note=note,
                created_by=user_or_none(actor),
                created_at=now,
                updated_at=now,
                **fields,
            )
    except IntegrityError as exc:
        raise Conflict("该日已安排接访领导，请刷新后重试", field="date") from exc
    audit(
        actor,
        "receptions.rota.set",
        rota_day,
        date=day.isoformat(),
        organization=org.code,
        leader=leader.pk,
    )
    return rota_day
