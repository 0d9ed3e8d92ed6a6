"""The cameras API: the scoped register, listed by keyset pages and read one by one.
Endpoints hold no rules: reads go through `selectors` (out of sight is 404). Stream addresses
and credentials are never part of an answer."""

from dataclasses import asdict
from datetime import datetime

from ninja import Field, Query, Router, Schema, Status
from pydantic import AnyUrl

from zhili.core.dossier.api import NearPageQuery, near_query_page, page_schema
from zhili.core.schemas import ERRORS, ErrorOut
from zhili.orgs.api import OrgRef
from zhili.orgs.auth import StaffRequest
from zhili.video import live, playback, selectors
from zhili.video.models import Camera, CameraGroup, CameraKind, CameraStatus, Protocol, Quality

cameras_router = Router(tags=["治安监控"])


class CameraOut(Schema):
    code: str = Field(..., description="20 位 GB/T 28181 编码")
    name: str
    kind: CameraKind
    lat: float | None = Field(..., description="纬度（WGS84）；未标注位置为 null")
    lng: float | None
    owner: OrgRef
    status: CameraStatus
    ptz: bool = Field(..., description="是否支持云台控制")


class GridRef(Schema):
    code: str
    name: str


class CameraDetailOut(CameraOut):
    grid: GridRef | None
    protocol: Protocol
    last_seen_at: datetime | None
    shares_stream_of: str | None = Field(
        ..., description="演示点位共用其视频流的点位编码；有自己的视频流为 null"
    )


CameraPageOut = page_schema(CameraOut, "CameraPageOut")


class CameraQuery(NearPageQuery):
    kind: CameraKind | None = None
    status: CameraStatus | None = None
    township: str = Field("", max_length=40, description="乡镇（街道）综治中心编码")
    village: str = Field("", max_length=40, description="村（社区）综治中心编码")
    q: str = Field("", max_length=100, description="名称或编码")


def camera_out(camera: Camera) -> dict[str, object]:
    return {
        "code": camera.code,
        "name": camera.name,
        "kind": camera.kind,
        "lat": camera.lat,
        "lng": camera.lng,
        "owner": {"code": camera.owner.code, "name": camera.owner.name},
        "status": camera.status,
        "ptz": camera.ptz,
    }


def camera_detail_out(camera: Camera) -> dict[str, object]:
    grid = camera.grid
    shared = camera.shares_stream_of
    return {
        **camera_out(camera),
        "grid": {"code": grid.code, "name": grid.name} if grid else None,
        "protocol": camera.protocol,
        "last_seen_at": camera.last_seen_at,
        "shares_stream_of": shared.code if shared else None,
    }


@cameras_router.get("/cameras", response={200: CameraPageOut, **ERRORS})
def camera_list(request: StaffRequest, query: Query[CameraQuery]) -> dict[str, object]:
    """监控点位列表（按可见范围）。near 给出时由近及远，否则按登记时间由新到旧。"""
    filters = selectors.CameraFilters(
        kind=query.kind or "",
        status=query.status or "",
        township=query.township,
        village=query.village,
        q=query.q,
    )
    rows = selectors.camera_list(user=request.user, filters=filters)
    return near_query_page(rows, query, camera_out, field="created_at")


@cameras_router.get("/cameras/{code}", response={200: CameraDetailOut, **ERRORS})
def camera_detail(request: StaffRequest, code: str) -> dict[str, object]:
    """一个监控点位；不存在或不在可见范围内为 404。"""
    return camera_detail_out(selectors.camera_get(user=request.user, code=code))


# --- live view ----------------------------------------------------------------------------------


class LiveIn(Schema):
    quality: Quality = Field(
        Quality.MAIN, description="main：主码流（单画面）；sub：子码流（视频墙）"
    )


class LiveOut(Schema):
    gateway: AnyUrl = Field(..., description="视频网关（Janus）的 WebSocket 地址")
    stream_id: int = Field(..., description="Janus Streaming 挂载点编号")
    token: str = Field(..., description="短时令牌，用于连接网关")
    expires_at: datetime
    view_id: int = Field(..., description="本次观看记录；播放期间每 15 秒 beat 一次，结束时 stop")
    quality: Quality
    shares_stream_of: str | None = Field(..., description="共用其视频流的点位编码（演示）")


