"""The shapes of the cases API's input and output (ninja schemas), as OpenAPI shows them."""

from datetime import datetime
from enum import Enum, StrEnum
from typing import Any

from ninja import Field, Schema

from zhili.cases import workflow
from zhili.cases.models import AssistState, Card, Channel, LimitUnit, Rating, State, Urgency
from zhili.core.dates import Moment
from zhili.core.schemas import Input
from zhili.orgs.api import Day, OrgRef

MAX_PAGE = 200

ActionName = Enum("ActionName", {name: name for name in workflow.ALL_TRANSITIONS}, type=str)  # type: ignore[misc]


PROVISIONAL_NOTE = (
    "true 表示时限经过节假日安排尚未公布的年份，按周末和法定节假日临时计算；"
    "该年安排录入后自动重新计算"
)


class LimitOut(Schema):
    amount: int
    unit: LimitUnit
    unit_label: str


class TimeLimitOut(Schema):
    urgency: Urgency
    acknowledge: LimitOut = Field(..., description="签收时限")
    handle: LimitOut = Field(..., description="办理时限（办结时限）")


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None = Field(None, description="上级分类编码")
    depth: int
    default_urgency: Urgency
    time_limits: list[TimeLimitOut] = Field(..., description="各紧急程度适用的时限")


class CaseIn(Input):
    category: str = Field(..., min_length=1, max_length=40, description="事项分类编码")
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000, description="诉求内容")
    lat: float | None = Field(None, ge=-90, le=90, description="纬度（WGS84）")
    lng: float | None = Field(None, ge=-180, le=180, description="经度（WGS84）")
    address: str = Field("", max_length=300)
    urgency: Urgency | None = Field(None, description="紧急程度；省略时取分类的默认值")
    reporter_name: str = Field("", max_length=50)
    reporter_phone: str = Field("", max_length=20)
    channel: Channel = Field(Channel.HOTLINE, description="来源渠道")
    anonymous: bool = False


class CaseCreatedOut(Schema):
    case_no: str
    state: State
    state_label: str
    handling_unit: OrgRef | None = Field(
        ..., description="权责清单匹配的承办单位；未匹配时为 null，由分拨中心人工派单"
    )
    dispatch_center: OrgRef = Field(..., description="负责分拨的综治中心")
    grid: OrgRef | None
    village: OrgRef | None
    township: OrgRef | None
    urgency: Urgency
    acknowledge_due_at: datetime | None = Field(
        ..., description="签收时限：若现在派单应在此前签收（派单时正式起算）"
    )
    due_at: datetime | None = Field(
        ..., description="办结时限：若现在派单应在此前办结（派单时正式起算）"
    )
    due_at_projected: bool = Field(
        ..., description="true 表示时限按“现在派单”推算，工单尚未派单、时钟尚未起算"
    )
    due_provisional: bool = Field(..., description=PROVISIONAL_NOTE)
    routing: str = Field(..., description="分拨依据（路由说明）")
    out_of_area: bool = Field(..., description="位置不在本县任何网格内")


class View(StrEnum):
    ALL = "all"
    WORKBENCH = "workbench"
    INBOX = "inbox"


class CaseQuery(Input):
    state: list[str] = Field(
        default_factory=list, description="状态，可重复或以逗号分隔（如 registered,returned）"
    )
    category: str = Field("", description="事项分类编码（含下级分类）")
    township: str = Field("", description="乡镇（街道）综治中心编码")
    channel: Channel | None = None
    urgency: Urgency | None = None
    card: str = Field("", pattern="^(|yellow|red|any)$", description="yellow、red 或 any")
    unit: str = Field("", description="主办单位编码")
    center: str = Field("", description="分拨中心编码")
    registered_from: Day | None = None
    registered_to: Day | None = None
    extension_pending: bool = False
    return_pending: bool = Field(False, description="只看有待审批退单申请（申请退单）的工单")
    q: str = Field("", max_length=50, description="工单编号，或标题与诉求内容中的词语（全文检索）")
    mine: bool = Field(False, description="只看本人上报（受理登记）的工单（我上报的）")
    view: View = Field(
        View.ALL,
        description="all：可见的全部；workbench：本分拨中心持有的工单；inbox：派给本单位的工单",
    )
    bucket: str = Field(
        "",
        description="工作台或收件箱的分栏（见 GET /cases/buckets）；收件箱的 assist 为本单位的协办任务",
    )
    cursor: str = Field("", description="上一页返回的 next_cursor")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class CaseItemOut(Schema):
    case_no: str
    title: str
    state: State
    state_label: str
    channel: Channel
    urgency: Urgency
    category: OrgRef
    township: OrgRef | None
    dispatch_center: OrgRef
    handling_unit: OrgRef | None = Field(..., description="主办单位；未派单时为建议承办单位")
    dispatched: bool
    card: Card
    due_at: datetime | None
    due_provisional: bool = Field(..., description=PROVISIONAL_NOTE)
    extension_pending: bool
    return_pending: bool = Field(..., description="承办单位申请退单，待分拨中心审批")
    reporter_name: str
    reporter_phone: str = Field(..., description="已脱敏")
    out_of_area: bool
    registered_at: datetime


class CasePageOut(Schema):
    items: list[CaseItemOut]
    next_cursor: str | None = Field(..., description="下一页游标；为 null 表示没有更多")


