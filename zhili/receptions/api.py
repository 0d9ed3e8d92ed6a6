"""The leader reception API (/api/v1/receptions/...): the rota, appointments, reception
records and leader ownership (包案). Endpoints hold no rules: reads go through `selectors`
(out of scope is 404), writes through `services`; refusals are 4xx naming the field.

Every list answers keyset pages `{items, next_cursor}`. An appointment's actions are
`POST /receptions/appointments/{id}/actions/{action}` (the dossier kernel's endpoint; the
older per-action paths are deprecated)."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from ninja import Query, Router

from zhili.core.dossier.api import add_action_route, history_out, query_page
from zhili.core.errors import NotFound
from zhili.core.personal import mask_phone
from zhili.core.schemas import ERRORS, Input
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization, User
from zhili.petitions.models import Petition
from zhili.receptions import selectors, services, workflow
from zhili.receptions.models import (
    Appointment,
    AppointmentState,
    Mode,
    Ownership,
    OwnershipState,
    Reception,
    RotaDay,
)
from zhili.receptions.panels import APPOINTMENT_PANELS
from zhili.receptions.schemas import (
    AppointmentActionIn,
    AppointmentDetailOut,
    AppointmentOut,
    AppointmentPageOut,
    AppointmentQuery,
    BookIn,
    CancelIn,
    NoShowIn,
    OwnershipIn,
    OwnershipOut,
    OwnershipPageOut,
    OwnershipQuery,
    ProgressIn,
    ReceptionIn,
    ReceptionOut,
    ReceptionPageOut,
    ReceptionQuery,
    ResolveIn,
    RotaDayOut,
    RotaDayPageOut,
    RotaIn,
    RotaQuery,
)

receptions_router = Router(tags=["领导接访"])


# --- shapes -----------------------------------------------------------------------------------


def _person(user: User) -> dict[str, str]:
    return {"username": user.username, "name": user.display_name}


def _org(org: Organization | None) -> dict[str, str] | None:
    return {"code": org.code, "name": org.name} if org is not None else None


def rota_out(day: RotaDay) -> dict[str, object]:
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


def appointment_out(a: Appointment) -> dict[str, object]:
    return {
        "id": a.pk,
        "number": a.number or "",
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
        "booking_unit": _org(a.booking_unit),
        "waiting_room": a.waiting_room,
        "called_at": a.called_at,
    }


def appointment_detail_out(request: StaffRequest, a: Appointment) -> dict[str, object]:
    fresh = selectors.appointment_get(user=request.user, pk=a.pk)
    return {
        **appointment_out(fresh),
        "actions": [t.name for t in services.actions_for(request.user, fresh)],
        "history": history_out(workflow.KIND, fresh),
        "recordings": recordings_out(request.user, fresh),
    }


def recordings_out(user: Actor, appointment: Appointment) -> list[dict[str, object]]:
    """The recordings of the appointment's video rooms as its page lists them: from the
    rooms' panel (`APPOINTMENT_PANELS`, zhili/rooms/subjects.py) that the page reads, for
    whoever sees the appointment. Its rows are the rooms app's rooms and recordings."""
    rooms: list[Any] = APPOINTMENT_PANELS.context(user, appointment).get("video_rooms", [])
    return [_recording(room, row) for room in rooms for row in room.recordings.all()]


def _recording(room: Any, row: Any) -> dict[str, object]:
    ready = row.state == "ready"
    return {
        "room": room.number,
        "started_at": row.started_at,
        "stopped_at": row.stopped_at,
        "state": row.state,
        "state_label": row.get_state_display(),
        "progress": row.progress,
        "duration_s": row.duration_s,
        "sha256": row.sha256 if ready else "",
        "url": f"/rooms/{room.number}/recordings/{row.pk}/" if ready else "",
    }


def reception_out(r: Reception) -> dict[str, object]:
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


def ownership_out(o: Ownership) -> dict[str, object]:
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


def _leader(username: str) -> User | None:
    return selectors.user_by_username(username, field="leader") if username else None


def _petition(request: StaffRequest, number: str) -> Petition | None:
    return selectors.petition_by_number(user=request.user, number=number) if number else None


