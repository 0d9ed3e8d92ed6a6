"""The rooms API: schedule, join (staff, or outside parties by link and code), the page's
beat and leave, moderation, attendance, and Janus's event handler. Endpoints hold no rules."""

import hmac
import json
from dataclasses import asdict
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import HttpBasicAuth

from zhili.core.schemas import ERRORS, ErrorOut
from zhili.orgs.auth import StaffRequest
from zhili.rooms import (
    attendance,
    broadcast,
    meetings,
    recording,
    selectors,
    services,
    video_mediation,
    watches,
)
from zhili.rooms.models import (
    AgendaItem,
    Broadcast,
    BroadcastState,
    Document,
    Participant,
    Recording,
    RecordingState,
    Room,
)
from zhili.video.api import GatewayTokenOut

rooms_router = Router(tags=["视频会议室"])
JOIN_ERRORS = {**ERRORS, 503: ErrorOut}


class InviteeIn(Schema):
    username: str = Field("", description="工作人员账号")
    name: str = Field("", description="当事人姓名（无账号者，凭一次性链接和六位验证码进入）")
    note: str = Field("", description="当事人身份，如 申请人、被申请人")


class RoomIn(Schema):
    purpose: Literal["mediation", "reception", "meeting", "training"]
    subject: str = Field(
        ..., max_length=64, description="调解：纠纷编号；接访：接访预约编号；会议、培训：名称"
    )
    starts_at: datetime
    invitees: list[InviteeIn] = Field(default_factory=list, max_length=50)
    organizations: list[str] = Field(
        default_factory=list,
        max_length=500,
        description="会议、培训：受邀单位编码，其在职工作人员均受邀（如全县 21 个乡镇综治中心）",
    )


class InvitationOut(Schema):
    display: str
    link: str
    code: str = Field(..., description="六位验证码，只在此时给出")
    join_url: str


class RoomCreatedOut(Schema):
    room_id: str
    join_url: str
    invitations: list[InvitationOut]


def join_url(room: Room) -> str:
    return f"/rooms/{room.number}/"


def outsider_url(link: str) -> str:
    return f"/rooms/j/{link}/"


@rooms_router.post("/rooms", response={201: RoomCreatedOut, **ERRORS})
def room_create(request: StaffRequest, body: RoomIn) -> Status:
    """预约视频会议室（调解、接访、会议、培训）；当事人的链接与验证码只在此时返回一次。"""
    done = services.room_schedule(
        actor=request.user,
        purpose=body.purpose,
        subject=body.subject,
        starts_at=body.starts_at,
        invitees=[services.Invitee(**i.dict()) for i in body.invitees],
        organizations=body.organizations,
    )
    invitations = [
        {
            "display": i.participant.display,
            "link": i.link,
            "code": i.code,
            "join_url": outsider_url(i.link),
        }
        for i in done.invitations
    ]
    return Status(
        201,
        {"room_id": done.room.number, "join_url": join_url(done.room), "invitations": invitations},
    )


class TicketOut(Schema):
    gateway: str = Field(..., description="视频网关（Janus）的 WebSocket 地址")
    room: int = Field(..., description="Janus VideoRoom 房间号")
    token: str = Field(..., description="网关短时令牌（仅限 VideoRoom）；心跳时换新")
    room_token: str = Field(..., description="本房间的进入令牌（在房间 allowed 名单上）")
    feed: int
    display: str
    seat: str = Field(..., description="座位凭证：心跳（每 15 秒）与离开用")
    host: bool
    expires_at: datetime


