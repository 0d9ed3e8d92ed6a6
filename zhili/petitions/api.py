"""The petitions API (/api/v1/petitions): scoped list and detail, registration, the workflow's
actions, the Word notices, and the key-petitioner register. Endpoints hold no rules: reads go
through `selectors` (out of scope is 404), writes through `services`."""

from datetime import date, datetime, time
from typing import Any, Literal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from zhili.core.errors import NotFound
from zhili.core.personal import mask_id_number, mask_phone
from zhili.core.schemas import Input
from zhili.orgs.api import MAX_OFFSET, Day, ErrorOut, OrgRef
from zhili.orgs.auth import StaffRequest
from zhili.petitions import deadlines, documents, law, routing, selectors, services, workflow
from zhili.petitions.models import (
    Delivery,
    Form,
    KeyPetitioner,
    Kind,
    Petition,
    Route,
    State,
)
from zhili.petitions.services import MAX_REPRESENTATIVES, PersonIn, Registration

petitions_router = Router(tags=["信访"])

ERRORS: dict[int, type[ErrorOut]] = {code: ErrorOut for code in (401, 403, 404, 409, 422)}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FormCode = Literal["letter", "visit", "call", "online", "fax"]
KindCode = Literal["suggestion", "accusation", "claim"]
RouteCode = Literal[
    "", "litigation", "arbitration", "administrative_review", "department_duty", "written_opinion"
]
ActionCode = Literal[
    "assign",
    "hand_back",
    "approve_hand_back",
    "refuse_hand_back",
    "accept",
    "not_accept",
    "start",
    "extend",
    "approve_extension",
    "refuse_extension",
    "reply",
    "deliver",
    "request_review",
    "decide_review",
    "hearing_start",
    "hearing_end",
    "request_re_review",
    "decide_re_review",
    "close",
    "rate",
]
DeliveryCode = Literal["", "direct", "mail", "electronic", "left", "entrusted"]
DocumentKind = Literal["acceptance", "not_accepted", "extension", "reply"]
assert set(ActionCode.__args__) == set(workflow.TRANSITIONS)  # type: ignore[attr-defined]
assert set(FormCode.__args__) == set(Form.values)  # type: ignore[attr-defined]
assert set(KindCode.__args__) - {""} == set(Kind.values)  # type: ignore[attr-defined]
assert set(RouteCode.__args__) - {""} == set(Route.values)  # type: ignore[attr-defined]
assert set(DeliveryCode.__args__) - {""} == set(Delivery.values)  # type: ignore[attr-defined]


class PersonSchema(Input):
    name: str = Field(..., min_length=1, max_length=50, description="姓名")
    id_number: str = Field("", max_length=18, description="身份证号码（18位，校验 GB 11643）")
    phone: str = Field("", max_length=20, description="联系电话（手机或带区号的固定电话）")
    address: str = Field("", max_length=300, description="住址")


class RegisterIn(Input):
    form: FormCode = Field(
        ..., description="信访形式：来信 letter、来访 visit、来电 call、网上 online、传真 fax"
    )
    kind: KindCode = Field(
        ..., description="类别：建议意见 suggestion、检举控告 accusation、申诉求决 claim"
    )
    route: RouteCode = Field("", description="申诉求决类的办理途径（可在转送交办时再选）")
    category: str = Field(..., max_length=30, description="内容分类代码（见 Category）")
    title: str = Field(..., min_length=1, max_length=200, description="标题")
    matter: str = Field(..., min_length=1, max_length=5000, description="信访事项")
    township: str = Field("", max_length=40, description="问题属地乡镇编码")
    is_group: bool = Field(False, description="集体访（多人共同提出）")
    is_anonymous: bool = Field(
        False, description="匿名信访（来信、网上信访、传真）：不登记信访人，不书面告知、送达"
    )
    people_count: int = Field(1, ge=1, le=10000, description="人数")
    received_on: Day | None = Field(None, description="收到日期（不填为现在）")
    petitioners: list[PersonSchema] = Field(
        default_factory=list, max_length=50, description="信访人（非代表）"
    )
    representatives: list[PersonSchema] = Field(
        default_factory=list,
        max_length=MAX_REPRESENTATIVES,
        description=f"集体访推选的代表，不超过{MAX_REPRESENTATIVES}人（{law.cite('representatives')}）",
    )
    repeat_override: str = Field(
        "", max_length=500, description="已复核终结事项再次信访时，说明新的事实和理由"
    )


