"""The dispute API (矛盾纠纷): scoped list (keyset pages) and detail, registration, the
workflow's actions (`POST /disputes/{number}/actions/{action}`; the older
`POST /disputes/{number}/act` with the action in the body is deprecated), sessions, and the
agreement's Word document. Endpoints hold no rules: reads go through `selectors` (out of
scope is 404), writes through `services`."""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from zhili.core.dates import Moment, Month
from zhili.core.dossier.api import (
    DossierHistoryOut,
    PageQuery,
    add_action_route,
    history_out,
    page_schema,
    query_page,
)
from zhili.core.errors import InvalidInput
from zhili.core.pages import DOCX, attachment
from zhili.core.personal import mask_id_number, mask_phone
from zhili.core.schemas import ERRORS, Input
from zhili.mediation import selectors, services, workflow
from zhili.mediation.documents import agreement_document
from zhili.mediation.models import Agreement, AgreementParty, Dispute, Party, Session
from zhili.mediation.services.agreements import due_text, missing_signatures
from zhili.orgs.auth import StaffRequest

disputes_router = Router(tags=["矛盾纠纷调解"])

Id = Annotated[int, Field(ge=1, le=10**12)]
Text = Annotated[str, Field(max_length=20000)]
# The fields of a response, ready for its schema (DisputeOut, SessionOut, ...) to serialize.
Fields = dict[str, object]


class PartyIn(Input):
    side: str = Field(
        ..., max_length=20, description="applicant 申请人 / respondent 被申请人 / other"
    )
    kind: str = Field("person", max_length=20, description="person 自然人 / organization 组织")
    name: str = Field(..., max_length=100, description="姓名或名称")
    id_number: str = Field("", max_length=18, description="身份证号码（GB 11643 校验）")
    phone: str = Field("", max_length=20, description="联系电话")
    address: str = Field("", max_length=200, description="住址")
    org_code: str = Field("", max_length=18, description="统一社会信用代码（组织）")


class DisputeIn(Input):
    committee: Id | None = Field(None, description="受理调委会编号；不填为本人所在调委会")
    title: str = Field(..., max_length=200, description="纠纷名称")
    kind: str = Field(..., max_length=30, description="纠纷类型（15类统计口径，如 neighbourhood）")
    summary: str = Field(..., max_length=5000, description="纠纷简要情况")
    source: str = Field(
        "application",
        max_length=30,
        description="screening / application / court_referral / police_referral / petition_referral",
    )
    scale: str = Field("ordinary", max_length=20, description="ordinary / major / group")
    people_count: int = Field(2, ge=1, le=100_000, description="涉及人数")
    place: str = Field("", max_length=200, description="发生地点")
    grid: str = Field("", max_length=40, description="网格编码")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    parties: list[PartyIn] = Field(..., min_length=1, max_length=50, description="当事人")


class LiabilityIn(Input):
    party: Id = Field(..., description="当事人编号")
    liability: str = Field(..., max_length=2000, description="该当事人的责任（可写“无”）")


class SignatureIn(Input):
    party: Id = Field(..., description="当事人编号")
    method: str = Field(
        "sign", max_length=20, description="sign 签名 / seal 盖章 / fingerprint 按指印"
    )
    signed_at: Moment | None = Field(None, description="签署时间；不填为协议达成时间（sign：现在）")