@rooms_router.post("/rooms/{room_id}/join", response={200: TicketOut, **JOIN_ERRORS})
def room_join(request: StaffRequest, room_id: str) -> services.Ticket:
    """工作人员进入会议室（主持人进入即开始）；网关未运行为 503 gateway_unavailable。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return services.room_join(actor=request.user, room=room)


class OutsiderIn(Schema):
    link: str = Field(..., max_length=64)
    code: str = Field(..., max_length=12)


@rooms_router.post("/rooms/join", auth=None, response={200: TicketOut, **JOIN_ERRORS})
def room_join_outsider(request: HttpRequest, body: OutsiderIn) -> services.Ticket:
    """当事人凭一次性链接和六位验证码进入；验证码错误或链接已用为 403，错误 5 次后链接锁定。"""
    return services.outsider_join(link=body.link, code=body.code)


class SeatIn(Schema):
    seat: str = Field(..., max_length=64)


class SeatBeatOut(GatewayTokenOut):
    recording: bool = Field(..., description="会议室是否正在录音录像")


@rooms_router.post("/rooms/beat", auth=None, response={200: SeatBeatOut, **ERRORS})
def seat_beat(request: HttpRequest, body: SeatIn) -> attendance.Beat:
    """在会议室中的心跳（每 15 秒）：返回新的网关令牌与录制状态；45 秒无心跳视为离开。"""
    return attendance.seat_beat(seat=body.seat)


@rooms_router.post("/rooms/leave", auth=None, response={204: None, **ERRORS})
def seat_leave(request: HttpRequest, body: SeatIn) -> Status:
    attendance.seat_leave(seat=body.seat)
    return Status(204, None)


class WatchOut(Schema):
    gateway: str = Field(..., description="视频网关（Janus）的 WebSocket 地址")
    room: int = Field(..., description="Janus VideoRoom 房间号")
    token: str = Field(..., description="网关短时令牌；心跳时换新")
    room_token: str = Field(..., description="本房间的进入令牌（仅订阅，不发布）")
    seat: str = Field(..., description="督导凭证：心跳（每 15 秒）与离开用")
    expires_at: datetime


@rooms_router.post("/rooms/{room_id}/watch", response={200: WatchOut, **JOIN_ERRORS})
def room_watch(request: StaffRequest, room_id: str) -> watches.WatchTicket:
    """静默督导：不发布音视频、不出现在参会人画面和出席记录中，只观看；每次督导记入审计，管理员可查。
    须有静默督导权限且会议室在本单位辖区内（受邀参会人请直接进入）；会议未在进行中为 409 room_not_open。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return watches.room_watch(actor=request.user, room=room)


@rooms_router.post("/rooms/watch/beat", response={200: GatewayTokenOut, **ERRORS})
def watch_beat(request: StaffRequest, body: SeatIn) -> dict[str, object]:
    """督导中的心跳（每 15 秒）：返回新的网关令牌；会议已结束为 409 room_ended。"""
    token, expires_at = watches.watch_beat(actor=request.user, seat=body.seat)
    return {"token": token, "expires_at": expires_at}


@rooms_router.post("/rooms/watch/leave", response={204: None, **ERRORS})
def watch_leave(request: StaffRequest, body: SeatIn) -> Status:
    """结束督导。"""
    watches.watch_leave(actor=request.user, seat=body.seat)
    return Status(204, None)


class BroadcastIn(Schema):
    action: Literal["start", "stop"]


class BroadcastOut(Schema):
    state: str = Field(
        ..., description="none 未直播，starting 启动中，live 直播中，stopped 已停止，failed 失败"
    )
    started_at: datetime | None
    live_at: datetime | None = Field(..., description="首个片段就绪的时间")
    stopped_at: datetime | None
    error: str = Field(..., description="失败原因")
    playlist: str = Field(..., description="HLS 播放列表地址（直播中）")


def broadcast_out(room: Room, row: Broadcast | None) -> dict[str, object]:
    if row is None:
        return {
            "state": "none",
            "started_at": None,
            "live_at": None,
            "stopped_at": None,
            "error": "",
            "playlist": "",
        }
    live = row.state == BroadcastState.LIVE
    return {
        "state": row.state,
        "started_at": row.started_at,
        "live_at": row.live_at,
        "stopped_at": row.stopped_at,
        "error": row.error,
        "playlist": f"/rooms/{room.number}/live/{broadcast.PLAYLIST}" if live else "",
    }