class ActIn(Input):
    action: ActionCode = Field(..., description="操作（见 workflow.TRANSITIONS）")
    handling_unit: str = Field("", max_length=40, description="assign：承办单位编码")
    route: RouteCode = Field("", description="assign：申诉求决类的办理途径")
    note: str = Field("", max_length=500, description="说明")
    reason: str = Field(
        "",
        max_length=2000,
        description="not_accept/extend/hand_back/refuse_hand_back/申请复查复核：理由",
    )
    where: str = Field("", max_length=300, description="not_accept：告知信访人的途径")
    days: int = Field(
        0, ge=0, le=365, description=f"extend：延长天数（1-{deadlines.days('extension')}）"
    )
    requests: str = Field(
        "", max_length=5000, description="reply：信访请求（不填为登记的信访事项）"
    )
    facts: str = Field("", max_length=5000, description="reply：查明的事实")
    outcome: Literal["", "support", "explain", "reject"] = Field(
        "", description="reply：处理结论，支持 support、解释说明 explain、不支持 reject"
    )
    reply: str = Field("", max_length=5000, description="reply：处理意见")
    basis: str = Field("", max_length=2000, description="reply：法律法规及政策依据")
    opinion: str = Field("", max_length=5000, description="复查/复核意见")
    unit: str = Field("", max_length=40, description="复查/复核机关编码（不填为上一级）")
    requested_on: Day | None = Field(
        None, description="申请复查/复核：信访人提出请求的日期（来信以收信日期为准，不填为今天）"
    )
    delivered_on: Day | None = Field(None, description="deliver：信访人收到书面答复的日期")
    delivery_method: DeliveryCode = Field("", description="deliver：送达方式")
    hearing_on: Day | None = Field(
        None, description="hearing_start/hearing_end：听证开始或结束的日期（不填为今天）"
    )
    rating: Literal["", "satisfied", "basically", "unsatisfied"] = Field(
        "", description="rate：满意 satisfied、基本满意 basically、不满意 unsatisfied"
    )
    comment: str = Field("", max_length=500, description="rate：评价意见")


class PetitionQuery(Input):
    state: str = Field("", max_length=30, description="状态代码")
    kind: str = Field("", max_length=20, description="类别代码")
    form: str = Field("", max_length=10, description="形式代码")
    category: str = Field("", max_length=30, description="内容分类代码")
    card: Literal["", "any", "yellow", "red"] = Field("", description="督办牌")
    pending_extension: bool = Field(False, description="只看待单位负责人审批的延期申请")
    q: str = Field("", max_length=50, description="编号或标题中的文字")
    received_from: Day | None = None
    received_to: Day | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class KeyQuery(Input):
    active: bool = Field(True, description="在管（true）或已撤销列管（false）")
    q: str = Field("", max_length=50, description="姓名中的文字")


class PartyOut(Schema):
    petitioner_id: int
    name: str
    id_number: str = Field(..., description="掩码显示")
    phone: str = Field(..., description="掩码显示")
    is_representative: bool


class PetitionOut(Schema):
    number: str
    form: str
    kind: str
    route: str
    category: str
    title: str
    state: str
    state_label: str
    stage: str
    is_group: bool
    is_anonymous: bool
    people_count: int
    township: OrgRef | None
    registering_unit: OrgRef
    handling_unit: OrgRef | None
    received_at: datetime
    due_at: datetime | None = Field(..., description="当前环节的时限（自然日，截止当日24时）")
    card: str
    case_no: str | None
    repeat_of: str | None
    repeat_flag: str
    pending_of: str | None = Field(..., description="同一信访人同一事项正在办理的信访件编号")
    pending_flag: str
    route_target: OrgRef | None = Field(
        ..., description="依法应转送的单位：检举控告类转纪检监察机关，涉法涉诉转政法机关"
    )


class HistoryOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str | None
    note: str
    created_at: datetime


class KeyFlagOut(Schema):
    petitioner_id: int
    name: str
    level: str
    level_label: str
    responsible_unit: OrgRef