class DisputeActionIn(Input):
    """The input of an action; each action reads the fields it needs, the rest may be left out."""

    note: str | None = Field(None, max_length=5000, description="说明或理由（terminate：终止理由）")
    party: Id | None = Field(None, description="consent / terminate：当事人编号")
    consent: str | None = Field(None, max_length=20, description="consent: agreed / refused")
    lead_mediator: Id | None = Field(None, description="assign：主办调解员编号")
    mediator: Id | None = Field(None, description="agree / sign：签名调解员编号，默认主办调解员")
    mediators: list[Id] | None = Field(
        None, max_length=20, description="assign / session：调解员编号"
    )
    room: Id | None = Field(None, description="assign / session：调解室编号")
    held_at: Moment | None = Field(None, description="session：调解时间")
    mode: str | None = Field(None, max_length=20, description="session: in_person / video")
    place: str | None = Field(None, max_length=200, description="session：调解地点")
    video_room: str | None = Field(None, max_length=100, description="session：视频会议室")
    record: Text | None = Field(None, description="session：调解记录")
    matters: Text | None = Field(None, description="agree：争议事项")
    terms: Text | None = Field(None, description="agree：协议内容")
    performance: str | None = Field(None, max_length=5000, description="agree：履行方式、时限")
    form: str | None = Field(
        None, max_length=10, description="agree: written 书面协议（默认） / oral 口头协议"
    )
    signed_at: Moment | None = Field(None, description="agree：协议达成时间")
    liabilities: list[LiabilityIn] | None = Field(
        None, max_length=50, description="agree（书面）：各方当事人的责任，每名当事人一项"
    )
    signatures: list[SignatureIn] | None = Field(
        None, max_length=50, description="agree / sign：已签署的当事人；未列出的当事人以后签署"
    )
    mediator_signed_at: Moment | None = Field(None, description="agree / sign：调解员签名时间")
    sealed_at: Moment | None = Field(None, description="agree / sign：调委会盖章时间")
    effective_at: Moment | None = Field(
        None, description="不可填写：生效时间由最后一项签名或盖章的时间确定（填写即报错）"
    )
    performed: str | None = Field(None, max_length=10, description="follow_up: yes / partly / no")
    court: str | None = Field(None, max_length=100, description="apply_confirmation：受理法院")
    applied_at: Moment | None = Field(None, description="apply_confirmation：申请时间")
    result: str | None = Field(
        None, max_length=20, description="record_confirmation: confirmed / refused"
    )
    risk: str | None = Field(
        None, max_length=20, description="flag_risk: criminal / group_petition"
    )


class DisputeActIn(DisputeActionIn):
    """An action of the workflow named in the body, with its inputs (the deprecated
    `POST /disputes/{number}/act`)."""

    action: str = Field(
        ...,
        max_length=30,
        description="consent / accept / decline / assign / start / session / agree / sign / fail / terminate / follow_up / apply_confirmation / record_confirmation / remediate / to_court / archive / flag_risk",
    )


class SessionIn(Input):
    held_at: Moment | None = Field(None, description="调解时间，默认现在")
    mode: str = Field("in_person", max_length=20, description="in_person 现场 / video 视频")
    place: str = Field("", max_length=200)
    room: Id | None = None
    video_room: str = Field("", max_length=100)
    mediators: list[Id] = Field([], max_length=20)
    record: Text = Field(..., description="调解记录")


class DisputeOut(Schema):
    number: str
    title: str
    kind: str
    kind_label: str
    source: str
    scale: str
    people_count: int
    state: str
    state_label: str
    outcome: str
    committee: str
    level: str
    registered_at: datetime
    closed_at: datetime | None
    risk_criminal: bool
    risk_group_petition: bool
    case_no: str | None
    handling_due: date | None = Field(None, description="办理目标日期（受理之日起）")
    past_target: bool = Field(False, description="已超过办理目标、仍在调解（黄牌）")


class DisputePartyOut(Schema):
    id: int
    side: str
    kind: str
    name: str
    id_number: str = Field(..., description="脱敏")
    phone: str = Field(..., description="脱敏")
    org_code: str
    consent: str


class SessionOut(Schema):
    id: int
    held_at: datetime
    mode: str
    place: str
    room: str | None
    video_room: str
    mediators: list[str]
    record: str


class SignatoryOut(Schema):
    party: int
    name: str
    side: str
    liability: str
    signed_at: datetime | None
    method: str


class AgreementOut(Schema):
    form: str = Field(..., description="written 书面 / oral 口头")
    matters: str
    terms: str
    performance: str
    signed_at: datetime = Field(..., description="达成时间")
    effective_at: datetime | None = Field(..., description="生效时间；书面协议签齐前为空")
    signatories: list[SignatoryOut]
    mediator: str | None
    mediator_signed_at: datetime | None
    sealed_at: datetime | None
    missing_signatures: list[str]
    confirmation_due: str | None = Field(..., description="司法确认申请截止日（遇节假日顺延）")
    confirmation_due_text: str = Field(..., description="截止日的文字说明，含“（临时日历）”")
    confirmation_provisional: bool = Field(..., description="截止日按临时日历计算")
    confirmation_applied_at: datetime | None
    court: str
    confirmation_result: str
    confirmation_warned_at: datetime | None
    performed: str


class DisputeDetailOut(DisputeOut):
    summary: str
    place: str
    routes_notice: str
    terminated_by: str | None = Field(None, description="要求终止调解的当事人")
    termination_reason: str = ""
    lead_mediator: str | None
    parties: list[DisputePartyOut]
    sessions: list[SessionOut]
    agreement: AgreementOut | None
    actions: list[str]
    history: list[DossierHistoryOut]