class GatewayTokenOut(Schema):
    token: str
    expires_at: datetime


LIVE_ERRORS = {**ERRORS, 503: ErrorOut}


@cameras_router.post("/cameras/{code}/live", response={200: LiveOut, **LIVE_ERRORS})
def camera_live(request: StaffRequest, code: str, body: LiveIn | None = None) -> live.Ticket:
    """打开实时视频：按需创建网关挂载点（同一点位的观看者共用一路拉流），返回网关地址与短时令牌。
    离线为 409 camera_offline；拉流失败为 409 stream_timeout；网关未运行为 503 gateway_unavailable。"""
    camera = selectors.camera_get(user=request.user, code=code)
    quality = body.quality if body else Quality.MAIN
    return live.live_open(actor=request.user, camera=camera, quality=quality)


@cameras_router.post("/camera-views/{view_id}/beat", response={200: GatewayTokenOut, **ERRORS})
def camera_view_beat(request: StaffRequest, view_id: int) -> dict[str, object]:
    """播放中的心跳（每 15 秒）：返回新的网关令牌。45 秒无心跳的观看视为结束。"""
    token, expires_at = live.view_beat(actor=request.user, view_id=view_id)
    return {"token": token, "expires_at": expires_at}


@cameras_router.post("/camera-views/{view_id}/stop", response={204: None, **ERRORS})
def camera_view_stop(request: StaffRequest, view_id: int) -> Status:
    """结束观看（离开页面、关闭画面）：最后一位观看者离开后，拉流在设定时间（默认 60 秒）后关闭。"""
    live.view_stop(actor=request.user, view_id=view_id)
    return Status(204, None)


# --- recorded video (GB/T 28181 §9.7, §9.8) -----------------------------------------------


class SpanQuery(Schema):
    start: datetime = Field(..., description="开始时间（ISO 8601；不带时区按北京时间）")
    end: datetime = Field(..., description="结束时间，晚于开始时间，时间段不超过 24 小时")


class RecordingOut(Schema):
    start: datetime
    end: datetime
    name: str = Field(..., description="设备上的录像文件名")
    type: str = Field(..., description="录像类型：time 定时、alarm 报警、manual 手动")


class RecordingsOut(Schema):
    items: list[RecordingOut] = Field(..., description="时间段内的录像，按开始时间排序")
    count: int


class PlaybackOut(LiveOut):
    start: datetime
    end: datetime


@cameras_router.get("/cameras/{code}/recordings", response={200: RecordingsOut, **LIVE_ERRORS})
def camera_recordings(
    request: StaffRequest, code: str, query: Query[SpanQuery]
) -> dict[str, object]:
    """设备录像检索（GB/T 28181 RecordInfo）：向国标设备查询时间段内的录像文件，合并设备分多条返回的结果。
    非国标点位为 409 playback_unsupported；离线为 409 camera_offline；设备未按时答复为 409 record_timeout；
    国标信令服务未运行为 503 gateway_unavailable。"""
    camera = selectors.camera_get(user=request.user, code=code)
    found = playback.recordings(actor=request.user, camera=camera, start=query.start, end=query.end)
    return {"items": found, "count": len(found)}


@cameras_router.post("/cameras/{code}/playback", response={200: PlaybackOut, **LIVE_ERRORS})
def camera_playback(request: StaffRequest, code: str, body: SpanQuery) -> dict[str, object]:
    """录像回放（GB/T 28181 Playback）：为本次观看创建网关挂载点并请设备推送该时间段的录像，返回网关地址与短时令牌；
    其后心跳与结束同实时视频（camera-views）。错误同录像检索。"""
    camera = selectors.camera_get(user=request.user, code=code)
    ticket = playback.playback_open(
        actor=request.user, camera=camera, start=body.start, end=body.end
    )
    start, end = playback.span_check(body.start, body.end)
    return {**asdict(ticket), "start": start, "end": end}