class PetitionDetailOut(PetitionOut):
    matter: str
    parties: list[PartyOut]
    key_petitioners: list[KeyFlagOut] = Field(
        ...,
        description="信访人中的重点上访人员（仅有权查看名册的角色可见，其他用户为空；查看留痕）",
    )
    transfer_due: datetime
    transferred_at: datetime | None
    hand_back_until: datetime | None = Field(
        ..., description="承办单位提出异议的期限（收到之日起若干个工作日，截止当日24时）"
    )
    hand_back_provisional: bool = Field(
        ..., description="异议期限所在年份的节假日安排尚未公布，按临时日历计算"
    )
    hand_back_at: datetime | None
    hand_back_reason: str
    returned_at: datetime | None = Field(..., description="信访部门同意退回、收回材料的时间")
    accept_due: datetime | None
    accepted_at: datetime | None
    not_accepted_reason: str
    not_accepted_route: str
    handle_due: datetime | None
    extension_requested_days: int = Field(..., description="申请延长的天数（待单位负责人审批）")
    extension_requested_at: datetime | None
    extension_decided_at: datetime | None = Field(..., description="单位负责人审批时间")
    extension_refusal: str = Field(..., description="不批准延期的理由")
    extension_days: int = Field(..., description="经批准延长的天数")
    extension_reason: str
    replied_at: datetime | None
    reply_requests: str
    reply_facts: str
    reply_outcome: str = Field(..., description="处理结论：support、explain、reject")
    reply: str
    reply_basis: str
    reply_delivered_on: date | None = Field(..., description="答复意见书送达信访人的日期")
    reply_delivery_method: str = Field(..., description="送达方式代码")
    review_request_until: datetime | None = Field(
        ..., description="申请复查的最后期限（自送达之日起算；未登记送达时为空）"
    )
    review_requested_at: datetime | None
    review_due: datetime | None
    review_decided_at: datetime | None
    review_opinion: str
    review_delivered_on: date | None
    review_delivery_method: str
    review_hearing_days: int = Field(..., description="复查中听证所需、不计入期限的天数")
    re_review_request_until: datetime | None
    re_review_requested_at: datetime | None
    re_review_due: datetime | None
    re_review_decided_at: datetime | None
    re_review_opinion: str
    re_review_delivered_on: date | None
    re_review_delivery_method: str
    re_review_hearing_days: int = Field(..., description="复核中听证所需、不计入期限的天数")
    hearing_started_on: date | None = Field(..., description="正在进行的听证的开始日期")
    rating: str
    closed_at: datetime | None
    actions: list[str]
    documents: list[str]
    history: list[HistoryOut]


class KeyPetitionerOut(Schema):
    id: int
    name: str
    id_number: str = Field(..., description="掩码显示")
    phone: str = Field(..., description="掩码显示")
    level: str
    reason: str
    responsible_unit: OrgRef
    measures: str
    since: date
    is_active: bool
    petitions: list[str]


def _org(org: Any) -> dict[str, str] | None:
    return {"code": org.code, "name": org.name} if org is not None else None


def _route_target(p: Petition, memo: dict[tuple[str, str], Any]) -> dict[str, str] | None:
    route = routing.route_for(p.kind, p.category)
    if route is None:
        return None
    county = p.registering_path.strip("/").split("/")[0]
    if (county, route.key) not in memo:
        memo[county, route.key] = _org(routing.unit_of(route, p.registering_unit))
    return memo[county, route.key]


def petition_out(p: Petition, memo: dict[tuple[str, str], Any] | None = None) -> dict[str, Any]:
    """`memo` keeps the route units found for a list (one query per route, not per row)."""
    return {
        "number": p.number,
        "form": p.form,
        "kind": p.kind,
        "route": p.route,
        "category": p.category,
        "title": p.title,
        "state": p.state,
        "state_label": State(p.state).label,
        "stage": p.stage,
        "is_group": p.is_group,
        "is_anonymous": p.is_anonymous,
        "people_count": p.people_count,
        "township": _org(p.township),
        "registering_unit": _org(p.registering_unit),
        "handling_unit": _org(p.handling_unit),
        "received_at": p.received_at,
        "due_at": p.due_at,
        "card": p.card,
        "case_no": p.case.case_no if p.case_id and p.case else None,
        "repeat_of": p.repeat_of.number if p.repeat_of_id and p.repeat_of else None,
        "repeat_flag": p.repeat_flag,
        "pending_of": p.pending_of.number if p.pending_of_id and p.pending_of else None,
        "pending_flag": p.pending_flag,
        "route_target": _route_target(p, {} if memo is None else memo),
    }


DETAIL_FIELDS = [
    name for name in PetitionDetailOut.model_fields if name not in PetitionOut.model_fields
]


def detail_out(request: StaffRequest, p: Petition) -> dict[str, Any]:
    parties = [
        {
            "petitioner_id": party.petitioner_id,
            "name": party.petitioner.name,
            "id_number": mask_id_number(party.petitioner.id_number),
            "phone": mask_phone(party.petitioner.phone),
            "is_representative": party.is_representative,
        }
        for party in selectors.petition_parties(p)
    ]
    history = [
        {
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor": str(e.actor) if e.actor else None,
            "note": e.note,
            "created_at": e.created_at,
        }
        for e in selectors.petition_timeline(p)
    ]
    keys = [
        {
            "petitioner_id": r.petitioner_id,
            "name": r.petitioner.name,
            "level": r.level,
            "level_label": r.get_level_display(),
            "responsible_unit": _org(r.responsible_unit),
        }
        for r in selectors.key_records_for(p, request.user)
    ]
    computed = {
        "parties": parties,
        "key_petitioners": keys,
        "actions": [t.name for t in services.actions_for(request.user, p)],
        "documents": [kind for kind, _ in documents.available(p)],
        "history": history,
    }
    plain = {name: getattr(p, name) for name in DETAIL_FIELDS if name not in computed}
    return {**petition_out(p), **plain, **computed}