DisputePageOut = page_schema(DisputeOut, "DisputePageOut")


class DisputeQuery(PageQuery):
    state: str = Field("", max_length=20, description="状态")
    kind: str = Field("", max_length=30, description="纠纷类型")
    committee: Id | None = Field(None, description="调委会编号")
    month: Month = Field("", description="登记月份 YYYY-MM")
    q: str = Field("", max_length=100, description="编号或名称关键词")


def dispute_out(d: Dispute) -> Fields:
    return {
        "number": d.number,
        "title": d.title,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "source": d.source,
        "scale": d.scale,
        "people_count": d.people_count,
        "state": d.state,
        "state_label": d.get_state_display(),
        "outcome": d.outcome,
        "committee": d.committee.name,
        "level": d.level,
        "registered_at": d.registered_at,
        "closed_at": d.closed_at,
        "risk_criminal": d.risk_criminal,
        "risk_group_petition": d.risk_group_petition,
        "case_no": d.case.case_no if d.case_id else None,  # type: ignore[union-attr]
        "handling_due": d.handling_due,
        "past_target": d.past_target,
    }


def session_out(s: Session) -> Fields:
    return {
        "id": s.pk,
        "held_at": s.held_at,
        "mode": s.mode,
        "place": s.place,
        "room": s.room.name if s.room_id else None,  # type: ignore[union-attr]
        "video_room": s.video_room,
        "mediators": [str(m) for m in s.mediators.select_related("user")],
        "record": s.record,
    }


def agreement_out(a: Agreement | None) -> Fields | None:
    if a is None:
        return None
    return {
        "form": a.form,
        "matters": a.matters,
        "terms": a.terms,
        "performance": a.performance,
        "signed_at": a.signed_at,
        "effective_at": a.effective_at,
        "signatories": [_signatory_out(s) for s in a.signatories.select_related("party")],
        "mediator": a.mediator.user.display_name if a.mediator else None,
        "mediator_signed_at": a.mediator_signed_at,
        "sealed_at": a.sealed_at,
        "missing_signatures": missing_signatures(a) if a.is_written else [],
        **_confirmation_out(a),
        "performed": a.performed,
    }


def _signatory_out(s: AgreementParty) -> Fields:
    return {
        "party": s.party_id,
        "name": s.party.name,
        "side": s.party.side,
        "liability": s.liability,
        "signed_at": s.signed_at,
        "method": s.method,
    }


def _confirmation_out(a: Agreement) -> Fields:
    """The judicial confirmation (司法确认): its deadline, application and result."""
    return {
        "confirmation_due": a.confirmation_due.isoformat() if a.confirmation_due else None,
        "confirmation_due_text": due_text(a) if a.confirmation_due else "",
        "confirmation_provisional": a.confirmation_provisional,
        "confirmation_applied_at": a.confirmation_applied_at,
        "court": a.court,
        "confirmation_result": a.confirmation_result,
        "confirmation_warned_at": a.confirmation_warned_at,
    }


def terminated_by(d: Dispute) -> str | None:
    party = d.terminated_by
    return f"{party.get_side_display()}{party.name}" if party is not None else None


def _party_out(p: Party) -> Fields:
    return {
        "id": p.pk,
        "side": p.side,
        "kind": p.kind,
        "name": p.name,
        "id_number": mask_id_number(p.id_number) if p.id_number else "",
        "phone": mask_phone(p.phone) if p.phone else "",
        "org_code": p.org_code,
        "consent": p.consent,
    }


def detail_out(request: StaffRequest, d: Dispute) -> Fields:
    return {
        **dispute_out(d),
        "summary": d.summary,
        "place": d.place,
        "routes_notice": d.routes_notice,
        "terminated_by": terminated_by(d),
        "termination_reason": d.termination_reason,
        "lead_mediator": str(d.lead_mediator) if d.lead_mediator_id else None,
        "parties": [_party_out(p) for p in d.parties.all()],
        "sessions": [session_out(s) for s in d.sessions.select_related("room")],
        "agreement": agreement_out(selectors.dispute_agreement(d)),
        "actions": [t.name for t in services.actions_for(request.user, d)],
        "history": history_out(workflow.KIND, d),
    }


