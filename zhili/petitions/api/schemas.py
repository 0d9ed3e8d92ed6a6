"""The petitions API's schemas: what a client sends and what it gets back."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from zhili.core.dossier.api import DossierHistoryOut, PageQuery, page_schema
from zhili.core.schemas import Input
from zhili.orgs.api import Day, OrgRef
from zhili.petitions import deadlines, law, workflow
from zhili.petitions.models import Delivery, Form, Kind, Route
from zhili.petitions.services import MAX_REPRESENTATIVES

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


class PetitionActionIn(Input):
    """The input of an action: each action reads its own fields, the others may be left out."""

    handling_unit: str | None = Field(None, max_length=40, description="assign：承办单位编码")
    route: RouteCode | None = Field(None, description="assign：申诉求决类的办理途径")
    note: str | None = Field(None, max_length=500, description="说明")
    reason: str | None = Field(
        None,
        max_length=2000,
        description="not_accept/extend/hand_back/refuse_hand_back/申请复查复核：理由",
    )
    where: str | None = Field(None, max_length=300, description="not_accept：告知信访人的途径")
    days: int | None = Field(
        None, ge=0, le=365, description=f"extend：延长天数（1-{deadlines.days('extension')}）"
    )
    requests: str | None = Field(
        None, max_length=5000, description="reply：信访请求（不填为登记的信访事项）"
    )
    facts: str | None = Field(None, max_length=5000, description="reply：查明的事实")
    outcome: Literal["", "support", "explain", "reject"] | None = Field(
        None, description="reply：处理结论，支持 support、解释说明 explain、不支持 reject"
    )
    reply: str | None = Field(None, max_length=5000, description="reply：处理意见")
    basis: str | None = Field(None, max_length=2000, description="reply：法律法规及政策依据")
    opinion: str | None = Field(None, max_length=5000, description="复查/复核意见")
    unit: str | None = Field(None, max_length=40, description="复查/复核机关编码（不填为上一级）")
    requested_on: Day | None = Field(
        None, description="申请复查/复核：信访人提出请求的日期（来信以收信日期为准，不填为今天）"
    )
    delivered_on: Day | None = Field(None, description="deliver：信访人收到书面答复的日期")
    delivery_method: DeliveryCode | None = Field(None, description="deliver：送达方式")
    hearing_on: Day | None = Field(
        None, description="hearing_start/hearing_end：听证开始或结束的日期（不填为今天）"
    )
    rating: Literal["", "satisfied", "basically", "unsatisfied"] | None = Field(
        None, description="rate：满意 satisfied、基本满意 basically、不满意 unsatisfied"
    )
    comment: str | None = Field(None, max_length=500, description="rate：评价意见")


class ActIn(PetitionActionIn):
    """The deprecated endpoint's body: the action's name beside its input."""

    action: ActionCode = Field(..., description="操作（见 workflow.TRANSITIONS）")


class PetitionQuery(PageQuery):
    state: str = Field("", max_length=30, description="状态代码")
    kind: str = Field("", max_length=20, description="类别代码")
    form: str = Field("", max_length=10, description="形式代码")
    category: str = Field("", max_length=30, description="内容分类代码")
    card: Literal["", "any", "yellow", "red"] = Field("", description="督办牌")
    pending_extension: bool = Field(False, description="只看待单位负责人审批的延期申请")
    q: str = Field("", max_length=50, description="编号或标题中的文字")
    received_from: Day | None = None
    received_to: Day | None = None


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
    history: list[DossierHistoryOut]


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
    person_id: int | None = Field(
        None, description="实有人口中的人员（其重点上访人员类别在管时）：/api/v1/people/{id}"
    )
    role_note: str = Field(
        "", description="未纳入实有人口的原因（无有效身份证号码、无法确定网格等）"
    )
    petitions: list[str]


PetitionPageOut = page_schema(PetitionOut, "PetitionPageOut")
