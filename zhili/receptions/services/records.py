"""Reception records (接访记录): what the petitioner asked, who attended (the leader, the
departments of a joint reception, staff), what was decided. Recording the reception of an
appointment marks the appointment received (its ``receive`` transition)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Required, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import DomainError, Forbidden, InvalidInput
from zhili.core.events import emit
from zhili.core.personal import validate_phone
from zhili.core.types import Actor
from zhili.core.workflow import Transition, actor_roles
from zhili.orgs.models import Organization, User
from zhili.petitions.models import Petition, Petitioner
from zhili.receptions import selectors, workflow
from zhili.receptions.events import ReceptionRecorded
from zhili.receptions.models import Appointment, Mode, Reception, RotaDay
from zhili.receptions.services.appointments import apply, check_transition, parties, people_count
from zhili.receptions.services.common import check_covers, check_on_day, text, user_or_none

MAX_DEPARTMENTS = 20
MAX_STAFF = 20


def _departments(ids: Iterable[int]) -> list[Organization]:
    wanted = {int(i) for i in ids}
    if len(wanted) > MAX_DEPARTMENTS:
        raise InvalidInput(f"联合接访部门不能超过{MAX_DEPARTMENTS}个", field="departments")
    found = list(
        Organization.objects.filter(pk__in=wanted, kind__in=workflow.JOINT_KINDS, is_active=True)
    )
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


def _walk_in_day(actor: Actor, rota_day: RotaDay | None, at: datetime) -> RotaDay:
    """The day of a reception without an appointment, once the actor may record on it: in
    sight (404), a recording role (403), its leader or staff arranging it (403), come (409)."""
    if rota_day is None:
        raise InvalidInput("请选择接访日", field="rota_day")
    check_covers(actor, rota_day.org_path)
    if not actor_roles(actor) & workflow.RECORDERS:
        raise Forbidden("您的角色不能记录领导接访")
    check_on_day(actor, rota_day)
    refusal = workflow.day_not_come(rota_day, "记录接访", today=timezone.localdate(at))
    if refusal is not None:
        raise refusal
    return rota_day


def may_walk_in(actor: Actor, rota_day: RotaDay) -> bool:
    """Whether the day page offers `actor` to record a reception without an appointment."""
    try:
        _walk_in_day(actor, rota_day, timezone.now())
    except DomainError:
        return False
    return True


class ReceptionFields(TypedDict, total=False):
    """`reception_record`'s input besides who, which appointment or day, and when: the fields
    of the pages' forms and of the API's action."""

    mode: Required[str]
    request: Required[str]
    decision: Required[str]
    petition: Petition | None
    visitor_name: str
    visitor_phone: str
    people_count: int | None
    department_ids: Iterable[int]
    staff_ids: Iterable[int]
    assigned_unit: Organization | None
    deadline: date | None
    video_room: str


@dataclass(frozen=True)
class Visit:
    """Who came and about what: from the appointment when there is one, else as given."""

    petition: Petition | None
    people: list[Petitioner]
    name: str
    phone: str
    count: int

    def fields(self) -> dict[str, object]:
        return {
            "petition": self.petition,
            "visitor_name": self.name,
            "visitor_phone": self.phone,
            "people_count": self.count,
        }


def _visit(appointment: Appointment | None, fields: ReceptionFields) -> Visit:
    petition = fields.get("petition")
    name, phone = fields.get("visitor_name", ""), fields.get("visitor_phone", "")
    count = fields.get("people_count")
    if appointment is not None:
        people = list(appointment.petitioners.all())
        petition = petition or appointment.petition
        name = name or appointment.visitor_name
        phone = phone or appointment.visitor_phone
        count = count or appointment.people_count
    else:
        people = parties(petition)
    name = text(name, "visitor_name", "来访人姓名", 50, required=not people)
    phone = (phone or "").strip()
    if phone:
        phone = validate_phone(phone, field="visitor_phone")
    return Visit(petition, people, name, phone, people_count(count, people))


@dataclass(frozen=True)
class Outcome:
    """What the leader decided and who attends to it."""

    mode: str
    request: str
    decision: str
    departments: list[Organization]
    staff: list[User]
    assigned_unit: Organization | None
    deadline: date | None

    def fields(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "request": self.request,
            "decision": self.decision,
            "assigned_unit": self.assigned_unit,
            "deadline": self.deadline,
        }


def _outcome(rota_day: RotaDay, fields: ReceptionFields) -> Outcome:
    mode = fields["mode"]
    if mode not in Mode.values:
        raise InvalidInput("接访方式应为现场接访或视频接访", field="mode")
    request = text(fields["request"], "request", "来访诉求", 5000, required=True)
    decision = text(fields["decision"], "decision", "处理意见", 5000, required=True)
    unit, deadline = fields.get("assigned_unit"), fields.get("deadline")
    _assigned(unit, deadline, rota_day.date)
    departments = _departments(fields.get("department_ids", ()))
    staff = _staff(fields.get("staff_ids", ()), rota_day)
    return Outcome(mode, request, decision, departments, staff, unit, deadline)


def _day_of(
    actor: Actor, appointment: Appointment | None, rota_day: RotaDay | None, at: datetime
) -> tuple[Transition | None, RotaDay]:
    """The day the reception is recorded on, once the actor may: the appointment's (with its
    ``receive`` transition, checked), or the walk-in's."""
    if appointment is None:
        return None, _walk_in_day(actor, rota_day, at)
    return check_transition(actor, appointment, "receive"), appointment.rota_day


