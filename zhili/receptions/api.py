"""The leader reception API (/api/v1/receptions/...): the rota, appointments, reception
records and leader ownership (包案). Endpoints hold no rules: reads go through `selectors`
(out of scope is 404), writes through `services`; refusals are 4xx naming the field."""

from datetime import date, datetime, time
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from zhili.core.errors import InvalidInput, NotFound
from zhili.core.personal import mask_phone
from zhili.core.schemas import Input
from zhili.orgs.api import MAX_OFFSET, Day, ErrorOut, OrgRef
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization, User
from zhili.receptions import selectors, services
from zhili.receptions.models import (
    Appointment,
    AppointmentState,
    Mode,
    Ownership,
    OwnershipState,
    Reception,
    RotaDay,
)

receptions_router = Router(tags=["领导接访"])

ERRORS: dict[int, type[ErrorOut]] = {code: ErrorOut for code in (401, 403, 404, 409, 422)}
MAX_ID = 2**31 - 1  # ids are 32-bit on every database here
MAX_DAYS_LISTED = 400
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


class PersonRef(Schema):
    username: str
    name: str


class RotaDayOut(Schema):
    id: int
    date: date
    organization: OrgRef
    leader: PersonRef
    place: str
    starts_at: time
    ends_at: time
    slots: int
    note: str


class RotaIn(Input):
    organization: str = Field(..., max_length=40, description="接访中心编码（县或乡镇综治中心）")
    date: Day = Field(..., description="接访日期（工作日）")
    leader: str = Field(..., max_length=150, description="接访领导的用户名")
    place: str = Field("", max_length=100, description="接访地点，空则用默认地点")
    starts_at: time | None = Field(None, description="开始时间")
    ends_at: time | None = Field(None, description="结束时间")
    slots: int | None = Field(None, ge=1, le=50, description="预约名额")
    note: str = Field("", max_length=200)


class RotaQuery(Input):
    organization: str = Field("", max_length=40, description="接访中心编码")
    start: Day | None = Field(None, description="起始日期，默认本月1日")
    end: Day | None = Field(None, description="截止日期，默认起始日期后一个月")


class AppointmentOut(Schema):
    id: int
    rota_day: int
    date: date
    leader: PersonRef
    slot_time: time
    state: str
    state_label: str
    who: str
    phone: str = Field(..., description="来访人电话（脱敏）")
    people_count: int
    subject: str
    petition: str | None
    note: str
    cancel_reason: str


class AppointmentQuery(Input):
    rota_day: int | None = Field(None, ge=1, le=MAX_ID)
    state: str = Field("", description="booked / received / cancelled / no_show")
    start: Day | None = None
    end: Day | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class BookIn(Input):
    rota_day: int = Field(..., ge=1, le=MAX_ID, description="接访日编号")
    slot_time: time = Field(..., description="预约时间，须在接访时段内")
    subject: str = Field("", max_length=200, description="反映事项（有信访事项时可空）")
    petition: str = Field("", max_length=30, description="信访事项编号")
    petitioners: list[RowId] = Field(
        default_factory=list, max_length=50, description="已登记信访人的编号"
    )
    visitor_name: str = Field("", max_length=50, description="未登记来访人的姓名")
    visitor_phone: str = Field("", max_length=20, description="未登记来访人的电话")
    people_count: int | None = Field(None, ge=1, le=200)
    note: str = Field("", max_length=500)


class CancelIn(Input):
    reason: str = Field(..., max_length=500, description="取消原因")


class NoShowIn(Input):
    note: str = Field("", max_length=500)


class ReceptionOut(Schema):
    id: int
    appointment: int | None
    rota_day: int | None
    leader: PersonRef
    organization: OrgRef
    received_at: datetime
    mode: str
    mode_label: str
    video_room: str
    departments: list[OrgRef]
    who: str
    people_count: int
    petition: str | None
    request: str
    decision: str
    assigned_unit: OrgRef | None
    deadline: date | None


