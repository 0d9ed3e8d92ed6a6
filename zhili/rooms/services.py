"""Every write of the rooms: schedule, open, join (staff, or an outsider by link and code),
mute, kick, end. The page's beat and leave and the attendance Janus reports are in
zhili/rooms/attendance.py.

Janus is called outside the database's transactions (zhili/rooms/gateway.py); the row's
change is written after Janus agreed, so a dead gateway leaves the room as it was (503).
"""

import hmac
import secrets
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.dossier import apply_transition, check_action, record_history
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.scope import scope_for
from zhili.core.types import Actor, SystemActor
from zhili.orgs.models import Organization
from zhili.orgs.selectors import units_named
from zhili.rooms import broadcast, gateway, meetings, recording, subjects
from zhili.rooms.attendance import close_presence, digest
from zhili.rooms.models import Participant, ParticipantKind, Presence, Purpose, Room, RoomState
from zhili.rooms.workflow import KIND, room_step
from zhili.video.gateway.janus import GatewayRefused

CODE_TRIES = 5  # wrong codes before a link locks
User = get_user_model()


# --- scheduling -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    """Staff by `username`, or an outside party by `name` (and what they are: `note`)."""

    username: str = ""
    name: str = ""
    note: str = ""


@dataclass(frozen=True)
class Invitation:
    """An outside party's way in, shown once to the officer: the link and the code."""

    participant: Participant
    link: str
    code: str


@dataclass(frozen=True)
class Scheduled:
    room: Room
    invitations: list[Invitation]


@transaction.atomic
def room_schedule(
    *,
    actor: Actor,
    purpose: str,
    subject: str,
    starts_at: datetime | None,
    invitees: Sequence[Invitee],
    organizations: Sequence[str] = (),
) -> Scheduled:
    """预约视频会议室: the actor hosts it (a reception: the day's leader, the actor attending);
    staff invitees by account, outsiders by link+code; a meeting's or a lesson's invited
    organizations (by code) with every active member of their staff."""
    about = subjects.resolve(actor, purpose, subject)
    units = _units(actor, purpose, organizations)
    starts_at = _start(about.starts_at or starts_at)
    host = about.host or actor
    staff, outsiders = _invitees({host.pk, actor.pk}, invitees)
    if host.pk != actor.pk:
        staff.insert(0, actor)  # who scheduled it for the host (petition staff) attends
    year = timezone.localdate().year
    room = Room.objects.create(
        number=f"SP{year}{take_next('room', str(year)):05d}",
        purpose=purpose,
        subject=subject.strip(),
        title=about.title,
        path=about.path,
        starts_at=starts_at,
        host=host,
    )
    invitations = _seat_all(room, host, staff, outsiders)
    if units:
        room_seat_staff(
            room=room, users=list(User.objects.filter(organization__in=units, is_active=True))
        )
    _record_schedule(actor, room, subject, staff, len(outsiders), units)
    return Scheduled(room, invitations)


@transaction.atomic
def meeting_call(
    *,
    actor: Actor,
    title: str,
    starts_at: datetime | None,
    organizations: Sequence[str],
    agenda: Sequence[str],
) -> Room:
    """召集视频会议 (the meetings page): at least one invited unit, and the agenda's items
    (one a line), with the meeting or not at all."""
    if not any(c.strip() for c in organizations):
        raise InvalidInput("请选择参会单位", field="organizations")
    done = room_schedule(
        actor=actor,
        purpose=Purpose.MEETING,
        subject=title,
        starts_at=starts_at,
        invitees=[],
        organizations=organizations,
    )
    for line in agenda:
        if line.strip():
            meetings.agenda_add(
                actor=actor, room=done.room, title=line.strip()[: meetings.TITLE_MAX]
            )
    return done.room


def _units(actor: Actor, purpose: str, codes: Sequence[str]) -> list[Organization]:
    """A meeting's or a lesson's invited organizations, each in the actor's part of the tree
    (422 naming `organizations`)."""
    if not any(c.strip() for c in codes):
        return []
    if purpose not in (Purpose.MEETING, Purpose.TRAINING):
        raise InvalidInput("只有视频会议和网上培训可以邀请单位", field="organizations")
    return units_named(codes, field="organizations", label="受邀单位", within=scope_for(actor))