@rooms_router.get("/rooms/{room_id}/broadcast", response={200: BroadcastOut, **ERRORS})
def room_broadcast(request: StaffRequest, room_id: str) -> dict[str, object]:
    """会议直播的状态（最近一次）：主持人与观看页轮询。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return broadcast_out(room, broadcast.current(room))


@rooms_router.post("/rooms/{room_id}/broadcast", response={200: BroadcastOut, **ERRORS})
def room_broadcast_act(request: StaffRequest, room_id: str, body: BroadcastIn) -> dict[str, object]:
    """主持人开始或停止会议直播（单向，HLS）：村（社区）等大量单位观看，不占会议室席位。
    主持人须已在会议室中发布画面；已在直播为 409 broadcast_running。"""
    room = selectors.room_get(user=request.user, number=room_id)
    if body.action == "start":
        row = broadcast.broadcast_start(actor=request.user, room=room)
    else:
        row = broadcast.broadcast_stop(actor=request.user, room=room)
    return broadcast_out(room, row)


class BroadcastBeatOut(Schema):
    state: str
    counted: bool = Field(..., description="是否计入本单位出席（受邀人员）")


@rooms_router.post("/rooms/{room_id}/broadcast/beat", response={200: BroadcastBeatOut, **ERRORS})
def room_broadcast_beat(request: StaffRequest, room_id: str) -> broadcast.Heard:
    """观看直播时的心跳（每 15 秒）：受邀人员计入出席，45 秒无心跳视为离开。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return broadcast.broadcast_beat(actor=request.user, room=room)


class ModerateIn(Schema):
    participant: int
    action: Literal["mute", "unmute", "kick"]


@rooms_router.post("/rooms/{room_id}/moderate", response={204: None, **JOIN_ERRORS})
def room_moderate(request: StaffRequest, room_id: str, body: ModerateIn) -> Status:
    """主持人：静音、取消静音、移出。"""
    room = selectors.room_get(user=request.user, number=room_id)
    if body.action == "kick":
        services.room_kick(actor=request.user, room=room, participant_id=body.participant)
    else:
        services.room_mute(
            actor=request.user,
            room=room,
            participant_id=body.participant,
            mute=body.action == "mute",
        )
    return Status(204, None)


@rooms_router.post("/rooms/{room_id}/end", response={204: None, **JOIN_ERRORS})
def room_end(request: StaffRequest, room_id: str) -> Status:
    """主持人结束会议（全体退出，网关上的房间随之销毁）。"""
    room = selectors.room_get(user=request.user, number=room_id)
    services.room_end(actor=request.user, room=room)
    return Status(204, None)


class AttendanceOut(Schema):
    participant: str
    organization: str
    joined_at: datetime
    left_at: datetime | None