class ReceptionIn(Input):
    appointment: int | None = Field(None, ge=1, le=MAX_ID, description="预约编号（预约接访）")
    rota_day: int | None = Field(None, ge=1, le=MAX_ID, description="接访日编号（当日来访）")
    mode: str = Field(..., max_length=20, description="in_person 现场 / video 视频")
    request: str = Field(..., max_length=5000, description="来访诉求")
    decision: str = Field(..., max_length=5000, description="处理意见")
    petition: str = Field("", max_length=30, description="信访事项编号")
    visitor_name: str = Field("", max_length=50)
    visitor_phone: str = Field("", max_length=20)
    people_count: int | None = Field(None, ge=1, le=200)
    departments: list[str] = Field(
        default_factory=list, max_length=20, description="联合接访部门编码"
    )
    staff: list[str] = Field(default_factory=list, max_length=20, description="陪同人员用户名")
    assigned_unit: str = Field("", max_length=40, description="责任单位编码")
    deadline: Day | None = Field(None, description="办理时限")
    video_room: str = Field("", max_length=100, description="视频会议室（视频接访）")


class ReceptionQuery(Input):
    leader: str = Field("", max_length=150, description="接访领导用户名")
    start: Day | None = None
    end: Day | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class NoteOut(Schema):
    action: str
    note: str
    actor: str | None
    created_at: datetime


class OwnershipOut(Schema):
    id: int
    leader: PersonRef
    petition: str
    petition_title: str
    petition_state: str
    handle_due: datetime | None
    since: date
    target_date: date
    state: str
    state_label: str
    overdue: bool
    resolved_at: datetime | None
    resolution: str
    notes: list[NoteOut]


class OwnershipIn(Input):
    leader: str = Field(
        ...,
        max_length=150,
        description="包案领导用户名：县级信访事项为县领导，乡镇办理的信访事项为该乡镇党委（政法委）书记",
    )
    petition: str = Field(..., max_length=30, description="信访事项编号")
    target_date: Day = Field(..., description="化解目标日期")
    note: str = Field("", max_length=2000)


class OwnershipQuery(Input):
    leader: str = Field("", max_length=150, description="包案领导用户名")
    state: str = Field("", description="active / resolved")
    overdue: bool = Field(False, description="只看超期未化解的")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ProgressIn(Input):
    note: str = Field(..., max_length=2000, description="进展情况")


class ResolveIn(Input):
    resolution: str = Field(..., max_length=2000, description="化解情况")


# --- shapes -----------------------------------------------------------------------------------


def _person(user: Any) -> dict[str, str]:
    return {"username": user.username, "name": user.display_name}


def _org(org: Organization | None) -> dict[str, str] | None:
    return {"code": org.code, "name": org.name} if org is not None else None


def rota_out(day: RotaDay) -> dict[str, Any]:
    return {
        "id": day.pk,
        "date": day.date,
        "organization": _org(day.organization),
        "leader": _person(day.leader),
        "place": day.place,
        "starts_at": day.starts_at,
        "ends_at": day.ends_at,
        "slots": day.slots,
        "note": day.note,
    }


def appointment_out(a: Appointment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "rota_day": a.rota_day_id,
        "date": a.rota_day.date,
        "leader": _person(a.rota_day.leader),
        "slot_time": a.slot_time,
        "state": a.state,
        "state_label": AppointmentState(a.state).label,
        "who": a.who,
        "phone": mask_phone(a.visitor_phone),
        "people_count": a.people_count,
        "subject": a.subject,
        "petition": a.petition.number if a.petition else None,
        "note": a.note,
        "cancel_reason": a.cancel_reason,
    }


def reception_out(r: Reception) -> dict[str, Any]:
    names = [p.name for p in r.petitioners.all()]
    return {
        "id": r.pk,
        "appointment": r.appointment_id,
        "rota_day": r.rota_day_id,
        "leader": _person(r.leader),
        "organization": _org(r.organization),
        "received_at": r.received_at,
        "mode": r.mode,
        "mode_label": Mode(r.mode).label,
        "video_room": r.video_room,
        "departments": [_org(d) for d in r.departments.all()],
        "who": "、".join(names) or r.visitor_name,
        "people_count": r.people_count,
        "petition": r.petition.number if r.petition else None,
        "request": r.request,
        "decision": r.decision,
        "assigned_unit": _org(r.assigned_unit),
        "deadline": r.deadline,
    }


