"""The room's workflow (pure Python) and its steps beyond the table (`room_step`).

    scheduled (已预约) --open--> open (进行中) --end--> ended (已结束)
    scheduled --end--> ended (called off before it opened)

Only the host opens and ends a room (side ``host``); mute and kick are the host's too, written
as history actions beyond the table. Who sees a room: its invited staff, its host, and whoever
stands above the room's subject in the organization tree (a township over its village's
committee); anyone else is answered 404, as if the room did not exist.
"""

from typing import Any

from zhili.core.dossier import DossierKind, Side, record_history
from zhili.core.dossier.tables import Party, by_name, transition_event
from zhili.core.roles import Role
from zhili.core.scope import scope_for
from zhili.core.types import Actor, SystemActor
from zhili.core.workflow import Transition, TransitionTable
from zhili.rooms.events import RoomTransitioned
from zhili.rooms.models import Room, RoomEvent, RoomState

S = RoomState

# Any staff role may host a room it scheduled (a mediator, a leader, a township officer ...).
HOSTS = frozenset(Role.values)
HOST = Party(HOSTS, "host")

TRANSITIONS: dict[str, Transition] = by_name(
    [
        HOST("open", "开始", {S.SCHEDULED}, S.OPEN),
        HOST("end", "结束", {S.SCHEDULED, S.OPEN}, S.ENDED),
    ]
)
TABLE = TransitionTable(TRANSITIONS.values(), states=dict(RoomState.choices), noun="会议室")


def invited(actor: Actor, room: Room) -> bool:
    return room.host_id == actor.pk or room.participants.filter(user=actor).exists()


def _visible(actor: Actor, room: Room) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return invited(actor, room) or scope_for(actor).covers_path(room.path)


def _is_host(actor: Actor, room: Room) -> bool:
    return room.host_id == actor.pk


_transitioned = transition_event(
    Room,
    RoomTransitioned,
    room_id=lambda r: r.pk,
    number=lambda r: r.number,
    purpose=lambda r: r.purpose,
    subject=lambda r: r.subject,
)

KIND: DossierKind[Room] = DossierKind(
    model=Room,
    history=RoomEvent,
    link="room",
    table=TABLE,
    audit_name="rooms.room",
    visible=_visible,
    sides={"host": Side(_is_host, "只有主持人可以操作")},
    event=_transitioned,
    labels={
        "schedule": "预约",
        "mute": "静音",
        "unmute": "取消静音",
        "kick": "移出会议室",
        "session": "调解笔录",
        "consent": "同意录音录像",
        "refuse": "不同意录音录像",
        "record_start": "开始录制",
        "record_stop": "停止录制",
        "note": "记录",
        "agree_confirm": "当事人确认调解协议",
        "agenda": "增加议程",
        "minutes": "会议纪要",
        "document": "上传会议材料",
        "broadcast_start": "开始直播",
        "broadcast_stop": "停止直播",
    },
    nobody={"end": "系统"},
)


def room_step(room: Room, action: str, actor: SystemActor, note: str = "", **data: Any) -> None:
    """A step on the room's record that keeps its state (mute, kick, a consent, a recording's
    start and stop, a note), in the caller's transaction."""
    record_history(
        KIND,
        room,
        action,
        from_state=room.state,
        to_state=room.state,
        actor=actor,
        note=note,
        **data,
    )
