"""The cases API (事件工单): catalog, intake, scoped lists and details, every transition,
attachments and the audited reveal of a reporter's phone.

Endpoints hold no rules: reads go through `selectors` (out of scope is 404), writes through
`services` (which raise `zhili.core.errors` exceptions, turned into JSON by `zhili.api`).
"""

from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from ninja import Body, Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhili.cases import deadlines, selectors, services, workflow
from zhili.cases.models import (
    Card,
    Case,
    CaseAttachment,
    CaseEvent,
    Category,
    Channel,
    LimitUnit,
    Rating,
    State,
    Urgency,
)
from zhili.core.errors import InvalidInput, NotFound
from zhili.core.personal import mask_phone, personal_data_reveal
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.orgs.api import ErrorOut, OrgRef
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Grid, Organization

cases_router = Router(tags=["事件工单"])

ERRORS: dict[int, type[ErrorOut]] = {code: ErrorOut for code in (401, 403, 404, 409, 422)}
MAX_PAGE = 200

ActionName = Enum("ActionName", {name: name for name in workflow.TRANSITIONS}, type=str)  # type: ignore[misc]

TIMELINE_LABELS = {"register": "受理", "attach": "上传附件", "card": "亮牌"}


def org_ref(org: Organization | Grid | None, *, area: bool = False) -> dict[str, str] | None:
    if org is None:
        return None
    if area and isinstance(org, Organization):
        return {"code": org.code, "name": org.display_area}
    return {"code": org.code, "name": org.name}


def label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


# --- catalog --------------------------------------------------------------------------------


class LimitOut(Schema):
    amount: int
    unit: LimitUnit
    unit_label: str


class TimeLimitOut(Schema):
    urgency: Urgency
    acknowledge: LimitOut = Field(..., description="签收时限")
    handle: LimitOut = Field(..., description="办理时限(办结时限)")


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None = Field(None, description="上级分类编码")
    depth: int
    default_urgency: Urgency
    time_limits: list[TimeLimitOut] = Field(..., description="各紧急程度适用的时限")


def limit_out(limit: deadlines.Limit) -> dict[str, Any]:
    return {"amount": limit.amount, "unit": limit.unit, "unit_label": label(LimitUnit, limit.unit)}


def category_out(category: Category) -> dict[str, Any]:
    limits = []
    for urgency in Urgency.values:
        applied = deadlines.limits_for(category, urgency)
        limits.append(
            {
                "urgency": urgency,
                "acknowledge": limit_out(applied.acknowledge),
                "handle": limit_out(applied.handle),
            }
        )
    return {
        "code": category.code,
        "name": category.name,
        "parent": category.parent.code if category.parent else None,
        "depth": category.depth,
        "default_urgency": category.default_urgency,
        "time_limits": limits,
    }


@cases_router.get("/case-categories", response={200: list[CategoryOut], 401: ErrorOut})
def category_list(request: StaffRequest) -> Any:
    """派单目录(事项分类树,按路径排序),含默认紧急程度及各紧急程度适用的时限。"""
    return [category_out(c) for c in selectors.category_list()]


# --- intake ---------------------------------------------------------------------------------


class CaseIn(Schema):
    category: str = Field(..., min_length=1, max_length=40, description="事项分类编码")
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000, description="诉求内容")
    lat: float | None = Field(None, ge=-90, le=90, description="纬度(WGS84)")
    lng: float | None = Field(None, ge=-180, le=180, description="经度(WGS84)")
    address: str = Field("", max_length=300)
    urgency: Urgency | None = Field(None, description="紧急程度;省略时取分类的默认值")
    reporter_name: str = Field("", max_length=50)
    reporter_phone: str = Field("", max_length=20)
    channel: Channel = Field(Channel.HOTLINE, description="来源渠道")
    anonymous: bool = False