def _record_schedule(
    actor: Actor,
    room: Room,
    subject: str,
    staff: list[Actor],
    outsiders: int,
    units: Sequence[Organization] = (),
) -> None:
    """The room's first history row and the audit of who was invited."""
    note = f"预约 {timezone.localtime(room.starts_at):%Y-%m-%d %H:%M}"
    record_history(
        KIND, room, "schedule", from_state="", to_state=room.state, actor=actor, note=note
    )
    audit(
        actor,
        "rooms.room.schedule",
        room,
        purpose=room.purpose,
        subject=subject,
        host=room.host_id,
        staff=[u.pk for u in staff],
        outsiders=outsiders,
        organizations=[o.code for o in units],
    )


def _start(starts_at: datetime | None) -> datetime:
    """A room's start is given and not in the past (an hour's grace)."""
    if starts_at is None:
        raise InvalidInput("请填写预约时间", field="starts_at")
    if starts_at < timezone.now() - timedelta(hours=1):
        raise InvalidInput("预约时间不能早于现在", field="starts_at")
    return starts_at


def _seat_all(
    room: Room, host: Actor, staff: list[Actor], outsiders: list[Invitee]
) -> list[Invitation]:
    """The host's seat, the staff's, then each outsider's with their invitation."""
    _seat(room, host, ParticipantKind.HOST)
    for user in staff:
        _seat(room, user, ParticipantKind.STAFF)
    return [_invite_outsider(room, invitee) for invitee in outsiders]


def _invitees(seated: set[int], invitees: Sequence[Invitee]) -> tuple[list[Actor], list[Invitee]]:
    staff: list[Actor] = []
    outsiders: list[Invitee] = []
    seen = set(seated)
    for index, invitee in enumerate(invitees):
        if invitee.username:
            user = User.objects.filter(username=invitee.username, is_active=True).first()
            if user is None:
                raise InvalidInput(f"账号 {invitee.username} 不存在", field=f"invitees.{index}")
            if user.pk not in seen:
                seen.add(user.pk)
                staff.append(user)
        elif invitee.name.strip():
            outsiders.append(invitee)
        else:
            raise InvalidInput("参会人应有账号或姓名", field=f"invitees.{index}")
    return staff, outsiders


def _seat(room: Room, user: Actor, kind: str) -> Participant:
    return Participant.objects.create(
        room=room,
        kind=kind,
        user=user,
        organization=user.organization,
        display=user.full_name or user.username,
    )


def room_seat_staff(*, room: Room, users: Sequence[Actor]) -> int:
    """Seats for staff not yet invited to a room that is not over (a training lesson's
    learners, seated as its course's audience is known), in the caller's transaction; how
    many were added."""
    if room.state == RoomState.ENDED:
        return 0
    seated = set(room.participants.exclude(user=None).values_list("user_id", flat=True))
    new = [
        Participant(
            room=room,
            kind=ParticipantKind.STAFF,
            user=user,
            organization_id=user.organization_id,
            display=user.full_name or user.username,
        )
        for user in users
        if user.pk not in seated
    ]
    Participant.objects.bulk_create(new)
    return len(new)


def _invite_outsider(room: Room, invitee: Invitee) -> Invitation:
    link, code = secrets.token_urlsafe(18), f"{secrets.randbelow(10**6):06d}"
    participant = Participant.objects.create(
        room=room,
        kind=ParticipantKind.OUTSIDER,
        display=invitee.name.strip()[:100],
        note=invitee.note.strip()[:100],
        link_digest=digest(link),
        code_digest=digest(code),
    )
    return Invitation(participant, link, code)


# --- opening and joining --------------------------------------------------------------------


@dataclass(frozen=True)
class Ticket:
    """What a page needs to take its seat: the gateway's WebSocket, the Janus room, the Janus
    token (VideoRoom only, short-lived, refreshed by the beats), the room's own token (on the
    room's `allowed` list while the seat is taken), the feed id and name, and the seat (the
    beats' and the leave's key)."""

    gateway: str
    room: int
    token: str
    room_token: str
    feed: int
    display: str
    seat: str
    host: bool
    expires_at: datetime


def room_open(*, actor: Actor, room: Room) -> Room:
    """开始: the Janus room is made first, then the row moves (a dead gateway: 503, unchanged)."""
    transition = check_action(KIND, actor, room, "open")
    janus_id, secret = gateway.new_room_id(), secrets.token_hex(16)
    gateway.room_create(0, janus_id, secret, room.number, _allowed(room))
    try:
        with transaction.atomic():
            changes = {
                "janus_id": janus_id,
                "janus_secret": secret,
                "gateway": 0,
                "opened_at": timezone.now(),
            }
            apply_transition(KIND, room, transition, actor, changes)
    except Exception:
        gateway.room_destroy(0, janus_id, secret)
        raise
    return room


