"""Reception records (接访记录): what the petitioner asked, who attended (the leader, the
departments of a joint reception, staff), what was decided. Recording the reception of an
appointment marks the appointment received."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.events import emit
from zhili.core.personal import validate_phone
from zhili.core.workflow import actor_roles
from zhili.orgs.models import Organization, User
from zhili.petitions.models import Petition
from zhili.receptions import selectors, workflow
from zhili.receptions.events import ReceptionRecorded
from zhili.receptions.models import Appointment, Mode, Reception, RotaDay
from zhili.receptions.services.appointments import apply, check_transition
from zhili.receptions.services.common import check_covers, check_day_side, text, user_or_none

# Units that join a joint reception (联合接访): departments and the center's sub-centers.
JOINT_KINDS = {"department", "subcenter"}
MAX_DEPARTMENTS = 20
MAX_STAFF = 20


def _departments(ids: Iterable[int]) -> list[Organization]:
    wanted = {int(i) for i in ids}
    if len(wanted) > MAX_DEPARTMENTS:
        raise InvalidInput(f"联合接访部门不能超过{MAX_DEPARTMENTS}个", field="departments")
    found = list(Organization.objects.filter(pk__in=wanted, kind__in=JOINT_KINDS, is_active=True))
    if len(found) != len(wanted):
        raise InvalidInput("联合接访部门应为职能部门或入驻平台", field="departments")
    return found


def _staff(ids: Iterable[int], rota_day: RotaDay) -> list[User]:
    """The staff attending: petition staff or department (township) officers of the rota's
    level (`selectors.staff_for`)."""
    wanted = {int(i) for i in ids}
    if len(wanted) > MAX_STAFF:
        raise InvalidInput(f"陪同人员不能超过{MAX_STAFF}人", field="staff")
    if not wanted:
        return []
    found = list(selectors.staff_for(rota_day.organization).filter(pk__in=wanted))
    if len(found) != len(wanted):
        if User.objects.filter(pk__in=wanted, is_active=True).count() != len(wanted):
            raise InvalidInput("所选陪同人员不存在", field="staff")
        raise InvalidInput("陪同人员应为本级信访干部或部门、乡镇工作人员", field="staff")
    return found


def _assigned(unit: Organization | None, deadline: date | None, on: date) -> None:
    if deadline is not None and deadline < on:
        raise InvalidInput("办理时限不能早于接访日期", field="deadline")
    if deadline is not None and unit is None:
        raise InvalidInput("规定了办理时限，请同时指定责任单位", field="assigned_unit")


def _check_walk_in(actor: Any, rota_day: RotaDay | None) -> RotaDay:
    if rota_day is None:
        raise InvalidInput("请选择接访日", field="rota_day")
    if not actor_roles(actor) & workflow.RECORDERS:
        raise Forbidden("您的角色不能记录领导接访")
    check_covers(actor, rota_day.org_path)
    check_day_side(actor, path=rota_day.org_path, leader_id=rota_day.leader_id)
    return rota_day


@transaction.atomic
def reception_record(
    *,
    actor: Any,
    mode: str,
    request: str,
    decision: str,
    appointment: Appointment | None = None,
    rota_day: RotaDay | None = None,
    petition: Petition | None = None,
    visitor_name: str = "",
    visitor_phone: str = "",
    people_count: int | None = None,
    department_ids: Iterable[int] = (),
    staff_ids: Iterable[int] = (),
    assigned_unit: Organization | None = None,
    deadline: date | None = None,
    video_room: str = "",
    received_at: datetime | None = None,
) -> Reception:
    """Record a reception: of `appointment` (which becomes received), or a walk-in on
    `rota_day`. `received_at` (default now) is for the demo loader's past receptions."""
    transition = None
    if appointment is not None:
        transition = check_transition(actor, appointment, "receive")
        rota_day = appointment.rota_day
    rota_day = _check_walk_in(actor, rota_day) if appointment is None else rota_day
    assert rota_day is not None
    now = received_at or timezone.now()
    if rota_day.date > timezone.localdate(now):
        raise Conflict(f"接访日（{rota_day.date:%m月%d日}）尚未到，不能记录接访", field="rota_day")
    if mode not in Mode.values:
        raise InvalidInput("接访方式应为现场接访或视频接访", field="mode")
    request = text(request, "request", "来访诉求", 5000, required=True)
    decision = text(decision, "decision", "处理意见", 5000, required=True)
    _assigned(assigned_unit, deadline, rota_day.date)
    departments = _departments(department_ids)
    staff = _staff(staff_ids, rota_day)
    people = list(appointment.petitioners.all()) if appointment is not None else []
    if appointment is not None:
        petition = petition or appointment.petition
        visitor_name = visitor_name or appointment.visitor_name
        visitor_phone = visitor_phone or appointment.visitor_phone
        people_count = people_count or appointment.people_count
    elif petition is not None:
        people = [party.petitioner for party in petition.parties.select_related("petitioner")]
    visitor_name = text(visitor_name, "visitor_name", "来访人姓名", 50, required=not people)
    visitor_phone = (visitor_phone or "").strip()
    if visitor_phone:
        visitor_phone = validate_phone(visitor_phone, field="visitor_phone")
    count = people_count or max(len(people), 1)
    if not 1 <= count <= 200:
        raise InvalidInput("来访人数应在1到200之间", field="people_count")
    reception = Reception.objects.create(
        appointment=appointment,
        rota_day=rota_day,
        leader_id=rota_day.leader_id,
        organization_id=rota_day.organization_id,
        org_path=rota_day.org_path,
        received_at=now,
        mode=mode,
        video_room=text(video_room, "video_room", "视频会议室", 100),
        petition=petition,
        visitor_name=visitor_name,
        visitor_phone=visitor_phone,
        people_count=count,
        request=request,
        decision=decision,
        assigned_unit=assigned_unit,
        deadline=deadline,
        recorded_by=user_or_none(actor),
        created_at=now,
    )
    reception.departments.set(departments)
    reception.staff.set(staff)
    reception.petitioners.set(people)
    if appointment is not None and transition is not None:
        apply(appointment, transition, actor, f"{Mode(mode).label}：{decision[:200]}")
    audit(
        actor,
        "receptions.reception.record",
        reception,
        rota_day=rota_day.pk,
        appointment=appointment.pk if appointment else None,
        mode=mode,
        departments=[d.code for d in departments],
        petition=petition.number if petition else "",
    )
    emit(
        ReceptionRecorded(
            reception_id=reception.pk,
            leader_id=rota_day.leader_id,
            organization=rota_day.organization.code,
            mode=mode,
            petition_id=petition.pk if petition else None,
            departments=tuple(d.code for d in departments),
            assigned_unit=assigned_unit.code if assigned_unit else "",
            deadline=deadline.isoformat() if deadline else "",
        )
    )
    return reception
