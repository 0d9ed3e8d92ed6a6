"""The intercom API: the user's talk groups, a seat in a group's room, the floor (take and
release), individual calls (whom one may call, the call's group) and the group's talk log.
Reads through `selectors`, writes through `services`."""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from zhili.core.schemas import ERRORS, ErrorOut, Input
from zhili.core.types import Actor
from zhili.intercom import selectors, services
from zhili.intercom.models import TalkGroup
from zhili.orgs.auth import StaffRequest

intercom_router = Router(tags=["对讲"])
# The calls that reach the gateway: 503 gateway_unavailable when it is not running.
GATEWAY_ERRORS = {**ERRORS, 503: ErrorOut}


class TalkGroupOut(Schema):
    id: int
    kind: str
    name: str = Field(..., description="名称；单呼以对方命名（单呼：张网格）")
    speaker: str = Field(..., description="正在讲话的人（无人讲话时为空）")


def groups_out(user: Actor, groups: list[TalkGroup]) -> list[TalkGroupOut]:
    titles = selectors.group_titles(user=user, groups=groups)
    return [
        TalkGroupOut(id=g.pk, kind=g.kind, name=titles[g.pk], speaker=services._speaker_name(g))
        for g in groups
    ]


@intercom_router.get(
    "/intercom/groups", response={200: list[TalkGroupOut], **ERRORS}, url_name="intercom_groups"
)
def groups(request: StaffRequest) -> list[TalkGroupOut]:
    """我的通话组：所在队伍、可指挥的队伍、全呼、事件通话组与单呼。"""
    return groups_out(request.user, services.groups_of(user=request.user))


class CalleeQuery(Input):
    q: str = Field("", max_length=50, description="姓名、账号或队伍名称中的文字")


class CalleeOut(Schema):
    user: int = Field(..., description="账号编号（单呼的 user）")
    name: str
    force: str = Field(..., description="力量编码")
    team: str
    status: str
    status_label: str
    own_team: bool = Field(..., description="是否本人所在队伍的成员")


@intercom_router.get(
    "/intercom/callees", response={200: list[CalleeOut], **ERRORS}, url_name="intercom_callees"
)
def callees(request: StaffRequest, query: Query[CalleeQuery]) -> list[CalleeOut]:
    """可单呼的人员：可见范围内的处置力量与本队队员，本队在前。"""
    return [
        CalleeOut(
            user=c.user_id,
            name=c.name,
            force=c.force,
            team=c.team,
            status=c.status,
            status_label=c.status_label,
            own_team=c.own_team,
        )
        for c in selectors.callees(user=request.user, q=query.q.strip())
    ]


class DirectIn(Input):
    user: int = Field(..., ge=1, description="呼叫对象的账号编号")


@intercom_router.post(
    "/intercom/direct", response={201: TalkGroupOut, **ERRORS}, url_name="intercom_direct"
)
def direct(request: StaffRequest, body: DirectIn) -> Status:
    """单呼：与一人的通话组（按需建立）；进入该组即呼叫对方。"""
    group = services.group_direct(actor=request.user, other_id=body.user)
    return Status(201, groups_out(request.user, [group])[0])


class JoinOut(Schema):
    seat: int = Field(..., description="加入音频房间时使用的参与者编号")
    room: int
    token: str = Field(..., description="音频房间的准入令牌")
    janus_token: str
    expires_at: datetime
    ws_url: str
    speaker: str


@intercom_router.post(
    "/intercom/groups/{group_id}/join",
    response={201: JoinOut, **GATEWAY_ERRORS},
    url_name="intercom_join",
)
def join(request: StaffRequest, group_id: int) -> Status:
    """进入通话组：领取席位与令牌（进入时静音，取得话权后由平台开麦）。"""
    group = selectors.group_get(user=request.user, pk=group_id)
    joined = services.group_join(actor=request.user, group=group)
    return Status(201, JoinOut(**joined.__dict__))


class TalkSeatIn(Schema):
    seat: int = Field(..., ge=1)


@intercom_router.post(
    "/intercom/groups/{group_id}/leave",
    response={204: None, **GATEWAY_ERRORS},
    url_name="intercom_leave",
)
def leave(request: StaffRequest, group_id: int, body: TalkSeatIn) -> Status:
    group = selectors.group_get(user=request.user, pk=group_id)
    services.seat_leave(actor=request.user, group=group, seat_id=body.seat)
    return Status(204, None)


class FloorOut(Schema):
    group: int
    speaker: str
    until: datetime | None = Field(..., description="话权到期时间（按住讲话时自动续期）")


@intercom_router.post(
    "/intercom/groups/{group_id}/floor",
    response={200: FloorOut, **GATEWAY_ERRORS},
    url_name="intercom_floor_take",
)
def floor_take(request: StaffRequest, group_id: int) -> FloorOut:
    """取得（或续期）话权；他人讲话时 409，并指明讲话人。"""
    group = selectors.group_get(user=request.user, pk=group_id)
    floor = services.floor_take(actor=request.user, group=group)
    return FloorOut(group=floor.group, speaker=floor.speaker, until=floor.until)


@intercom_router.delete(
    "/intercom/groups/{group_id}/floor",
    response={200: FloorOut, **GATEWAY_ERRORS},
    url_name="intercom_floor_release",
)
def floor_release(request: StaffRequest, group_id: int) -> FloorOut:
    """释放话权。"""
    group = selectors.group_get(user=request.user, pk=group_id)
    floor = services.floor_release(actor=request.user, group=group)
    return FloorOut(group=floor.group, speaker=floor.speaker, until=floor.until)


class TalkTokenOut(Schema):
    janus_token: str
    expires_at: datetime


@intercom_router.post(
    "/intercom/token", response={200: TalkTokenOut, **ERRORS}, url_name="intercom_token"
)
def token(request: StaffRequest) -> TalkTokenOut:
    """对讲页面向网关续用的短期令牌。"""
    janus_token, expires_at = services.gateway_token()
    return TalkTokenOut(janus_token=janus_token, expires_at=expires_at)


class TalkOut(Schema):
    user: str
    started_at: datetime
    ended_at: datetime | None
    heard_at: datetime | None


@intercom_router.get(
    "/intercom/groups/{group_id}/talks",
    response={200: list[TalkOut], **ERRORS},
    url_name="intercom_talks",
)
def talks(request: StaffRequest, group_id: int) -> list[TalkOut]:
    """通话记录：谁在何时讲话。"""
    group = selectors.group_get(user=request.user, pk=group_id)
    return [
        TalkOut(
            user=t.user.display_name,
            started_at=t.started_at,
            ended_at=t.ended_at,
            heard_at=t.heard_at,
        )
        for t in selectors.talk_rows(user=request.user, group=group)
    ]