def ownership_out(o: Ownership) -> dict[str, Any]:
    return {
        "id": o.pk,
        "leader": _person(o.leader),
        "petition": o.petition.number,
        "petition_title": o.petition.title,
        "petition_state": o.petition.state,
        "handle_due": o.petition.handle_due,
        "since": o.since,
        "target_date": o.target_date,
        "state": o.state,
        "state_label": OwnershipState(o.state).label,
        "overdue": o.state == OwnershipState.ACTIVE and o.due_at <= timezone.now(),
        "resolved_at": o.resolved_at,
        "resolution": o.resolution,
        "notes": [
            {
                "action": n.action,
                "note": n.note,
                "actor": str(n.actor) if n.actor else None,
                "created_at": n.created_at,
            }
            for n in o.notes.select_related("actor")
        ],
    }


# --- lookups ----------------------------------------------------------------------------------


def _user(username: str, field: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound("该用户不存在", field=field)
    return user


def _orgs(codes: list[str], field: str) -> list[Organization]:
    found = list(Organization.objects.filter(code__in=set(codes)))
    if len(found) != len(set(codes)):
        raise InvalidInput("所列单位编码有不存在的", field=field)
    return found


def _petition(request: StaffRequest, number: str) -> Any:
    return selectors.petition_by_number(user=request.user, number=number) if number else None


def _rota_day(request: StaffRequest, pk: int | None) -> RotaDay | None:
    if pk is None:
        return None
    try:
        return selectors.rota_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise NotFound(exc.message, field="rota_day") from exc


# --- rota -------------------------------------------------------------------------------------


@receptions_router.get("/receptions/rota", response={200: list[RotaDayOut], **ERRORS})
def rota_list(request: StaffRequest, query: Query[RotaQuery]) -> Any:
    start = query.start or timezone.localdate().replace(day=1)
    end = query.end or date.fromordinal(min(start.toordinal() + 31, date.max.toordinal()))
    if end < start:
        raise InvalidInput("截止日期不能早于起始日期", field="end")
    if (end - start).days > MAX_DAYS_LISTED:
        raise InvalidInput(f"一次最多查询{MAX_DAYS_LISTED}天", field="end")
    org = (
        selectors.rota_organization_get(request.user, query.organization)
        if query.organization
        else None
    )
    days = selectors.rota_list(user=request.user, organization=org, start=start, end=end)
    return [rota_out(d) for d in days]


@receptions_router.post("/receptions/rota", response={200: RotaDayOut, **ERRORS})
def rota_set(request: StaffRequest, body: RotaIn) -> Any:
    org = selectors.rota_organization_get(request.user, body.organization)
    day = services.rota_set(
        actor=request.user,
        organization=org,
        day=body.date,
        leader=_user(body.leader, "leader"),
        place=body.place,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        slots=body.slots,
        note=body.note,
    )
    return rota_out(day)


# --- appointments -----------------------------------------------------------------------------


@receptions_router.get("/receptions/appointments", response={200: list[AppointmentOut], **ERRORS})
def appointment_list(request: StaffRequest, query: Query[AppointmentQuery]) -> Any:
    if query.state and query.state not in AppointmentState.values:
        raise InvalidInput("预约状态无效", field="state")
    qs = selectors.appointment_list(
        user=request.user,
        rota_day=_rota_day(request, query.rota_day),
        state=query.state,
        start=query.start,
        end=query.end,
    )
    return [appointment_out(a) for a in qs[query.offset : query.offset + query.limit]]


@receptions_router.post("/receptions/appointments", response={200: AppointmentOut, **ERRORS})
def appointment_book(request: StaffRequest, body: BookIn) -> Any:
    day = _rota_day(request, body.rota_day)
    assert day is not None
    appointment = services.appointment_book(
        actor=request.user,
        rota_day=day,
        slot_time=body.slot_time,
        subject=body.subject,
        petition=_petition(request, body.petition),
        petitioner_ids=body.petitioners,
        visitor_name=body.visitor_name,
        visitor_phone=body.visitor_phone,
        people_count=body.people_count,
        note=body.note,
    )
    return appointment_out(selectors.appointment_get(user=request.user, pk=appointment.pk))


def _appointment(request: StaffRequest, pk: int) -> Appointment:
    return selectors.appointment_get(user=request.user, pk=pk)


@receptions_router.post(
    "/receptions/appointments/{appointment_id}/cancel", response={200: AppointmentOut, **ERRORS}
)
def appointment_cancel(request: StaffRequest, appointment_id: int, body: CancelIn) -> Any:
    appointment = _appointment(request, appointment_id)
    services.appointment_cancel(actor=request.user, appointment=appointment, reason=body.reason)
    return appointment_out(_appointment(request, appointment_id))


@receptions_router.post(
    "/receptions/appointments/{appointment_id}/no-show", response={200: AppointmentOut, **ERRORS}
)
def appointment_no_show(request: StaffRequest, appointment_id: int, body: NoShowIn) -> Any:
    appointment = _appointment(request, appointment_id)
    services.appointment_no_show(actor=request.user, appointment=appointment, note=body.note)
    return appointment_out(_appointment(request, appointment_id))


# --- reception records ------------------------------------------------------------------------


@receptions_router.get("/receptions/records", response={200: list[ReceptionOut], **ERRORS})
def reception_list(request: StaffRequest, query: Query[ReceptionQuery]) -> Any:
    leader = _user(query.leader, "leader") if query.leader else None
    qs = selectors.reception_list(
        user=request.user, leader=leader, start=query.start, end=query.end
    )
    return [reception_out(r) for r in qs[query.offset : query.offset + query.limit]]


@receptions_router.post("/receptions/records", response={200: ReceptionOut, **ERRORS})
def reception_record(request: StaffRequest, body: ReceptionIn) -> Any:
    appointment = None
    if body.appointment is not None:
        try:
            appointment = _appointment(request, body.appointment)
        except NotFound as exc:
            raise NotFound(exc.message, field="appointment") from exc
    unit = _orgs([body.assigned_unit], "assigned_unit")[0] if body.assigned_unit else None
    staff = [_user(name, "staff").pk for name in body.staff]
    reception = services.reception_record(
        actor=request.user,
        appointment=appointment,
        rota_day=_rota_day(request, body.rota_day),
        mode=body.mode,
        request=body.request,
        decision=body.decision,
        petition=_petition(request, body.petition),
        visitor_name=body.visitor_name,
        visitor_phone=body.visitor_phone,
        people_count=body.people_count,
        department_ids=[o.pk for o in _orgs(body.departments, "departments")],
        staff_ids=staff,
        assigned_unit=unit,
        deadline=body.deadline,
        video_room=body.video_room,
    )
    return reception_out(selectors.reception_get(user=request.user, pk=reception.pk))


# --- ownership (包案) -------------------------------------------------------------------------


@receptions_router.get("/receptions/ownerships", response={200: list[OwnershipOut], **ERRORS})
def ownership_list(request: StaffRequest, query: Query[OwnershipQuery]) -> Any:
    if query.state and query.state not in OwnershipState.values:
        raise InvalidInput("包案状态无效", field="state")
    leader = _user(query.leader, "leader") if query.leader else None
    qs = selectors.ownership_list(
        user=request.user, leader=leader, state=query.state, overdue=query.overdue
    )
    return [ownership_out(o) for o in qs[query.offset : query.offset + query.limit]]


@receptions_router.post("/receptions/ownerships", response={200: OwnershipOut, **ERRORS})
def ownership_assign(request: StaffRequest, body: OwnershipIn) -> Any:
    petition = selectors.petition_by_number(user=request.user, number=body.petition)
    ownership = services.ownership_assign(
        actor=request.user,
        leader=_user(body.leader, "leader"),
        petition=petition,
        target_date=body.target_date,
        note=body.note,
    )
    return ownership_out(ownership)


def _ownership(request: StaffRequest, pk: int) -> Ownership:
    return selectors.ownership_get(user=request.user, pk=pk)


@receptions_router.post(
    "/receptions/ownerships/{ownership_id}/progress", response={200: OwnershipOut, **ERRORS}
)
def ownership_progress(request: StaffRequest, ownership_id: int, body: ProgressIn) -> Any:
    ownership = _ownership(request, ownership_id)
    services.ownership_progress(actor=request.user, ownership=ownership, note=body.note)
    return ownership_out(_ownership(request, ownership_id))


@receptions_router.post(
    "/receptions/ownerships/{ownership_id}/resolve", response={200: OwnershipOut, **ERRORS}
)
def ownership_resolve(request: StaffRequest, ownership_id: int, body: ResolveIn) -> Any:
    ownership = _ownership(request, ownership_id)
    services.ownership_resolve(actor=request.user, ownership=ownership, resolution=body.resolution)
    return ownership_out(_ownership(request, ownership_id))
