"""The shapes of the leader reception API (/api/v1/receptions/...): what a client sends
(`Input` subclasses, strict) and what it gets back. Every list answers keyset pages
`{items, next_cursor}` (`zhili.core.dossier.api`)."""

from datetime import date, datetime, time
from typing import Annotated

from ninja import Field, Schema

from zhili.core.dates import Day
from zhili.core.dossier.api import DossierHistoryOut, PageQuery, page_schema
from zhili.core.schemas import Input
from zhili.orgs.api import OrgRef
from zhili.receptions.selectors import MAX_ID

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


class PersonRef(Schema):
    username: str
    name: str


# --- rota -------------------------------------------------------------------------------------


class RotaDayOut(Schema):
    id: int
    date: date
    organization: OrgRef
    leader: PersonRef
    place: str
    starts_at: time
    ends_at: time
    slots: int
    note: str


RotaDayPageOut = page_schema(RotaDayOut, "RotaDayPageOut")


class RotaIn(Input):
    organization: str = Field(..., max_length=40, description="接访中心编码（县或乡镇综治中心）")
    date: Day = Field(..., description="接访日期（工作日）")
    leader: str = Field(..., max_length=150, description="接访领导的用户名")
    place: str = Field("", max_length=100, description="接访地点，空则用默认地点")
    starts_at: time | None = Field(None, description="开始时间")
    ends_at: time | None = Field(None, description="结束时间")
    slots: int | None = Field(None, ge=1, le=50, description="预约名额")
    note: str = Field("", max_length=200)


class RotaQuery(PageQuery):
    """Newest arrangement first (the order in which the days were put on the rota)."""

    organization: str = Field("", max_length=40, description="接访中心编码")
    start: Day | None = Field(None, description="起始日期，默认本月1日")
    end: Day | None = Field(None, description="截止日期，默认起始日期后一个月")


# --- appointments -----------------------------------------------------------------------------


class AppointmentOut(Schema):
    id: int
    number: str = Field("", description="预约编号（一案一码）")
    rota_day: int
    date: date
    leader: PersonRef
    slot_time: time
    state: str
    state_label: str
    who: str
    phone: str = Field(..., description="来访人电话（脱敏）")
    people_count: int
    subject: str
    petition: str | None
    note: str
    cancel_reason: str
    booking_unit: OrgRef | None = Field(
        None, description="预约单位：乡镇、村（社区）综治中心为本地信访人预约视频接访时"
    )
    waiting_room: str = Field("", description="候访地点")
    called_at: datetime | None = Field(None, description="叫号时间")


AppointmentPageOut = page_schema(AppointmentOut, "AppointmentPageOut")


class VideoRecordingOut(Schema):
    room: str = Field(..., description="视频接访室编号")
    started_at: datetime
    stopped_at: datetime | None
    state: str = Field(..., description="recording 录制中，converting 转换中，ready，failed")
    state_label: str
    progress: int = Field(..., description="转换进度（%）")
    duration_s: float = Field(..., description="时长（秒，转换完成后）")
    sha256: str = Field(..., description="MP4 文件的 SHA-256（转换完成后）")
    url: str = Field(..., description="MP4 下载地址（转换完成后）")


class AppointmentDetailOut(AppointmentOut):
    actions: list[str] = Field(..., description="当前用户现在可执行的操作")
    history: list[DossierHistoryOut]
    recordings: list[VideoRecordingOut] = Field(
        ..., description="视频接访的录像，与预约页面所列相同：最近的视频接访室在前，同室按开始时间"
    )


class AppointmentQuery(PageQuery):
    """Newest booking first."""

    rota_day: int | None = Field(None, ge=1, le=MAX_ID)
    state: str = Field("", description="booked / received / cancelled / no_show")
    start: Day | None = None
    end: Day | None = None


class BookIn(Input):
    rota_day: int = Field(..., ge=1, le=MAX_ID, description="接访日编号")
    slot_time: time = Field(..., description="预约时间，须在接访时段内")
    subject: str = Field("", max_length=200, description="反映事项（有信访事项时可空）")
    petition: str = Field("", max_length=30, description="信访事项编号")
    petitioners: list[RowId] = Field(
        default_factory=list, max_length=50, description="已登记信访人的编号"
    )
    visitor_name: str = Field("", max_length=50, description="未登记来访人的姓名")
    visitor_phone: str = Field("", max_length=20, description="未登记来访人的电话")
    people_count: int | None = Field(None, ge=1, le=200)
    note: str = Field("", max_length=500)
    waiting_room: str = Field(
        "",
        max_length=100,
        description="候访地点：乡镇、村（社区）预约县领导视频接访时，信访人所在的接访室（默认本中心视频接访室）",
    )