class CaseCreatedOut(Schema):
    case_no: str
    state: State
    state_label: str
    handling_unit: OrgRef | None = Field(
        ..., description="权责清单匹配的承办单位;未匹配时为 null,由分拨中心人工派单"
    )
    dispatch_center: OrgRef = Field(..., description="负责分拨的综治中心")
    grid: OrgRef | None
    village: OrgRef | None
    township: OrgRef | None
    urgency: Urgency
    acknowledge_due_at: datetime | None = Field(
        ..., description="签收时限:若现在派单应在此前签收(派单时正式起算)"
    )
    due_at: datetime | None = Field(
        ..., description="办结时限:若现在派单应在此前办结(派单时正式起算)"
    )
    due_at_projected: bool = Field(
        ..., description="true 表示时限按“现在派单”推算,工单尚未派单、时钟尚未起算"
    )
    routing: str = Field(..., description="分拨依据(路由说明)")
    out_of_area: bool = Field(..., description="位置不在本县任何网格内")


def created_out(case: Case) -> dict[str, Any]:
    projected = case.due_at is None
    acknowledge_due: datetime | None
    due: datetime | None
    if projected:
        clock = deadlines.start_clock(case.category, case.urgency, timezone.now())
        acknowledge_due, due = clock.acknowledge_due_at, clock.due_at
    else:
        acknowledge_due, due = case.acknowledge_due_at, case.due_at
    return {
        "case_no": case.case_no,
        "state": case.state,
        "state_label": label(State, case.state),
        "handling_unit": org_ref(case.lead_unit or case.suggested_unit),
        "dispatch_center": org_ref(case.dispatch_center),
        "grid": org_ref(case.grid),
        "village": org_ref(case.village, area=True),
        "township": org_ref(case.township, area=True),
        "urgency": case.urgency,
        "acknowledge_due_at": acknowledge_due,
        "due_at": due,
        "due_at_projected": projected,
        "routing": case.routing_note,
        "out_of_area": case.out_of_area,
    }


@cases_router.post("/cases", response={201: CaseCreatedOut, **ERRORS})
def case_create(request: StaffRequest, payload: CaseIn) -> Any:
    """受理一件事件:按事项分类与位置匹配权责清单,给出承办单位与分拨中心。"""
    intake = services.Intake(
        channel=payload.channel,
        category=selectors.category_get(payload.category),
        title=payload.title,
        description=payload.description,
        urgency=payload.urgency or "",
        lat=payload.lat,
        lng=payload.lng,
        address=payload.address,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        anonymous=payload.anonymous,
    )
    case = services.case_register(actor=request.user, intake=intake)
    return Status(201, created_out(case))


# --- lists ----------------------------------------------------------------------------------


class View(StrEnum):
    ALL = "all"
    WORKBENCH = "workbench"
    INBOX = "inbox"


BUCKETS = {View.WORKBENCH: selectors.WORKBENCH_BUCKETS, View.INBOX: selectors.INBOX_BUCKETS}


class CaseQuery(Schema):
    state: list[str] = Field(
        default_factory=list, description="状态,可重复或以逗号分隔(如 registered,returned)"
    )
    category: str = Field("", description="事项分类编码(含下级分类)")
    township: str = Field("", description="乡镇(街道)综治中心编码")
    channel: Channel | None = None
    urgency: Urgency | None = None
    card: str = Field("", pattern="^(|yellow|red|any)$", description="yellow、red 或 any")
    unit: str = Field("", description="主办单位编码")
    center: str = Field("", description="分拨中心编码")
    registered_from: date | None = None
    registered_to: date | None = None
    extension_pending: bool = False
    q: str = Field("", max_length=50, description="工单编号,或标题包含")
    view: View = Field(
        View.ALL,
        description="all:可见的全部;workbench:本分拨中心持有的工单;inbox:派给本单位的工单",
    )
    bucket: str = Field("", description="工作台或收件箱的分栏(见 GET /cases/buckets)")
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
    handling_unit: OrgRef | None = Field(..., description="主办单位;未派单时为建议承办单位")
    dispatched: bool
    card: Card
    due_at: datetime | None
    extension_pending: bool
    reporter_name: str
    reporter_phone: str = Field(..., description="已脱敏")
    out_of_area: bool
    registered_at: datetime


class CasePageOut(Schema):
    items: list[CaseItemOut]
    next_cursor: str | None = Field(..., description="下一页游标;为 null 表示没有更多")