def _rota_day(request: StaffRequest, pk: int | None) -> RotaDay | None:
    return None if pk is None else selectors.rota_get(user=request.user, pk=pk, field="rota_day")


def _unit_ids(codes: list[str], field: str) -> list[int]:
    return [o.pk for o in selectors.units_by_code(codes, field=field)]


def _by_ids(data: Mapping[str, Any]) -> dict[str, Any]:
    """The action's input with units and staff named by id, as the pages' forms name them."""
    data = dict(data)
    if data.get("departments"):
        data["departments"] = _unit_ids(data["departments"], "departments")
    if data.get("staff"):
        data["staff"] = [selectors.user_by_username(n, field="staff").pk for n in data["staff"]]
    if data.get("assigned_unit"):
        data["assigned_unit"] = _unit_ids([data["assigned_unit"]], "assigned_unit")[0]
    return data


# --- rota -------------------------------------------------------------------------------------


@receptions_router.get("/receptions/rota", response={200: RotaDayPageOut, **ERRORS})
def rota_list(request: StaffRequest, query: Query[RotaQuery]) -> dict[str, object]:
    start, end = selectors.rota_window(query.start, query.end)
    org = (
        selectors.rota_organization_get(request.user, query.organization)
        if query.organization
        else None
    )
    days = selectors.rota_list(user=request.user, organization=org, start=start, end=end)
    return query_page(days, query, rota_out, field="created_at")


@receptions_router.post("/receptions/rota", response={200: RotaDayOut, **ERRORS})
def rota_set(request: StaffRequest, body: RotaIn) -> dict[str, object]:
    org = selectors.rota_organization_get(request.user, body.organization)
    day = services.rota_set(
        actor=request.user,
        organization=org,
        day=body.date,
        leader=selectors.user_by_username(body.leader, field="leader"),
        place=body.place,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        slots=body.slots,
        note=body.note,
    )
    return rota_out(day)


# --- appointments -----------------------------------------------------------------------------


@receptions_router.get("/receptions/appointments", response={200: AppointmentPageOut, **ERRORS})
def appointment_list(request: StaffRequest, query: Query[AppointmentQuery]) -> dict[str, object]:
    qs = selectors.appointment_list(
        user=request.user,
        rota_day=_rota_day(request, query.rota_day),
        state=query.state,
        start=query.start,
        end=query.end,
    )
    return query_page(qs, query, appointment_out, field="booked_at")


@receptions_router.post("/receptions/appointments", response={200: AppointmentOut, **ERRORS})
def appointment_book(request: StaffRequest, body: BookIn) -> dict[str, object]:
    day = _day_to_book(request.user, body.rota_day)
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
        waiting_room=body.waiting_room,
    )
    return appointment_out(selectors.appointment_get(user=request.user, pk=appointment.pk))


def _day_to_book(user: Actor, pk: int) -> RotaDay:
    """A day of a rota the user sees, or, for a township's or village's booking staff, one
    of the county leader's days they may book (视频接访); any other is 404 naming `rota_day`."""
    try:
        return selectors.rota_get(user=user, pk=pk, field="rota_day")
    except NotFound:
        unit = selectors.booking_unit(user)
        if unit is None:
            raise
        return selectors.bookable_day_get(unit, pk)


@receptions_router.get(
    "/receptions/appointments/{appointment_id}", response={200: AppointmentDetailOut, **ERRORS}
)
def appointment_detail(request: StaffRequest, appointment_id: str) -> dict[str, object]:
    appointment = selectors.appointment_find(user=request.user, key=appointment_id)
    return appointment_detail_out(request, appointment)


def _find(*, user: Actor, number: str) -> Appointment:
    return selectors.appointment_find(user=user, key=number)


def _act(user: Actor, appointment: Appointment, action: str, data: dict[str, Any]) -> Appointment:
    return services.appointment_act(user, appointment, action, _by_ids(data))


add_action_route(
    receptions_router,
    prefix="/receptions/appointments",
    kind=workflow.KIND,
    get=_find,
    act=_act,
    body=AppointmentActionIn,
    out=AppointmentDetailOut,
    detail=appointment_detail_out,
)