class CancelIn(Input):
    reason: str = Field(..., max_length=500, description="取消原因")


class NoShowIn(Input):
    note: str = Field("", max_length=500)


class AppointmentActionIn(Input):
    """The input of an action: cancel reads a reason, no_show a note, receive the record of
    the reception (as `POST /receptions/records`, without appointment and rota_day)."""

    reason: str | None = Field(None, max_length=500, description="取消原因（cancel）")
    note: str | None = Field(None, max_length=500, description="说明（no_show）")
    mode: str | None = Field(None, max_length=20, description="in_person / video（receive）")
    request: str | None = Field(None, max_length=5000, description="来访诉求（receive）")
    decision: str | None = Field(None, max_length=5000, description="处理意见（receive）")
    petition: str | None = Field(None, max_length=30, description="信访事项编号（receive）")
    visitor_name: str | None = Field(None, max_length=50)
    visitor_phone: str | None = Field(None, max_length=20)
    people_count: int | None = Field(None, ge=1, le=200)
    departments: list[str] | None = Field(None, max_length=20, description="联合接访部门编码")
    staff: list[str] | None = Field(None, max_length=20, description="陪同人员用户名")
    assigned_unit: str | None = Field(None, max_length=40, description="责任单位编码")
    deadline: Day | None = Field(None, description="办理时限")
    video_room: str | None = Field(None, max_length=100, description="视频会议室")


# --- reception records ------------------------------------------------------------------------


class ReceptionOut(Schema):
    id: int
    appointment: int | None
    rota_day: int | None
    leader: PersonRef
    organization: OrgRef
    received_at: datetime
    mode: str
    mode_label: str
    video_room: str
    departments: list[OrgRef]
    who: str
    people_count: int
    petition: str | None
    request: str
    decision: str
    assigned_unit: OrgRef | None
    deadline: date | None


ReceptionPageOut = page_schema(ReceptionOut, "ReceptionPageOut")


class ReceptionIn(Input):
    appointment: int | None = Field(None, ge=1, le=MAX_ID, description="预约编号（预约接访）")
    rota_day: int | None = Field(None, ge=1, le=MAX_ID, description="接访日编号（当日来访）")
    mode: str = Field(..., max_length=20, description="in_person 现场 / video 视频")
    request: str = Field(..., max_length=5000, description="来访诉求")
    decision: str = Field(..., max_length=5000, description="处理意见")
    petition: str = Field("", max_length=30, description="信访事项编号")
    visitor_name: str = Field("", max_length=50)
    visitor_phone: str = Field("", max_length=20)
    people_count: int | None = Field(None, ge=1, le=200)
    departments: list[str] = Field(
        default_factory=list, max_length=20, description="联合接访部门编码"
    )
    staff: list[str] = Field(default_factory=list, max_length=20, description="陪同人员用户名")
    assigned_unit: str = Field("", max_length=40, description="责任单位编码")
    deadline: Day | None = Field(None, description="办理时限")
    video_room: str = Field("", max_length=100, description="视频会议室（视频接访）")


class ReceptionQuery(PageQuery):
    """Newest reception first."""

    leader: str = Field("", max_length=150, description="接访领导用户名")
    start: Day | None = None
    end: Day | None = None


# --- ownership (包案) -------------------------------------------------------------------------


class NoteOut(Schema):
    action: str
    note: str
    actor: str | None
    created_at: datetime


class OwnershipOut(Schema):
    id: int
    leader: PersonRef
    petition: str
    petition_title: str
    petition_state: str
    handle_due: datetime | None
    since: date
    target_date: date
    state: str
    state_label: str
    overdue: bool
    resolved_at: datetime | None
    resolution: str
    notes: list[NoteOut]


OwnershipPageOut = page_schema(OwnershipOut, "OwnershipPageOut")


class OwnershipIn(Input):
    leader: str = Field(
        ...,
        max_length=150,
        description="包案领导用户名：县级信访事项为县领导，乡镇办理的信访事项为该乡镇党委（政法委）书记",
    )
    petition: str = Field(..., max_length=30, description="信访事项编号")
    target_date: Day = Field(..., description="化解目标日期")
    note: str = Field("", max_length=2000)


class OwnershipQuery(PageQuery):
    """Newest 包案 first."""

    leader: str = Field("", max_length=150, description="包案领导用户名")
    state: str = Field("", description="active / resolved")
    overdue: bool = Field(False, description="只看超期未化解的")


class ProgressIn(Input):
    note: str = Field(..., max_length=2000, description="进展情况")


class ResolveIn(Input):
    resolution: str = Field(..., max_length=2000, description="化解情况")