@disputes_router.get("/disputes", response={200: DisputePageOut, **ERRORS})
def dispute_list(request: StaffRequest, query: Query[DisputeQuery]) -> Fields:
    """本人可见范围内的矛盾纠纷，按登记时间倒序，每页 limit 条；下一页以 cursor=next_cursor 取。"""
    filters = selectors.DisputeFilters(
        state=query.state,
        kind=query.kind,
        committee=query.committee,
        month=query.month,
        text=query.q.strip(),
    )
    qs = selectors.filter_disputes(selectors.dispute_list(user=request.user), filters)
    return query_page(qs, query, dispute_out, field="registered_at")


@disputes_router.post("/disputes", response={201: DisputeDetailOut, **ERRORS})
def dispute_create(request: StaffRequest, payload: DisputeIn) -> Status[Fields]:
    """登记一件矛盾纠纷及其当事人。"""
    committee = None
    if payload.committee is not None:
        committee = (
            selectors.committees_for_register(user=request.user)
            .filter(pk=payload.committee)
            .first()
        )
        if committee is None:
            raise InvalidInput("调委会不存在或不在您的管辖范围内", field="committee")
    registration = services.Registration(
        title=payload.title,
        kind=payload.kind,
        summary=payload.summary,
        source=payload.source,
        scale=payload.scale,
        people_count=payload.people_count,
        place=payload.place,
        grid=payload.grid,
        lat=payload.lat,
        lng=payload.lng,
        parties=[services.PartyInput(**p.dict()) for p in payload.parties],
    )
    dispute = services.dispute_register(
        actor=request.user, registration=registration, committee=committee
    )
    return Status(
        201, detail_out(request, selectors.dispute_get(user=request.user, number=dispute.number))
    )


@disputes_router.get("/disputes/{number}", response={200: DisputeDetailOut, **ERRORS})
def dispute_detail(request: StaffRequest, number: str) -> Fields:
    return detail_out(request, selectors.dispute_get(user=request.user, number=number))


def _detail(request: StaffRequest, dispute: Dispute) -> Fields:
    return detail_out(request, selectors.dispute_get(user=request.user, number=dispute.number))


add_action_route(
    disputes_router,
    prefix="/disputes",
    kind=workflow.KIND,
    get=selectors.dispute_get,
    act=services.dispute_act,
    body=DisputeActionIn,
    out=DisputeDetailOut,
    detail=_detail,
)


@disputes_router.post(
    "/disputes/{number}/act",
    response={200: DisputeDetailOut, **ERRORS},
    deprecated=True,
    description="已弃用：请用 POST /disputes/{number}/actions/{action}（操作名在路径中）",
)
def dispute_act(request: StaffRequest, number: str, payload: DisputeActIn) -> Fields:
    """执行一项流转操作（受理、调解、达成协议、回访、归档……）。"""
    dispute = selectors.dispute_get(user=request.user, number=number)
    data = payload.dict(exclude={"action"})
    data = {k: v for k, v in data.items() if v not in (None, "", [])}
    services.dispute_act(request.user, dispute, payload.action, data)
    return _detail(request, dispute)


@disputes_router.get("/disputes/{number}/sessions", response={200: list[SessionOut], **ERRORS})
def session_list(request: StaffRequest, number: str) -> list[Fields]:
    dispute = selectors.dispute_get(user=request.user, number=number)
    return [session_out(s) for s in dispute.sessions.select_related("room")]


@disputes_router.post("/disputes/{number}/sessions", response={201: SessionOut, **ERRORS})
def session_create(request: StaffRequest, number: str, payload: SessionIn) -> Status[Fields]:
    """记录一次调解（现场或视频）。"""
    dispute = selectors.dispute_get(user=request.user, number=number)
    data = {k: v for k, v in payload.dict().items() if v not in (None, "", [])}
    services.dispute_act(request.user, dispute, "session", data)
    return Status(201, session_out(dispute.sessions.order_by("-id").first()))  # type: ignore[arg-type]


@disputes_router.get(
    "/disputes/{number}/agreement",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"content": {DOCX: {}}, "description": "人民调解协议书"}}},
)
def agreement_docx(request: StaffRequest, number: str) -> HttpResponse:
    """调解协议书（Word）；含完整身份证号码，每次下载记入审计日志。"""
    dispute = selectors.dispute_get(user=request.user, number=number)
    content = agreement_document(actor=request.user, dispute=dispute)
    name = f"人民调解协议书-{dispute.number}.docx"
    return attachment(content, DOCX, f"{dispute.number}.docx", name)