def item_out(case: Case) -> dict[str, Any]:
    return {
        "case_no": case.case_no,
        "title": case.title,
        "state": case.state,
        "state_label": label(State, case.state),
        "channel": case.channel,
        "urgency": case.urgency,
        "category": {"code": case.category.code, "name": case.category.name},
        "township": org_ref(case.township, area=True),
        "dispatch_center": org_ref(case.dispatch_center),
        "handling_unit": org_ref(case.lead_unit or case.suggested_unit),
        "dispatched": case.lead_unit_id is not None,
        "card": case.card,
        "due_at": case.due_at,
        "extension_pending": case.extension_requested_until is not None,
        "reporter_name": case.reporter_name,
        "reporter_phone": mask_phone(case.reporter_phone),
        "out_of_area": case.out_of_area,
        "registered_at": case.registered_at,
    }


def _states(values: list[str]) -> tuple[str, ...]:
    states = tuple(s.strip() for value in values for s in value.split(",") if s.strip())
    unknown = [s for s in states if s not in State.values]
    if unknown:
        raise InvalidInput(f"未知的工单状态:{'、'.join(unknown)}", field="state")
    return states


def _base(user: Any, view: View) -> Any:
    if view == View.WORKBENCH:
        return selectors.workbench_cases(user=user)
    if view == View.INBOX:
        return selectors.inbox_cases(user=user)
    return selectors.case_list(user=user)


def _bucket(view: View, key: str) -> tuple[View, selectors.CaseFilters | None]:
    if not key:
        return view, None
    views = [view] if view != View.ALL else [View.WORKBENCH, View.INBOX]
    for candidate in views:
        if key in BUCKETS[candidate]:
            return candidate, BUCKETS[candidate][key][1]
    raise InvalidInput(f"未知的分栏:{key}", field="bucket")


@cases_router.get("/cases", response={200: CasePageOut, **ERRORS})
def case_list(request: StaffRequest, query: Query[CaseQuery]) -> Any:
    """可见范围内的工单,最新受理的在前,按游标分页(深页与首页一样快)。"""
    view, bucket = _bucket(query.view, query.bucket)
    qs = _base(request.user, view)
    if bucket is not None:
        qs = selectors.filter_cases(qs, bucket)
    filters = selectors.CaseFilters(
        states=_states(query.state),
        category=query.category,
        township=query.township,
        channel=query.channel or "",
        urgency=query.urgency or "",
        card=query.card,
        unit=query.unit,
        center=query.center,
        registered_from=query.registered_from,
        registered_to=query.registered_to,
        extension_pending=query.extension_pending,
        q=query.q,
    )
    qs = selectors.filter_cases(qs, filters)
    page = selectors.keyset_page(qs, cursor=query.cursor or None, size=query.limit)
    return {"items": [item_out(c) for c in page.items], "next_cursor": page.next_cursor}


class BucketOut(Schema):
    key: str
    label: str
    count: int


@cases_router.get("/cases/buckets", response={200: list[BucketOut], **ERRORS})
def case_buckets(request: StaffRequest, view: View = View.WORKBENCH) -> Any:
    """工作台(workbench)或收件箱(inbox)各分栏的工单数。"""
    if view == View.ALL:
        raise InvalidInput("view 只能是 workbench 或 inbox", field="view")
    buckets = BUCKETS[view]
    counts = selectors.bucket_counts(_base(request.user, view), buckets)
    return [{"key": k, "label": buckets[k][0], "count": n} for k, n in counts.items()]