def _allowed(room: Room) -> list[str]:
    return [
        t for t in room.participants.exclude(room_token="").values_list("room_token", flat=True)
    ]


def ensure_janus_room(room: Room) -> None:
    """A restarted Janus has no rooms: make it again with the seats' tokens."""
    if not gateway.room_exists(room.gateway, room.janus_id or 0):
        gateway.room_create(
            room.gateway, room.janus_id or 0, room.janus_secret, room.number, _allowed(room)
        )


def room_join(*, actor: Actor, room: Room) -> Ticket:
    """A staff member takes their seat: the host opens a scheduled room by joining it."""
    check_visible(KIND, actor, room)
    participant = room.participants.filter(user=actor).first()
    if participant is None:
        raise Forbidden("您未受邀参加该会议室", code="not_invited")
    if room.state == RoomState.SCHEDULED and room.host_id == actor.pk:
        room = room_open(actor=actor, room=room)
    return _take_seat(room, participant, actor)


def _take_seat(room: Room, participant: Participant, actor: SystemActor) -> Ticket:
    _check_may_sit(room, participant)
    ensure_janus_room(room)
    room_token, seat = allow_new_token(room, participant.room_token), secrets.token_urlsafe(24)
    with transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(
            room_token=room_token, seat_digest=digest(seat), beat_at=timezone.now()
        )
        audit(
            actor,
            "rooms.room.join",
            room,
            participant=participant.pk,
            display=participant.display,
            kind=participant.kind,
        )
    token, expires_at = gateway.browser_token()
    return Ticket(
        gateway=gateway.gateway_for(room.gateway).ws_url,
        room=room.janus_id or 0,
        token=token,
        room_token=room_token,
        feed=participant.pk,
        display=participant.display,
        seat=seat,
        host=participant.kind == ParticipantKind.HOST,
        expires_at=expires_at,
    )


def _check_may_sit(room: Room, participant: Participant) -> None:
    """A seat is taken in an open room by a participant not kicked out (else 409 or 403)."""
    if room.state == RoomState.SCHEDULED:
        raise Conflict("会议尚未开始，请等待主持人进入", code="room_not_open")
    if room.state == RoomState.ENDED:
        raise Conflict("会议已结束", code="room_ended")
    if participant.kicked_at is not None:
        raise Forbidden("您已被主持人移出会议室", code="kicked")


def allow_new_token(room: Room, old: str) -> str:
    """A new room token on the Janus room's `allowed` list, the seat's `old` one off it."""
    room_token = secrets.token_hex(16)
    gateway.allow(room.gateway, room.janus_id or 0, room.janus_secret, "add", [room_token])
    if old:
        gateway.allow(room.gateway, room.janus_id or 0, room.janus_secret, "remove", [old])
    return room_token


def outsider_check_link(*, link: str) -> Participant:
    """The link alone (the code form): unknown 404; locked or used 403."""
    participant = (
        Participant.objects.select_related("room")
        .filter(link_digest=digest(link or "-"), kind=ParticipantKind.OUTSIDER)
        .first()
    )
    if participant is None or not link:
        raise NotFound("链接无效", field="link")
    if participant.locked_at is not None:
        raise Forbidden(
            "验证码错误次数过多，该链接已锁定，请联系工作人员重新邀请", code="link_locked"
        )
    if participant.used_at is not None:
        raise Forbidden("该链接已使用过，请联系工作人员", code="link_used")
    return participant


def outsider_check(*, link: str, code: str) -> Participant:
    """An outside party's link and code. Unknown link: 404. Locked, used or a wrong code: 403;
    the 5th wrong code locks the link (the try is counted even though the request fails)."""
    participant = outsider_check_link(link=link)
    check_code(participant, code)
    return participant


def check_code(participant: Participant, code: str) -> None:
    """An outside party's code, at the join or again to confirm an agreement on screen: a
    wrong one is 403 naming `code` and counts toward the link's lock."""
    if not hmac.compare_digest(participant.code_digest, digest((code or "").strip())):
        _wrong_code(participant)


def _wrong_code(participant: Participant) -> None:
    tries = participant.tries + 1
    locked = tries >= CODE_TRIES
    with transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(
            tries=tries, locked_at=timezone.now() if locked else None
        )
        audit(
            None,
            "rooms.code.wrong",
            participant.room,
            participant=participant.pk,
            tries=tries,
            locked=locked,
        )
    if locked:
        raise Forbidden(
            "验证码错误次数过多，该链接已锁定，请联系工作人员重新邀请", code="link_locked"
        )
    raise Forbidden(
        f"验证码错误，还可尝试 {CODE_TRIES - tries} 次", code="wrong_code", field="code"
    )