class PlaybackControlIn(Schema):
    action: str = Field(..., description="pause 暂停；resume 继续；seek 跳转；speed 倍速")
    position: float | None = Field(
        None, description="seek：跳转到回放时间段开始后的第几秒（0 至时长减 1）"
    )
    scale: float | None = Field(None, description="speed：倍速，0.25、0.5、1、2、4 之一")


class PlayheadOut(Schema):
    position: float = Field(..., description="当前位置：回放时间段开始后的秒数")
    at: datetime = Field(..., description="当前位置对应的录像时间")
    scale: float = Field(..., description="当前倍速")
    paused: bool


@cameras_router.post(
    "/camera-views/{view_id}/playback-control", response={200: PlayheadOut, **LIVE_ERRORS}
)
def camera_playback_control(
    request: StaffRequest, view_id: int, body: PlaybackControlIn
) -> playback.Playhead:
    """录像回放控制（GB/T 28181 MANSRTSP）：暂停、继续、拖动到某一时刻、倍速播放，返回当前位置。
    不是本人的观看为 404；录像已播放完毕为 409 playback_ended；参数有误为 422，指明字段。"""
    return playback.playback_control(
        actor=request.user,
        view_id=view_id,
        action=body.action,
        position=body.position,
        scale=body.scale,
    )


class GroupOut(Schema):
    id: int
    name: str = Field(..., description="业务分组名称，如 学校周边、重点路口")
    description: str
    owner: OrgRef
    online: int = Field(..., description="分组中当前用户可查看且在线的点位数")
    total: int = Field(..., description="分组中当前用户可查看的点位数")


class GroupDetailOut(GroupOut):
    cameras: list[CameraOut] = Field(..., description="当前用户可查看的点位，按编码排序")


def group_out(group: CameraGroup, online: int, total: int) -> dict[str, object]:
    return {
        "id": group.pk,
        "name": group.name,
        "description": group.description,
        "owner": {"code": group.owner.code, "name": group.owner.name},
        "online": online,
        "total": total,
    }


@cameras_router.get("/camera-groups", response={200: list[GroupOut], **ERRORS})
def group_list(request: StaffRequest) -> list[dict[str, object]]:
    """监控业务分组：本单位及下级单位的分组；点位数只计当前用户可查看的点位。"""
    rows = selectors.group_list(user=request.user)
    return [group_out(g, g.visible_online, g.visible_total) for g in rows]  # type: ignore[attr-defined]


@cameras_router.get("/camera-groups/{group_id}", response={200: GroupDetailOut, **ERRORS})
def group_detail(request: StaffRequest, group_id: int) -> dict[str, object]:
    """一个业务分组及其中当前用户可查看的点位（视频墙轮巡用）；不存在或不在可见范围内为 404。"""
    group = selectors.group_get(user=request.user, pk=group_id)
    cameras = list(selectors.group_cameras(user=request.user, group=group))
    online = sum(1 for c in cameras if c.status == CameraStatus.ONLINE)
    return {**group_out(group, online, len(cameras)), "cameras": [camera_out(c) for c in cameras]}


class PtzIn(Schema):
    command: live.PtzCommand = Field(
        ..., description="left、right、up、down、zoom_in、zoom_out、stop"
    )
    speed: int = Field(128, ge=1, le=255, description="速度 1–255（变倍取其高 4 位）")


@cameras_router.post("/cameras/{code}/ptz", response={204: None, **LIVE_ERRORS})
def camera_ptz(request: StaffRequest, code: str, body: PtzIn) -> Status:
    """云台控制：按住方向时发送方向指令，松开时发送 stop。无云台或非国标点位为 409 ptz_unsupported；
    离线为 409 camera_offline；国标信令服务未运行为 503 gateway_unavailable。"""
    camera = selectors.camera_get(user=request.user, code=code)
    live.camera_ptz(actor=request.user, camera=camera, command=body.command, speed=body.speed)
    return Status(204, None)