@transaction.atomic
def reception_record(
    *,
    actor: Actor,
    appointment: Appointment | None = None,
    rota_day: RotaDay | None = None,
    received_at: datetime | None = None,
    **fields: Unpack[ReceptionFields],
) -> Reception:
    """Record a reception: of `appointment` (which becomes received), or a walk-in on
    `rota_day`. `received_at` (default now) is for the demo loader's past receptions."""
    now = received_at or timezone.now()
    transition, day = _day_of(actor, appointment, rota_day, now)
    outcome = _outcome(day, fields)
    visit = _visit(appointment, fields)
    video_room = text(fields.get("video_room", ""), "video_room", "视频会议室", 100)
    reception = _insert(actor, day, appointment, visit, outcome, video_room, now)
    if appointment is not None and transition is not None:
        label = Mode(outcome.mode).label
        apply(appointment, transition, actor, f"{label}：{outcome.decision[:200]}")
    _announce(actor, reception, outcome)
    return reception


def _insert(
    actor: Actor,
    rota_day: RotaDay,
    appointment: Appointment | None,
    visit: Visit,
    outcome: Outcome,
    video_room: str,
    at: datetime,
) -> Reception:
    reception = Reception.objects.create(
        appointment=appointment,
        rota_day=rota_day,
        leader_id=rota_day.leader_id,
        organization_id=rota_day.organization_id,
        org_path=rota_day.org_path,
        received_at=at,
        video_room=video_room,
        recorded_by=user_or_none(actor),
        created_at=at,
        **visit.fields(),
        **outcome.fields(),
    )
    reception.departments.set(outcome.departments)
    reception.staff.set(outcome.staff)
    reception.petitioners.set(visit.people)
    return reception


def _announce(actor: Actor, reception: Reception, outcome: Outcome) -> None:
    codes = tuple(d.code for d in outcome.departments)
    petition = reception.petition
    audit(
        actor,
        "receptions.reception.record",
        reception,
        rota_day=reception.rota_day_id,
        appointment=reception.appointment_id,
        mode=reception.mode,
        departments=list(codes),
        petition=petition.number if petition else "",
    )
    unit, deadline = outcome.assigned_unit, outcome.deadline
    emit(
        ReceptionRecorded(
            reception_id=reception.pk,
            leader_id=reception.leader_id,
            organization=reception.organization.code,
            mode=reception.mode,
            petition_id=petition.pk if petition else None,
            departments=codes,
            assigned_unit=unit.code if unit else "",
            deadline=deadline.isoformat() if deadline else "",
        )
    )


# --- the input of the pages' forms and the API's action ---------------------------------------


def _unit(pk: int | None) -> Organization | None:
    if not pk:
        return None
    unit = Organization.objects.filter(pk=pk).first()
    if unit is None:
        raise InvalidInput("责任单位不存在", field="assigned_unit")
    return unit


def reception_input(actor: Actor, data: Mapping[str, Any]) -> ReceptionFields:
    """`reception_record`'s keyword arguments from the fields of a form or of the API's
    action (units, departments and staff by id; the petition by its number, in the actor's
    sight)."""
    number = data.get("petition") or ""
    petition = selectors.petition_by_number(user=actor, number=number) if number else None
    return {
        "mode": data.get("mode", ""),
        "request": data.get("request", ""),
        "decision": data.get("decision", ""),
        "petition": petition,
        "visitor_name": data.get("visitor_name", ""),
        "visitor_phone": data.get("visitor_phone", ""),
        "people_count": data.get("people_count"),
        "department_ids": data.get("departments") or [],
        "staff_ids": data.get("staff") or [],
        "assigned_unit": _unit(data.get("assigned_unit")),
        "deadline": data.get("deadline"),
        "video_room": data.get("video_room", ""),
    }