def outsider_join(*, link: str, code: str) -> Ticket:
    """An outside party joins by link and code, once: the link is used from then on (the page
    that entered it keeps the participant in its session and rejoins with `outsider_rejoin`)."""
    participant = outsider_check(link=link, code=code)
    ticket = _take_seat(participant.room, participant, None)
    Participant.objects.filter(pk=participant.pk).update(used_at=timezone.now())
    return ticket


def outsider_rejoin(*, participant_id: int) -> Ticket:
    participant = (
        Participant.objects.select_related("room")
        .filter(pk=participant_id, kind=ParticipantKind.OUTSIDER, used_at__isnull=False)
        .first()
    )
    if participant is None:
        raise NotFound("参会人不存在")
    return _take_seat(participant.room, participant, None)


# --- moderation -----------------------------------------------------------------------------


def _moderated(actor: Actor, room: Room, participant_id: int) -> Participant:
    check_action(KIND, actor, room, "end")  # the host's, while the room is not over
    if room.state != RoomState.OPEN:
        raise Conflict("会议未在进行中", code="wrong_state")
    participant = room.participants.filter(pk=participant_id).first()
    if participant is None:
        raise NotFound("参会人不存在", field="participant")
    return participant


def room_mute(*, actor: Actor, room: Room, participant_id: int, mute: bool = True) -> None:
    """静音 (Janus `moderate`): the participant's microphone is cut at the gateway."""
    participant = _moderated(actor, room, participant_id)
    gateway.moderate(room.gateway, room.janus_id or 0, room.janus_secret, participant.pk, mute)
    with transaction.atomic():
        action = "mute" if mute else "unmute"
        room_step(room, action, actor, participant.display, participant=participant.pk)
        audit(actor, f"rooms.room.{action}", room, participant=participant.pk)


def room_kick(*, actor: Actor, room: Room, participant_id: int) -> None:
    """移出: off the `allowed` list (no way back in) and out of the Janus room."""
    participant = _moderated(actor, room, participant_id)
    if participant.kind == ParticipantKind.HOST:
        raise Conflict("不能移出主持人", code="wrong_state", field="participant")
    now = timezone.now()
    with transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(kicked_at=now, seat_digest="")
        room_step(room, "kick", actor, participant.display, participant=participant.pk)
        audit(actor, "rooms.room.kick", room, participant=participant.pk)
        close_presence(participant, now, "kicked")
    # Janus is told once the kick is committed (a write request's transaction is the whole
    # request, core/transactions.py): Janus tells the pages at once, and whoever sees the
    # party gone must find the attendance closed. A refusal is logged; the party's page
    # leaves anyway at its next beat (409 kicked).
    transaction.on_commit(partial(_kick_at_gateway, room, participant), robust=True)


def _kick_at_gateway(room: Room, participant: Participant) -> None:
    if participant.room_token:
        gateway.allow(
            room.gateway, room.janus_id or 0, room.janus_secret, "remove", [participant.room_token]
        )
    with suppress(GatewayRefused):  # not in the room now: the allowed list keeps them out
        gateway.kick(room.gateway, room.janus_id or 0, room.janus_secret, participant.pk)


def room_end(*, actor: Actor, room: Room) -> Room:
    """结束 for everyone: the row first (no one joins any more), then the Janus room goes."""
    transition = check_action(KIND, actor, room, "end")
    if room.state == RoomState.OPEN:
        recording.stop_at_end(room)  # Janus closes its files before the room goes
    now = timezone.now()
    with transaction.atomic():
        apply_transition(KIND, room, transition, actor, {"ended_at": now})
        Presence.objects.filter(participant__room=room, left_at=None).update(
            left_at=now, left_how="ended"
        )
        # A silent supervisor's watch ends with the room (watches.watches_sweep audits it),
        # a broadcast too (zhili broadcasts then ends its media).
        broadcast.stop_all(room, now)
    if room.janus_id:
        # After the commit, as a kick's: the pages Janus tells find the room ended.
        transaction.on_commit(
            partial(gateway.room_destroy, room.gateway, room.janus_id, room.janus_secret),
            robust=True,
        )
    return room


def purposes() -> list[tuple[str, str]]:
    return list(Purpose.choices)