def _add_per_action_route(action: str, path: str, body: type[Input]) -> None:
    """A deprecated per-action path, ``…/{appointment_id}/<path>``: the same action table,
    answered as it always was."""

    def per_action(
        request: StaffRequest,
        appointment_id: int,
        body: body,  # type: ignore[valid-type]
    ) -> dict[str, object]:
        appointment = selectors.appointment_get(user=request.user, pk=appointment_id)
        services.appointment_act(request.user, appointment, action, body.dict())  # type: ignore[attr-defined]
        return appointment_out(selectors.appointment_get(user=request.user, pk=appointment_id))

    per_action.__name__ = f"appointment_{action}"  # the operation's name, as it always was
    receptions_router.post(
        f"/receptions/appointments/{{appointment_id}}/{path}",
        response={200: AppointmentOut, **ERRORS},
        deprecated=True,
        description=f"已弃用：请用 POST /receptions/appointments/{{id}}/actions/{action}",
    )(per_action)


_add_per_action_route("cancel", "cancel", CancelIn)
_add_per_action_route("no_show", "no-show", NoShowIn)


# --- reception records ------------------------------------------------------------------------


@receptions_router.get("/receptions/records", response={200: ReceptionPageOut, **ERRORS})
def reception_list(request: StaffRequest, query: Query[ReceptionQuery]) -> dict[str, object]:
    qs = selectors.reception_list(
        user=request.user, leader=_leader(query.leader), start=query.start, end=query.end
    )
    return query_page(qs, query, reception_out, field="received_at")


@receptions_router.post("/receptions/records", response={200: ReceptionOut, **ERRORS})
def reception_record(request: StaffRequest, body: ReceptionIn) -> dict[str, object]:
    appointment = None
    if body.appointment is not None:
        appointment = selectors.appointment_get(
            user=request.user, pk=body.appointment, field="appointment"
        )
    unit = None
    if body.assigned_unit:
        unit = selectors.units_by_code([body.assigned_unit], field="assigned_unit")[0]
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
        department_ids=_unit_ids(body.departments, "departments"),
        staff_ids=[selectors.user_by_username(n, field="staff").pk for n in body.staff],
        assigned_unit=unit,
        deadline=body.deadline,
        video_room=body.video_room,
    )
    return reception_out(selectors.reception_get(user=request.user, pk=reception.pk))


# --- ownership (包案) -------------------------------------------------------------------------


@receptions_router.get("/receptions/ownerships", response={200: OwnershipPageOut, **ERRORS})
def ownership_list(request: StaffRequest, query: Query[OwnershipQuery]) -> dict[str, object]:
    qs = selectors.ownership_list(
        user=request.user, leader=_leader(query.leader), state=query.state, overdue=query.overdue
    )
    return query_page(qs, query, ownership_out, field="created_at")


@receptions_router.post("/receptions/ownerships", response={200: OwnershipOut, **ERRORS})
def ownership_assign(request: StaffRequest, body: OwnershipIn) -> dict[str, object]:
    petition = selectors.petition_by_number(user=request.user, number=body.petition)
    ownership = services.ownership_assign(
        actor=request.user,
        leader=selectors.user_by_username(body.leader, field="leader"),
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
def ownership_progress(
    request: StaffRequest, ownership_id: int, body: ProgressIn
) -> dict[str, object]:
    ownership = _ownership(request, ownership_id)
    services.ownership_progress(actor=request.user, ownership=ownership, note=body.note)
    return ownership_out(_ownership(request, ownership_id))


@receptions_router.post(
    "/receptions/ownerships/{ownership_id}/resolve", response={200: OwnershipOut, **ERRORS}
)
def ownership_resolve(
    request: StaffRequest, ownership_id: int, body: ResolveIn
) -> dict[str, object]:
    ownership = _ownership(request, ownership_id)
    services.ownership_resolve(actor=request.user, ownership=ownership, resolution=body.resolution)
    return ownership_out(_ownership(request, ownership_id))
