"""Reads of the rooms, through the room's visibility (zhili/rooms/workflow.py): a room out of
sight is answered as not found."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from zhili.core.audit import audit
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import NotFound
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.rooms.models import Presence, Purpose, Recording, RecordingState, Room
from zhili.rooms.workflow import KIND


def meeting_list(*, user: Actor) -> QuerySet[Room]:
    """The video meetings the user hosts or is invited to, and those of their part of the
    tree, the next first, then the past."""
    mine = Q(host=user) | Q(participants__user=user) | scope_for(user).q("path")
    rows = Room.objects.filter(mine, purpose=Purpose.MEETING).distinct()
    return rows.select_related("host").order_by("-starts_at", "-id")


def room_get(*, user: Actor, number: str) -> Room:
    room = Room.objects.select_related("host").filter(number=number).first()
    if room is None:
        raise NotFound("会议室不存在")
    check_visible(KIND, user, room)
    return room


def recording_get(*, user: Actor, room: Room, pk: int, how: str = "download") -> Recording:
    """A converted recording of a room `user` sees (`room_get` first); its download or the
    start of its playing (`how` "play"; "" for a player's further range: not audited again)
    audited."""
    check_visible(KIND, user, room)
    row = room.recordings.filter(pk=pk, state=RecordingState.READY).exclude(file="").first()
    if row is None:
        raise NotFound("录像不存在")
    if how:
        with transaction.atomic():
            audit(user, f"rooms.recording.{how}", room, recording=row.pk, sha256=row.sha256)
    return row


@dataclass(frozen=True)
class AttendanceRow:
    participant: str
    organization: str
    joined_at: datetime
    left_at: datetime | None


def attendance(*, user: Actor, room: Room) -> list[AttendanceRow]:
    """Who was in the room and when (one row per stretch); reading it is audited (names of
    outside parties are personal data)."""
    rows = Presence.objects.filter(participant__room=room).select_related(
        "participant__organization"
    )
    audit(user, "rooms.attendance.view", room)
    return [
        AttendanceRow(
            participant=p.participant.display,
            organization=(
                p.participant.organization.name
                if p.participant.organization
                else p.participant.note or "当事人"
            ),
            joined_at=p.joined_at,
            left_at=p.left_at,
        )
        for p in rows
    ]
