"""Video reception (视频接访) from the room's side: the day's leader calls the next petitioner
of the queue into a video room (the booking center's staff, at whose reception room the
petitioner sits, invited by account; a petitioner the county's own staff booked, by link and
code), and the leader's record from the room, with the petition it concerns: one of the
petitioner's in sight, or a new one registered through the petitions app's own registration.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from zhili.core.errors import Conflict, InvalidInput
from zhili.core.types import Actor
from zhili.petitions.models import Category, Form, Kind, Petition
from zhili.petitions.services import PersonIn, Registration, petition_register_at_reception
from zhili.receptions import selectors as reception_selectors
from zhili.receptions import services as reception_services
from zhili.receptions import workflow as reception_workflow
from zhili.receptions.models import Appointment, Mode, Reception, RotaDay
from zhili.receptions.services.common import text
from zhili.rooms import services, subjects
from zhili.rooms.models import Purpose, Room, RoomState

User = get_user_model()

# The reception form's choice of petition: none, a new one, or an existing one's number.
NO_PETITION = ""
NEW_PETITION = "new"


@dataclass(frozen=True)
class Called:
    """Who was called, into which room, and the outside party's way in when one was invited
    (shown once, to the caller)."""

    appointment: Appointment
    room: Room
    invitations: list[services.Invitation]


def live_room(appointment: Appointment) -> Room | None:
    """The appointment's room not ended yet, if any."""
    rooms = Room.objects.filter(purpose=Purpose.RECEPTION, subject=str(appointment.pk))
    return rooms.exclude(state=RoomState.ENDED).order_by("-starts_at").first()


def booking_staff(appointment: Appointment) -> list[str]:
    """The accounts of the booking center's staff who book (the one who booked first): they
    sit with the petitioner in the center's reception room."""
    unit = appointment.booking_unit
    if unit is None:
        return []
    staff = User.objects.filter(
        organization=unit, is_active=True, groups__name__in=reception_workflow.BOOKERS
    ).distinct()
    names = [u.username for u in staff.order_by("username")[:10]]
    booker = appointment.booked_by
    if booker is not None and booker.is_active and booker.username not in names:
        names.insert(0, booker.username)
    return names


def invitees_for(appointment: Appointment) -> list[services.Invitee]:
    """Who a reception room invites beside the leader: the booking center's staff by account
    (the petitioner sits with them), or the petitioner by link and code."""
    staff = booking_staff(appointment)
    if staff:
        return [services.Invitee(username=name) for name in staff]
    return [services.Invitee(name=appointment.who or "信访人", note="信访人")]


@transaction.atomic
def call_next(*, actor: Actor, rota_day: RotaDay) -> Called:
    """叫下一位: the next one of the day's queue is called (receptions' `appointment_call`:
    the day's leader or its staff, on the day) and given a room the leader hosts, unless one
    is already waiting for them."""
    appointment = reception_services.appointment_call(actor=actor, rota_day=rota_day)
    room = live_room(appointment)
    if room is not None:
        return Called(appointment, room, [])
    done = services.room_schedule(
        actor=actor,
        purpose=Purpose.RECEPTION,
        subject=str(appointment.pk),
        starts_at=None,
        invitees=invitees_for(appointment),
    )
    return Called(appointment, done.room, done.invitations)


# --- the record from the room -----------------------------------------------------------------


def petition_choices(actor: Actor, room: Room) -> list[Petition]:
    """What the record form offers to link: the petitioner's petitions in the actor's sight."""
    appointment = subjects.appointment_of(actor, room.subject)
    return reception_selectors.visitor_petitions(user=actor, appointment=appointment)


def _people(appointment: Appointment) -> list[PersonIn]:
    people = [
        PersonIn(name=p.name, id_number=p.id_number, phone=p.phone, address=p.address)
        for p in appointment.petitioners.all()
    ]
    if not people and appointment.visitor_name:
        people = [PersonIn(name=appointment.visitor_name, phone=appointment.visitor_phone)]
    return people


def _township_code(appointment: Appointment) -> str:
    """The township of the booking center (itself, or a village's), for the registration."""
    unit = appointment.booking_unit
    while unit is not None and unit.level != "township":
        unit = unit.parent
    return unit.code if unit is not None else ""


def new_registration(appointment: Appointment, data: Any, request: str) -> Registration:
    """The registration of the matter received: a visit (视频接访 is a visit received by
    video), its kind, category, title and matter as the leader gave them (the title defaults
    to the appointment's subject, the matter to the request)."""
    kind = str(data.get("new_kind") or Kind.CLAIM)
    if kind not in Kind.values:
        raise InvalidInput("请选择信访类别", field="new_kind")
    category = str(data.get("new_category") or "")
    if category not in Category.values:
        raise InvalidInput("请选择内容分类", field="new_category")
    people = _people(appointment)
    return Registration(
        form=Form.VISIT,
        kind=kind,
        title=str(data.get("new_title") or appointment.subject),
        matter=str(data.get("new_matter") or request),
        category=category,
        township=_township_code(appointment),
        people_count=max(appointment.people_count, len(people)),
        petitioners=people,
    )


def _petition(actor: Actor, appointment: Appointment, data: Any, request: str) -> Petition | None:
    """The petition the reception concerns: none, a new one registered now, or one of the
    petitioner's in sight (422 naming `petition` for any other)."""
    choice = str(data.get("petition") or NO_PETITION).strip()
    if choice == NO_PETITION:
        return None
    if choice == NEW_PETITION:
        return petition_register_at_reception(
            actor=actor,
            near=appointment.rota_day.organization,
            data=new_registration(appointment, data, request),
        )
    offered = reception_selectors.visitor_petitions(user=actor, appointment=appointment)
    found = next((p for p in offered if p.number == choice), None)
    if found is None:
        raise InvalidInput("所选信访事项不是该信访人的，或不在您的查询范围内", field="petition")
    return found


@transaction.atomic
def reception_from_room(*, actor: Actor, room: Room, data: Any) -> Reception:
    """The leader's record of a video reception: the appointment's reception record (mode
    video, the room's number) with the petition it concerns, then the room ends for everyone.
    A refusal leaves nothing written, a new petition included."""
    if room.purpose != Purpose.RECEPTION:
        raise Conflict("这不是视频接访会议室", code="wrong_purpose")
    appointment = subjects.appointment_of(actor, room.subject)
    # The record's own checks first: a refused record registers no petition.
    reception_services.check_transition(actor, appointment, "receive")
    request = text(data.get("request"), "request", "来访诉求", 5000, required=True)
    decision = text(data.get("decision"), "decision", "处理意见", 5000, required=True)
    petition = _petition(actor, appointment, data, request)
    reception = reception_services.reception_record(
        actor=actor,
        appointment=appointment,
        mode=Mode.VIDEO,
        video_room=room.number,
        request=request,
        decision=decision,
        petition=petition,
    )
    if room.state != RoomState.ENDED:
        services.room_end(actor=actor, room=room)
    return reception
