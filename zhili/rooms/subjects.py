"""What a room is about, by purpose: its subject's title and the organization path that says
who stands above it. A video mediation's subject is a dispute the host may record a session
of; a video reception's is a booked appointment of a leader's reception day (the leader of
that day hosts it); meetings and training are about the host's own unit."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhili.core.dossier import check_action
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.scope import scope_for
from zhili.core.types import Actor, SystemActor
from zhili.mediation import selectors as mediation_selectors
from zhili.mediation import workflow as mediation_workflow
from zhili.mediation.models import Dispute
from zhili.mediation.panels import DISPUTE_PANELS
from zhili.receptions import selectors as reception_selectors
from zhili.receptions.models import Appointment, AppointmentState
from zhili.receptions.panels import APPOINTMENT_PANELS, SUPERVISION_PANELS
from zhili.receptions.services.common import check_on_day
from zhili.rooms.models import Participant, ParticipantKind, Presence, Purpose, Room, RoomState


@dataclass(frozen=True)
class Subject:
    """The subject's title and path; `host` and `starts_at` where the subject fixes them (a
    reception: the leader of the day, at the appointment's slot), else the scheduler and the
    time asked for."""

    title: str
    path: str
    host: SystemActor = None
    starts_at: datetime | None = None


def resolve(actor: Actor, purpose: str, subject: str) -> Subject:
    if purpose == Purpose.MEDIATION:
        dispute = mediation_selectors.dispute_get(user=actor, number=subject)  # 404 if unseen
        # A video session is a session (调解记录): the dispute must be at the mediating stage
        # and the actor one who may record its sessions.
        check_action(mediation_workflow.KIND, actor, dispute, "session")
        return Subject(title=f"视频调解：{dispute.title}", path=dispute.path)
    if purpose in (Purpose.MEETING, Purpose.TRAINING):
        org = actor.organization
        if org is None:
            raise InvalidInput("您没有所属单位，不能召集会议", field="purpose")
        title = subject.strip()
        if not title:
            raise InvalidInput("请填写会议名称", field="subject")
        return Subject(title=title[:200], path=org.path)
    if purpose == Purpose.RECEPTION:
        return _reception(actor, subject)
    raise InvalidInput("用途应为 mediation、reception、meeting 或 training", field="purpose")


@DISPUTE_PANELS.entry("video_rooms")
def dispute_rooms(user: Actor, dispute: Dispute) -> QuerySet[Room]:
    """The dispute's video sessions, for its page (whoever sees the dispute sees them)."""
    return Room.objects.filter(purpose=Purpose.MEDIATION, subject=dispute.number).order_by(
        "-starts_at"
    )


def appointment_of(actor: Actor, subject: str) -> Appointment:
    """The appointment a reception room is about (its id), in the actor's sight (404)."""
    key = subject.strip()
    if not key.isascii() or not key.isdigit():
        raise InvalidInput("视频接访的事由应为接访预约的编号", field="subject")
    return reception_selectors.appointment_find(user=actor, key=key)


def _reception(actor: Actor, subject: str) -> Subject:
    """视频接访: petition staff arranging the day (or its leader) schedule a room for a booked
    appointment of a day not past; the day's leader hosts it, one live room at a time."""
    appointment = appointment_of(actor, subject)
    day = appointment.rota_day
    check_on_day(actor, day)  # 403 for someone who sees the day but does not arrange it
    if appointment.state != AppointmentState.BOOKED:
        raise Conflict(f"该预约{appointment.get_state_display()}，不能预约视频接访")
    if day.date < timezone.localdate():
        raise Conflict("接访日已过，不能预约视频接访", field="subject")
    live = Room.objects.filter(purpose=Purpose.RECEPTION, subject=str(appointment.pk))
    if live.exclude(state=RoomState.ENDED).exists():
        raise Conflict("该预约已有视频接访会议室", field="subject")
    slot = timezone.make_aware(datetime.combine(day.date, appointment.slot_time))
    return Subject(
        title=f"视频接访：{appointment.who} {appointment.subject}"[:200],
        path=appointment.org_path,
        host=day.leader,
        starts_at=max(slot, timezone.now()),
    )


def _reception_rooms(appointments: Sequence[Appointment]) -> QuerySet[Room]:
    return Room.objects.filter(
        purpose=Purpose.RECEPTION, subject__in=[str(a.pk) for a in appointments]
    )


@APPOINTMENT_PANELS.entry("video_rooms")
def appointment_rooms(user: Actor, appointments: Sequence[Appointment]) -> dict[int, list[Room]]:
    """Each appointment's video rooms, the latest first, with their participants' stretches in
    the room and their recordings, for its row on the day page, the booking page and its own
    page (whoever sees the appointment sees them): one query and its prefetches for all."""
    rooms = _reception_rooms(appointments).prefetch_related("participants__presences", "recordings")
    found: dict[int, list[Room]] = defaultdict(list)
    for room in rooms.order_by("-starts_at", "-id"):
        found[int(room.subject)].append(room)
    return found


def petitioner_side(participant: Participant, appointment: Appointment) -> bool:
    """The petitioner's side of a reception room: the petitioner by link, or the booking
    center's staff with the petitioner in its reception room."""
    if participant.kind == ParticipantKind.OUTSIDER:
        return True
    unit = appointment.booking_unit_id
    if participant.kind != ParticipantKind.STAFF or unit is None:
        return False
    return participant.organization_id == unit


@APPOINTMENT_PANELS.entry("video_seated")
def appointment_seated(
    user: Actor, appointments: Sequence[Appointment]
) -> dict[int, list[Participant]]:
    """Who of each appointment's petitioner's side (`petitioner_side`) is in an open room of
    the appointment now: the day's queue says "in the room" when anyone is. One query."""
    by_subject = {str(a.pk): a for a in appointments}
    inside = Presence.objects.filter(participant=OuterRef("pk"), left_at=None)
    seats = Participant.objects.filter(
        Exists(inside),
        kind__in=[ParticipantKind.OUTSIDER, ParticipantKind.STAFF],
        room__in=_reception_rooms(appointments).filter(state=RoomState.OPEN),
    ).select_related("room")
    found: dict[int, list[Participant]] = defaultdict(list)
    for seat in seats.order_by("pk"):
        appointment = by_subject[seat.room.subject]
        if petitioner_side(seat, appointment):
            found[appointment.pk].append(seat)
    return found


@SUPERVISION_PANELS.entry("reception_rooms_live")
def reception_rooms_live(user: Actor, day: date) -> QuerySet[Room]:
    """The reception rooms in session (opened by `day`, today: the page's 正在视频接访)
    under the user's part of the tree, with how many are in each now."""
    return (
        Room.objects.filter(
            scope_for(user).q("path"),
            purpose=Purpose.RECEPTION,
            state=RoomState.OPEN,
            opened_at__date__lte=day,
        )
        .select_related("host")
        .annotate(
            online=Count(
                "participants__presences",
                filter=Q(participants__presences__left_at=None),
            )
        )
        .order_by("path", "opened_at")
    )