@rooms_router.get("/rooms/{room_id}/attendance", response={200: list[AttendanceOut], **ERRORS})
def room_attendance(request: StaffRequest, room_id: str) -> list[selectors.AttendanceRow]:
    """出席记录：每人每次进入与离开的时间。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return selectors.attendance(user=request.user, room=room)


class SeatConsentIn(SeatIn):
    consent: bool = Field(..., description="是否同意录音录像")


class SeatConsentOut(Schema):
    consent: str = Field(..., description="yes 同意，no 不同意")


@rooms_router.post("/rooms/consent", auth=None, response={200: SeatConsentOut, **JOIN_ERRORS})
def seat_consent(request: HttpRequest, body: SeatConsentIn) -> dict[str, str]:
    """参会人表示是否同意录音录像（凭座位凭证）；录制中表示不同意则录制停止。"""
    participant = recording.seat_consent(seat=body.seat, consent=body.consent)
    return {"consent": participant.consent}


class AgreementSectionOut(Schema):
    heading: str
    text: str


class AgreementTextOut(Schema):
    number: str = Field(..., description="纠纷编号")
    title: str
    committee: str
    form: str = Field(..., description="书面调解协议 或 口头调解协议")
    parties: list[str]
    sections: list[AgreementSectionOut]
    sha256: str = Field(..., description="协议文本的 SHA-256：确认时原样交回")


class SeatAgreementOut(Schema):
    agreement: AgreementTextOut | None = Field(..., description="尚未拟定调解协议时为空")
    agreed_at: datetime | None = Field(..., description="本人确认当前协议文本的时间")


def seat_agreement_out(participant: Participant) -> dict[str, object]:
    text = video_mediation.party_agreement(participant)
    if text is None:
        return {"agreement": None, "agreed_at": None}
    sections = [{"heading": h, "text": t} for h, t in text.sections]
    agreed = participant.agreed_sha256 == text.sha256
    return {
        "agreement": {**asdict(text), "parties": list(text.parties), "sections": sections},
        "agreed_at": participant.agreed_at if agreed else None,
    }


@rooms_router.post("/rooms/agreement", auth=None, response={200: SeatAgreementOut, **ERRORS})
def seat_agreement(request: HttpRequest, body: SeatIn) -> dict[str, object]:
    """视频调解的当事人（凭座位凭证）阅看调解协议：调委会拟定的协议内容及其 SHA-256，本人是否已确认。"""
    return seat_agreement_out(attendance.by_seat(body.seat))


class SeatConfirmIn(SeatIn):
    name: str = Field(..., max_length=video_mediation.NAME_MAX, description="本人姓名")
    code: str = Field(..., max_length=12, description="六位验证码（与进入时相同）")
    sha256: str = Field(..., max_length=64, description="所阅看协议文本的 SHA-256")


class SeatConfirmOut(Schema):
    agreed_at: datetime
    sha256: str


@rooms_router.post("/rooms/agreement/confirm", auth=None, response={200: SeatConfirmOut, **ERRORS})
def seat_agreement_confirm(request: HttpRequest, body: SeatConfirmIn) -> dict[str, object]:
    """当事人在本人屏幕上确认调解协议：输入本人姓名和验证码。验证码错误为 403（field code，计入
    链接锁定次数），姓名不符为 422（field name），尚无协议或协议已更新为 409。"""
    participant = video_mediation.agreement_confirm(
        participant=attendance.by_seat(body.seat),
        name=body.name,
        code=body.code,
        sha256=body.sha256,
    )
    return {"agreed_at": participant.agreed_at, "sha256": participant.agreed_sha256}


class RoomRecordingIn(Schema):
    action: Literal["start", "stop"]


class RoomRecordingOut(Schema):
    url: str = Field(..., description="MP4 下载地址（转换完成后）")
    sha256: str
    duration_s: float
    started_at: datetime
    stopped_at: datetime | None
    state: str = Field(..., description="recording 录制中，converting 转换中，ready，failed")
    progress: int = Field(..., description="转换进度（%）")


def recording_out(room: Room, row: Recording) -> dict[str, object]:
    url = f"/rooms/{room.number}/recordings/{row.pk}/" if row.state == RecordingState.READY else ""
    return {
        "url": url,
        "sha256": row.sha256,
        "duration_s": row.duration_s,
        "started_at": row.started_at,
        "stopped_at": row.stopped_at,
        "state": row.state,
        "progress": row.progress,
    }


@rooms_router.post("/rooms/{room_id}/recording", response={200: RoomRecordingOut, **JOIN_ERRORS})
def room_recording(request: StaffRequest, room_id: str, body: RoomRecordingIn) -> dict[str, object]:
    """主持人开始或停止录音录像：开始须在场各方均已同意（否则 409 并写明何人）。"""
    room = selectors.room_get(user=request.user, number=room_id)
    if body.action == "start":
        row = recording.recording_start(actor=request.user, room=room)
    else:
        row = recording.recording_stop(actor=request.user, room=room)
    return recording_out(room, row)


@rooms_router.get("/rooms/{room_id}/recordings", response={200: list[RoomRecordingOut], **ERRORS})
def room_recordings(request: StaffRequest, room_id: str) -> list[dict[str, object]]:
    """会议录像：下载地址、SHA-256、时长、开始时间与转换进度。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return [recording_out(room, row) for row in room.recordings.all()]


class UnitAttendanceOut(Schema):
    organization: str
    code: str
    status: Literal["present", "late", "absent"] = Field(
        ..., description="present 出席，late 迟到（开始 5 分钟后才进入），absent 缺席"
    )
    joined_at: datetime | None = Field(..., description="本单位首次进入")
    left_at: datetime | None = Field(..., description="本单位最后离开；仍在会中为空")
    came: list[str] = Field(..., description="出席人员")
    invited: list[str] = Field(..., description="受邀人员")