# --- detail ---------------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_by: str | None
    uploaded_at: datetime
    url: str = Field(..., description="下载地址(需登录,按可见范围)")


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
    reporter_phone: str = Field(..., description="已脱敏;完整号码经 reveal-phone 查看(留痕)")
    can_reveal_phone: bool
    anonymous: bool
    state: State
    state_label: str
    state_before_suspend: str
    dispatch_center: OrgRef
    handling_unit: OrgRef | None = Field(..., description="主办单位;未派单时为 null")
    assisting_units: list[OrgRef]
    routing: RoutingOut
    registered_at: datetime
    registered_by: str | None
    dispatched_at: datetime | None
    acknowledged_at: datetime | None
    replied_at: datetime | None
    closed_at: datetime | None
    rated_at: datetime | None
    acknowledge_due_at: datetime | None = Field(..., description="签收时限(派单时起算)")
    due_at: datetime | None = Field(..., description="办结时限(派单时起算;批准延期后顺延)")
    warn_at: datetime | None = Field(..., description="黄牌预警时间(已用80%时限)")
    card: Card
    card_label: str
    card_at: datetime | None
    extension_requested_until: datetime | None
    extension_reason: str
    extended: bool
    suspended_at: datetime | None
    reply: str
    rating: Rating | None
    rating_label: str
    rating_comment: str
    reopen_count: int
    returned_count: int
    master: str | None = Field(..., description="被合并到的主工单编号")
    duplicates: list[str] = Field(..., description="合并到本工单的重复件编号")
    attachments: list[AttachmentOut]
    timeline: list[TimelineOut]
    actions: list[ActionOut] = Field(..., description="当前用户现在可以执行的操作")


def attachment_out(a: CaseAttachment, case_no: str) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.name,
        "content_type": a.content_type,
        "size": a.size,
        "uploaded_by": a.uploaded_by.display_name if a.uploaded_by else None,
        "uploaded_at": a.uploaded_at,
        "url": f"/api/v1/cases/{case_no}/attachments/{a.pk}",
    }


def timeline_out(event: CaseEvent, case_no: str) -> dict[str, Any]:
    transition = workflow.TRANSITIONS.get(event.action)
    return {
        "action": event.action,
        "label": transition.label
        if transition
        else TIMELINE_LABELS.get(event.action, event.action),
        "from_state": event.from_state,
        "from_state_label": label(State, event.from_state) if event.from_state else "",
        "to_state": event.to_state,
        "to_state_label": label(State, event.to_state),
        "actor": event.actor.display_name if event.actor else None,
        "unit": org_ref(event.actor_unit),
        "note": event.note,
        "data": event.data,
        "at": event.created_at,
        "attachments": [attachment_out(a, case_no) for a in event.attachments.all()],
    }


def detail_out(user: Any, case: Case) -> dict[str, Any]:
    no = case.case_no
    attachments = case.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")
    return {
        **{f: getattr(case, f) for f in DETAIL_FIELDS},
        "channel_label": label(Channel, case.channel),
        "category": {"code": case.category.code, "name": case.category.name},
        "urgency_label": label(Urgency, case.urgency),
        "grid": org_ref(case.grid),
        "village": org_ref(case.village, area=True),
        "township": org_ref(case.township, area=True),
        "reporter_phone": mask_phone(case.reporter_phone),
        "can_reveal_phone": bool(case.reporter_phone) and can(user, Action.PERSONAL_DATA_REVEAL),
        "state_label": label(State, case.state),
        "dispatch_center": org_ref(case.dispatch_center),
        "handling_unit": org_ref(case.lead_unit),
        "assisting_units": [org_ref(u) for u in case.assisting_units.order_by("code")],
        "routing": {
            "explanation": case.routing_note,
            "suggested_unit": org_ref(case.suggested_unit),
            "rule_id": case.routing_rule_id,
        },
        "registered_by": case.registered_by.display_name if case.registered_by else None,
        "card_label": label(Card, case.card) if case.card else "",
        "rating": case.rating or None,
        "rating_label": label(Rating, case.rating) if case.rating else "",
        "master": case.master.case_no if case.master else None,
        "duplicates": list(case.duplicates.order_by("id").values_list("case_no", flat=True)),
        "attachments": [attachment_out(a, no) for a in attachments],
        "timeline": [timeline_out(e, no) for e in selectors.case_timeline(case)],
        "actions": [
            {"name": t.name, "label": t.label, "needs_reason": t.needs_reason}
            for t in services.actions_for(user, case)
        ],
    }


DETAIL_FIELDS = [
    "case_no",
    "channel",
    "title",
    "description",
    "urgency",
    "lat",
    "lng",
    "address",
    "out_of_area",
    "reporter_name",
    "anonymous",
    "state",
    "state_before_suspend",
    "registered_at",
    "dispatched_at",
    "acknowledged_at",
    "replied_at",
    "closed_at",
    "rated_at",
    "acknowledge_due_at",
    "due_at",
    "warn_at",
    "card",
    "card_at",
    "extension_requested_until",
    "extension_reason",
    "extended",
    "suspended_at",
    "reply",
    "rating_comment",
    "reopen_count",
    "returned_count",
]