def _received(day: date | None) -> datetime | None:
    if day is None:
        return None
    now = timezone.now()
    if day >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@petitions_router.get("/petitions", response={200: list[PetitionOut], **ERRORS})
def petition_list(request: StaffRequest, query: Query[PetitionQuery]) -> Any:
    filters = selectors.PetitionFilters(
        state=query.state,
        kind=query.kind,
        form=query.form,
        category=query.category,
        card=query.card,
        q=query.q,
        received_from=query.received_from,
        received_to=query.received_to,
        pending_extension=query.pending_extension,
    )
    rows = selectors.petition_list(user=request.user, filters=filters).select_related(
        "case", "repeat_of", "pending_of"
    )
    memo: dict[tuple[str, str], Any] = {}
    return [petition_out(p, memo) for p in rows[query.offset : query.offset + query.limit]]


@petitions_router.post("/petitions", response={201: PetitionDetailOut, **ERRORS})
def petition_register(request: StaffRequest, body: RegisterIn) -> Any:
    """Register a petition. A group visit names at most 5 representatives (422 naming
    `representatives`); a matter closed by re-review comes back not accepted with
    `repeat_flag` "已经复核终结,同一事实和理由不再受理" unless `repeat_override` is given."""
    data = Registration(
        form=body.form,
        kind=body.kind,
        route=body.route,
        title=body.title,
        matter=body.matter,
        category=body.category,
        township=body.township,
        is_group=body.is_group,
        is_anonymous=body.is_anonymous,
        people_count=body.people_count,
        received_at=_received(body.received_on),
        petitioners=[PersonIn(**p.dict()) for p in body.petitioners],
        representatives=[PersonIn(**p.dict()) for p in body.representatives],
        repeat_override=body.repeat_override,
    )
    petition = services.petition_register(actor=request.user, data=data)
    petition = selectors.petition_get(user=request.user, number=petition.number)
    return Status(201, detail_out(request, petition))


# The register's paths come before /petitions/{number}, which would otherwise take them.


def _key_out(record: KeyPetitioner) -> dict[str, Any]:
    return {
        "id": record.pk,
        "name": record.petitioner.name,
        "id_number": mask_id_number(record.petitioner.id_number),
        "phone": mask_phone(record.petitioner.phone),
        "level": record.level,
        "reason": record.reason,
        "responsible_unit": _org(record.responsible_unit),
        "measures": record.measures,
        "since": record.since,
        "is_active": record.is_active,
        "petitions": list(
            selectors.key_petitioner_petitions(record).values_list("number", flat=True)[:100]
        ),
    }


@petitions_router.get(
    "/petitions/key-petitioners", response={200: list[KeyPetitionerOut], **ERRORS}
)
def key_petitioner_list(request: StaffRequest, query: Query[KeyQuery]) -> Any:
    """重点上访人员: only petition staff and leaders (by role); every read is audited."""
    rows = selectors.key_petitioner_list(user=request.user, active=query.active, q=query.q)
    return [_key_out(r) for r in rows]


@petitions_router.get(
    "/petitions/key-petitioners/{record_id}", response={200: KeyPetitionerOut, **ERRORS}
)
def key_petitioner_detail(request: StaffRequest, record_id: int) -> Any:
    if not 0 < record_id < 2**31:
        raise NotFound("未找到该人员")
    return _key_out(selectors.key_petitioner_get(user=request.user, pk=record_id))


@petitions_router.get("/petitions/{number}", response={200: PetitionDetailOut, **ERRORS})
def petition_detail(request: StaffRequest, number: str) -> Any:
    return detail_out(request, selectors.petition_get(user=request.user, number=number))


@petitions_router.post("/petitions/{number}/act", response={200: PetitionDetailOut, **ERRORS})
def petition_act(request: StaffRequest, number: str, body: ActIn) -> Any:
    """Take a workflow action. A review requested after its window (counted from the day the
    petitioner received the written reply) is a 409 naming the last day and the article."""
    petition = selectors.petition_get(user=request.user, number=number)
    params = body.dict()
    action = params.pop("action")
    services.petition_act(actor=request.user, petition=petition, action=action, **params)
    return detail_out(request, selectors.petition_get(user=request.user, number=number))


@petitions_router.get(
    "/petitions/{number}/documents/{kind}",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"content": {DOCX: {}}, "description": "Word 文书"}}},
)
def petition_document(request: StaffRequest, number: str, kind: DocumentKind) -> Any:
    """受理告知书 acceptance / 不予受理告知书 not_accepted / 延期办理告知书 extension /
    答复意见书 reply; 409 when the petition has not reached it."""
    petition = selectors.petition_get(user=request.user, number=number)
    content = documents.render_petition_docx(petition, kind)
    response = HttpResponse(content, content_type=DOCX)
    name = documents.document_filename(petition, kind)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{petition.number}-{kind}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
