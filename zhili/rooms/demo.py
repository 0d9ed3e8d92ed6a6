"""`zhili demo` for the video rooms (issue 15): three rooms ready to join.

- a video mediation scheduled by the demo mediator `tjy` for a dispute of hers at the
  mediating stage, its parties invited by link and code (printed here: they are shown once);
- a video reception for the next booked appointment of the county's rota, scheduled by the
  petition officer `petition` and hosted by that day's leader;
- a meeting of the county leader `leader` with the center's director, 白塔埠镇 and one of its
  villages and the police, to start now (the host's entry opens it; then 开始直播).

A second run adds nothing (any room there already: nothing is scheduled).
"""

from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from zhili.core.dossier import check_action
from zhili.core.errors import DomainError
from zhili.mediation import workflow as mediation_workflow
from zhili.mediation.models import Dispute, DisputeState
from zhili.orgs.models import User
from zhili.receptions.models import Appointment, AppointmentState
from zhili.rooms.models import Room
from zhili.rooms.services import Invitee, Scheduled, room_schedule

MEETING_GUESTS = ("director", "secretary", "township", "village", "police")


def load(*, stdout: TextIO) -> None:
    if Room.objects.exists():
        stdout.write("视频会议室：已有，跳过\n")
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in=("tjy", "petition", "leader", *MEETING_GUESTS))
    }
    for made in (_mediation(users.get("tjy")), _reception(users.get("petition"))):
        if made is not None:
            _say(stdout, made)
    meeting = _meeting(users)
    if meeting is not None:
        _say(stdout, meeting)


def _say(stdout: TextIO, made: Scheduled) -> None:
    room = made.room
    stdout.write(f"视频会议室：{room.title}（{room.number}，主持人 {room.host.username}）\n")
    for invitation in made.invitations:
        stdout.write(
            f"  当事人 {invitation.participant.display}：/rooms/j/{invitation.link}/"
            f" 验证码 {invitation.code}\n"
        )


def _mediation(mediator: User | None) -> Scheduled | None:
    """The first dispute at the mediating stage whose sessions `mediator` records."""
    if mediator is None:
        return None
    disputes = Dispute.objects.filter(state=DisputeState.MEDIATING).order_by("id")
    for dispute in disputes.prefetch_related("parties")[:200]:
        try:
            check_action(mediation_workflow.KIND, mediator, dispute, "session")
        except DomainError:
            continue
        parties = [Invitee(name=p.name, note=p.get_side_display()) for p in dispute.parties.all()]
        return room_schedule(
            actor=mediator,
            purpose="mediation",
            subject=dispute.number,
            starts_at=timezone.now() + timedelta(minutes=10),
            invitees=parties[:4],
        )
    return None


def _reception(officer: User | None) -> Scheduled | None:
    """The county rota's next booked appointment, from today on."""
    if officer is None or officer.organization is None:
        return None
    appointment = (
        Appointment.objects.filter(
            state=AppointmentState.BOOKED,
            rota_day__date__gte=timezone.localdate(),
            rota_day__organization__level="county",
        )
        .order_by("rota_day__date", "slot_time", "id")
        .first()
    )
    if appointment is None:
        return None
    return room_schedule(
        actor=officer,
        purpose="reception",
        subject=str(appointment.pk),
        starts_at=None,
        invitees=[],
    )


def _meeting(users: dict[str, User]) -> Scheduled | None:
    leader = users.get("leader")
    if leader is None:
        return None
    guests = [Invitee(username=name) for name in MEETING_GUESTS if name in users]
    return room_schedule(
        actor=leader,
        purpose="meeting",
        subject="全县综治工作视频调度会",
        starts_at=timezone.now(),
        invitees=guests,
    )