@cases_router.get("/cases/{case_no}", response={200: CaseOut, **ERRORS})
def case_detail(request: StaffRequest, case_no: str) -> Any:
    """工单详情:全部字段、时间线、分拨依据、时限与督办牌、当前用户可执行的操作。"""
    return detail_out(request.user, selectors.case_get(user=request.user, case_no=case_no))


# --- transitions ----------------------------------------------------------------------------


class ActionIn(Schema):
    """Each action reads the fields it needs; the others are ignored."""

    unit: str | None = Field(
        None, description="dispatch/reassign:承办单位编码;省略时用权责清单匹配的单位"
    )
    assisting: list[str] = Field(default_factory=list, description="dispatch/reassign:协办单位编码")
    note: str = Field("", max_length=1000, description="备注")
    reply: str = Field("", max_length=5000, description="reply:办理结果")
    rating: Rating | None = Field(None, description="rate:满意度")
    comment: str = Field("", max_length=500, description="rate:评价意见")
    reason: str = Field(
        "",
        max_length=1000,
        description="return、escalate、suspend、request_extension、refuse_extension、reopen 的理由(必填)",
    )
    until: datetime | None = Field(None, description="request_extension:申请延期至")
    township: str | None = Field(None, description="assign_down:乡镇(街道)综治中心编码")
    master: str | None = Field(None, description="merge:主工单编号")


class ActionResultOut(Schema):
    action: str
    state: State
    state_label: str
    case: CaseOut


ACTION_DOC = "、".join(f"{t.name}({t.label})" for t in workflow.TRANSITIONS.values())


@cases_router.post(
    "/cases/{case_no}/actions/{action}",
    response={200: ActionResultOut, **ERRORS},
    description=f"执行工单流转操作:{ACTION_DOC}。404:不在可见范围;403:角色或所在单位不能执行;"
    "409:当前状态不允许或已被他人处理;422:参数错误(field 指明字段)。",
)
def case_action(
    request: StaffRequest,
    case_no: str,
    action: ActionName,  # type: ignore[valid-type]
    payload: Body[ActionIn | None] = None,  # type: ignore[type-arg]
) -> Any:
    case = selectors.case_get(user=request.user, case_no=case_no)
    params = payload.dict() if payload is not None else {}
    params = {k: v for k, v in params.items() if v not in (None, "", [])}
    if "rating" in params:
        params["rating"] = str(params["rating"].value)
    case = services.case_act(actor=request.user, case=case, action=action.value, **params)
    return {
        "action": action.value,
        "state": case.state,
        "state_label": label(State, case.state),
        "case": detail_out(request.user, case),
    }


# --- attachments and personal data ----------------------------------------------------------


@cases_router.post("/cases/{case_no}/attachments", response={201: list[AttachmentOut], **ERRORS})
def case_attach(request: StaffRequest, case_no: str, file: File[list[UploadedFile]]) -> Any:
    """上传附件(字段名 file,可多个);类型按文件内容判断。"""
    case = selectors.case_get(user=request.user, case_no=case_no)
    added = services.case_attach(actor=request.user, case=case, files=file)
    return Status(201, [attachment_out(a, case.case_no) for a in added])


@cases_router.get(
    "/cases/{case_no}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "附件文件"}}},
)
def case_attachment_download(request: StaffRequest, case_no: str, attachment_id: int) -> Any:
    case = selectors.case_get(user=request.user, case_no=case_no)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("附件不存在")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


class PhoneOut(Schema):
    reporter_phone: str


@cases_router.post("/cases/{case_no}/reveal-phone", response={200: PhoneOut, **ERRORS})
def case_reveal_phone(request: StaffRequest, case_no: str) -> Any:
    """查看诉求人完整电话(需“查看完整个人信息”权限,留审计记录)。"""
    case = selectors.case_get(user=request.user, case_no=case_no)
    return {
        "reporter_phone": personal_data_reveal(
            actor=request.user, target=case, field="reporter_phone"
        )
    }