@rooms_router.get(
    "/rooms/{room_id}/attendance/organizations",
    response={200: list[UnitAttendanceOut], **ERRORS},
)
def room_units(request: StaffRequest, room_id: str) -> list[meetings.UnitAttendance]:
    """按单位统计的出席情况：受邀单位出席、迟到或缺席，及首次进入与最后离开时间。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return meetings.units_view(user=request.user, room=room)


class AgendaIn(Schema):
    title: str = Field(..., max_length=meetings.TITLE_MAX, description="议题")
    presenter: str = Field("", max_length=meetings.PRESENTER_MAX, description="汇报人")


class AgendaOut(Schema):
    id: int
    order: int
    title: str
    presenter: str
    minutes: str
    minutes_at: datetime | None


class MinutesIn(Schema):
    minutes: str = Field(..., max_length=meetings.MINUTES_MAX, description="纪要")


@rooms_router.get("/rooms/{room_id}/agenda", response={200: list[AgendaOut], **ERRORS})
def room_agenda(request: StaffRequest, room_id: str) -> list[AgendaItem]:
    """会议议程：议题、汇报人与纪要。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return list(room.agenda.all())


@rooms_router.post("/rooms/{room_id}/agenda", response={201: AgendaOut, **ERRORS})
def room_agenda_add(request: StaffRequest, room_id: str, body: AgendaIn) -> Status:
    """主持人增加议程（会议结束前）。"""
    room = selectors.room_get(user=request.user, number=room_id)
    item = meetings.agenda_add(
        actor=request.user, room=room, title=body.title, presenter=body.presenter
    )
    return Status(201, item)


@rooms_router.post("/rooms/{room_id}/agenda/{item_id}/minutes", response={200: AgendaOut, **ERRORS})
def room_agenda_minutes(
    request: StaffRequest, room_id: str, item_id: int, body: MinutesIn
) -> AgendaItem:
    """主持人或参会工作人员记录一项议程的纪要（会中或会后）。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return meetings.agenda_minutes(
        actor=request.user, room=room, item_id=item_id, minutes=body.minutes
    )


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    url: str = Field(..., description="下载地址（页面地址，登录后可用，下载留痕）")


def document_out(document: Document) -> dict[str, object]:
    return {
        "id": document.pk,
        "name": document.name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_by": document.uploaded_by.display_name,
        "uploaded_at": document.uploaded_at,
        "url": f"/rooms/{document.room.number}/documents/{document.pk}/",
    }


@rooms_router.get("/rooms/{room_id}/documents", response={200: list[DocumentOut], **ERRORS})
def room_documents(request: StaffRequest, room_id: str) -> list[dict[str, object]]:
    """会议材料。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return [document_out(d) for d in room.documents.select_related("uploaded_by", "room")]


@rooms_router.post("/rooms/{room_id}/documents", response={201: DocumentOut, **ERRORS})
def room_document_add(request: StaffRequest, room_id: str, file: File[UploadedFile]) -> Status:
    """上传会议材料（主持人或参会工作人员；multipart 的 `file`，类型按内容判断）。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return Status(
        201, document_out(meetings.document_add(actor=request.user, room=room, upload=file))
    )


class RoomNoteIn(Schema):
    text: str = Field(..., max_length=recording.NOTE_MAX)


class RoomNoteOut(Schema):
    text: str
    offset_s: float | None = Field(..., description="录制中所记：在录像中的秒数")
    at: datetime


@rooms_router.post("/rooms/{room_id}/notes", response={201: RoomNoteOut, **ERRORS})
def room_note(request: StaffRequest, room_id: str, body: RoomNoteIn) -> Status:
    """主持人或受邀工作人员的记录；录制中所记带录像时间点。"""
    room = selectors.room_get(user=request.user, number=room_id)
    return Status(201, recording.room_note(actor=request.user, room=room, text=body.text))


class JanusAuth(HttpBasicAuth):
    """Janus's event handler signs in with the user and secret of its configuration."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> bool:
        secret = settings.JANUS_EVENTS_SECRET
        return bool(secret) and hmac.compare_digest(password, secret)


@rooms_router.post(
    "/rooms/janus-events", auth=JanusAuth(), include_in_schema=False, response={204: None}
)
def janus_events(request: HttpRequest) -> Status:
    try:
        events = json.loads(request.body or b"[]")
    except ValueError:
        events = []
    attendance.janus_events(events if isinstance(events, list) else [events])
    return Status(204, None)