class BucketOut(Schema):
    key: str
    label: str
    count: int


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_by: str | None
    uploaded_at: datetime
    url: str = Field(..., description="下载地址（需登录，按可见范围）")


class TimelineOut(Schema):
    action: str
    label: str
    from_state: str
    from_state_label: str
    to_state: str
    to_state_label: str
    actor: str | None = Field(..., description="操作人姓名")
    unit: OrgRef | None = Field(..., description="操作人所在单位")
    note: str
    data: dict[str, Any]
    at: datetime
    attachments: list[AttachmentOut]


class CaseAssistOut(Schema):
    """An assisting unit's task (协办任务)."""

    unit: OrgRef = Field(..., description="协办单位")
    state: AssistState
    state_label: str
    dispatched_at: datetime | None
    due_at: datetime | None = Field(..., description="协办时限（不晚于主办单位的办结时限）")
    due_provisional: bool = Field(..., description=PROVISIONAL_NOTE)
    acknowledged_at: datetime | None
    replied_at: datetime | None
    reply: str = Field(..., description="协办意见")
    replied_by: str | None
    late: bool = Field(..., description="逾期反馈，或已过协办时限仍未反馈")


class ActionOut(Schema):
    name: str
    label: str
    needs_reason: bool


class RoutingOut(Schema):
    explanation: str
    suggested_unit: OrgRef | None
    rule_id: int | None


class CaseOut(Schema):
    case_no: str
    channel: Channel
    channel_label: str
    category: OrgRef
    title: str
    description: str
    urgency: Urgency
    urgency_label: str
    lat: float | None
    lng: float | None
    address: str
    grid: OrgRef | None
    village: OrgRef | None
    township: OrgRef | None
    out_of_area: bool
    reporter_name: str
    reporter_phone: str = Field(..., description="已脱敏；完整号码经 reveal-phone 查看（留痕）")
    can_reveal_phone: bool
    anonymous: bool
    state: State
    state_label: str
    state_before_suspend: str
    dispatch_center: OrgRef
    handling_unit: OrgRef | None = Field(..., description="主办单位；未派单时为 null")
    assisting_units: list[OrgRef] = Field(..., description="协办单位（不含已撤销的协办任务）")
    assists: list[CaseAssistOut] = Field(..., description="各协办单位的协办任务")
    routing: RoutingOut
    registered_at: datetime
    registered_by: str | None
    dispatched_at: datetime | None
    acknowledged_at: datetime | None
    replied_at: datetime | None
    closed_at: datetime | None
    rated_at: datetime | None
    acknowledge_due_at: datetime | None = Field(..., description="签收时限（派单时起算）")
    due_at: datetime | None = Field(..., description="办结时限（派单时起算；批准延期后顺延）")
    due_provisional: bool = Field(..., description=PROVISIONAL_NOTE)
    warn_at: datetime | None = Field(..., description="黄牌预警时间（已用80%时限）")
    card: Card
    card_label: str
    card_at: datetime | None
    extension_requested_until: datetime | None
    extension_reason: str
    extended: bool
    return_requested_at: datetime | None = Field(..., description="申请退单时间（待审批）")
    return_reason: str = Field(..., description="退单理由")
    suspended_at: datetime | None
    reply: str
    rating: Rating | None
    rating_label: str
    rating_comment: str
    reopen_count: int
    returned_count: int
    sent_back_count: int = Field(..., description="审核退回次数")
    send_back_reason: str = Field(..., description="最近一次审核退回的理由（重新反馈后清空）")
    master: str | None = Field(..., description="被合并到的主工单编号")
    duplicates: list[str] = Field(..., description="合并到本工单的重复件编号")
    attachments: list[AttachmentOut]
    timeline: list[TimelineOut]
    actions: list[ActionOut] = Field(..., description="当前用户现在可以执行的操作")


class ActionIn(Input):
    """Each action reads the fields it needs; the others are ignored."""

    unit: str | None = Field(
        None,
        description="dispatch/reassign：承办单位编码；省略时用权责清单匹配的单位。"
        "assist_acknowledge/assist_reply：本单位管辖多个协办单位时指明其一",
    )
    assisting: list[str] = Field(
        default_factory=list, description="dispatch/reassign：协办单位编码"
    )
    assist_until: Moment | None = Field(
        None,
        description="dispatch/reassign：协办时限；省略时按主办时限的比例推算，不得晚于主办时限",
    )
    note: str = Field("", max_length=1000, description="备注")
    reply: str = Field("", max_length=5000, description="reply：办理结果；assist_reply：协办意见")
    rating: Rating | None = Field(None, description="rate：满意度")
    comment: str = Field("", max_length=500, description="rate：评价意见")
    reason: str = Field(
        "",
        max_length=1000,
        description="return、request_return、refuse_return、send_back、escalate、suspend、"
        "request_extension、refuse_extension、reopen 的理由（必填）",
    )
    until: Moment | None = Field(None, description="request_extension：申请延期至")
    township: str | None = Field(None, description="assign_down：乡镇（街道）综治中心编码")
    master: str | None = Field(None, description="merge：主工单编号")


class ActionResultOut(Schema):
    action: str
    state: State
    state_label: str
    case: CaseOut


class PhoneOut(Schema):
    reporter_phone: str
