"""The API of 督: inspections, findings with their rectification actions (the kernel's
`POST /findings/{number}/actions/{action}`), evidence, the 整改通知书 and circulars' Word
files, read receipts and the 回头看 samples. Reads through `selectors` (out of sight is 404),
writes through `services`."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhili.core.dossier import api as dossier_api
from zhili.core.pages import DOCX
from zhili.core.schemas import ERRORS, Input
from zhili.core.selecting import filters_from
from zhili.inspections import circulars, selectors, services, workflow
from zhili.inspections.documents import (
    circular_paper,
    evidence_response,
    notice_paper,
    word_response,
)
from zhili.inspections.models import (
    Circular,
    CircularKind,
    Finding,
    FindingState,
    Inspection,
    InspectionKind,
)
from zhili.orgs.api import OrgRef
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization

inspections_router = Router(tags=["督查整改"])
WORD = {"responses": {200: {"content": {DOCX: {}}, "description": "Word 文件"}}}


def _org(org: Organization) -> dict[str, str]:
    return {"code": org.code, "name": org.name}


# --- inspections ------------------------------------------------------------------------------


class ChecklistIn(Input):
    text: str = Field(..., min_length=1, max_length=300, description="检查内容")
    item_code: str = Field("", max_length=40, description="所依据的考核指标编码（可空）")


class InspectionIn(Input):
    kind: InspectionKind = Field(..., description="联合督查 / 专项督查 / 跟踪督查 / 暗访 / 回头看")
    title: str = Field(..., min_length=1, max_length=200)
    basis: str = Field("", max_length=5000, description="督查内容与依据")
    starts_on: date
    ends_on: date
    team: list[str] = Field(..., min_length=1, max_length=50, description="督查组成员单位编码")
    targets: list[str] = Field(..., min_length=1, max_length=500, description="被督查单位编码")
    checklist: list[ChecklistIn] = Field(default_factory=list, max_length=200)


class ChecklistOut(Schema):
    id: int
    text: str
    item_code: str


class InspectionOut(Schema):
    number: str
    kind: str
    kind_label: str
    title: str
    center: OrgRef
    starts_on: date
    ends_on: date
    findings: int = Field(..., description="发现问题数（可见范围内）")
    open_findings: int


class InspectionDetailOut(InspectionOut):
    basis: str
    team: list[OrgRef]
    targets: list[OrgRef]
    checklist: list[ChecklistOut]
    finding_numbers: list[str]


InspectionPageOut = dossier_api.page_schema(InspectionOut, "InspectionPageOut")


class InspectionQuery(dossier_api.PageQuery):
    kind: InspectionKind | None = Field(None, description="督查类型")


def inspection_out(inspection: Inspection) -> dict[str, object]:
    return {
        "number": inspection.number,
        "kind": inspection.kind,
        "kind_label": InspectionKind(inspection.kind).label,
        "title": inspection.title,
        "center": _org(inspection.center),
        "starts_on": inspection.starts_on,
        "ends_on": inspection.ends_on,
        "findings": getattr(inspection, "finding_count", 0),
        "open_findings": getattr(inspection, "open_count", 0),
    }


def inspection_detail(request: StaffRequest, inspection: Inspection) -> dict[str, object]:
    findings = selectors.inspection_findings(user=request.user, inspection=inspection)
    return {
        **inspection_out(inspection),
        "basis": inspection.basis,
        "team": [_org(o) for o in inspection.team.order_by("code")],
        "targets": [_org(o) for o in inspection.targets.order_by("code")],
        "checklist": list(inspection.items.values("id", "text", "item_code")),
        "finding_numbers": list(findings.values_list("number", flat=True)),
    }


@inspections_router.get("/inspections", response={200: InspectionPageOut, **ERRORS})
def inspection_list(request: StaffRequest, query: Query[InspectionQuery]) -> dict[str, object]:
    rows = selectors.inspection_list(user=request.user, kind=query.kind or "")
    return dossier_api.query_page(rows, query, inspection_out, field="created_at")


@inspections_router.post("/inspections", response={201: InspectionDetailOut, **ERRORS})
def inspection_create(request: StaffRequest, body: InspectionIn) -> Status:
    """组织一次督查：督查组成员单位（联合督查至少两个）、被督查单位和督查清单。"""
    data = services.InspectionInput(
        kind=body.kind,
        title=body.title,
        basis=body.basis,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        team=body.team,
        targets=body.targets,
        checklist=[(line.text, line.item_code) for line in body.checklist],
    )
    created = services.inspection_create(actor=request.user, data=data)
    inspection = selectors.inspection_get(user=request.user, number=created.number)
    return Status(201, inspection_detail(request, inspection))


@inspections_router.get("/inspections/{number}", response={200: InspectionDetailOut, **ERRORS})
def inspection_get(request: StaffRequest, number: str) -> dict[str, object]:
    return inspection_detail(request, selectors.inspection_get(user=request.user, number=number))


# --- findings ---------------------------------------------------------------------------------


class FindingIn(Input):
    unit: str = Field(
        ..., min_length=1, max_length=40, description="整改单位编码（须为被督查单位）"
    )
    problem: str = Field(..., min_length=1, max_length=5000)
    requirement: str = Field(..., min_length=1, max_length=5000)
    due_on: date = Field(..., description="整改期限")
    unit_leader: str = Field(..., min_length=1, max_length=50, description="单位负责人")
    item: int | None = Field(None, ge=1, description="督查清单项 id")
    deduction: Decimal = Field(Decimal(1), ge=0, le=100, max_digits=5, decimal_places=2)


class FindingOut(Schema):
    number: str
    state: str = Field(..., description="issued / extension / reported / verified / closed")
    state_label: str
    unit: OrgRef
    unit_leader: str
    problem: str
    inspection: str | None = Field(..., description="督查编号")
    issued_at: datetime
    due_at: datetime
    failures: int = Field(..., description="复查未通过次数")
    ladder: str = Field(..., description="问责升级：circular / key / admonition（空：无）")
    key_supervision: bool


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    round: int
    url: str


class AdmonitionOut(Schema):
    unit: OrgRef
    head: str = Field(..., description="谈话对象（单位负责人）")
    reason: str
    recorded_at: datetime


class FindingDetailOut(FindingOut):
    requirement: str
    center: OrgRef
    deduction: Decimal
    report: str
    reported_at: datetime | None
    extension_to: date | None
    verified_at: datetime | None
    verify_note: str
    closed_at: datetime | None
    evidence: list[EvidenceOut]
    admonitions: list[AdmonitionOut] = Field(..., description="诫勉谈话记录（问责升级至第三级起）")
    notice_url: str
    actions: list[str]
    history: list[dossier_api.DossierHistoryOut]


FindingPageOut = dossier_api.page_schema(FindingOut, "FindingPageOut")


class FindingQuery(dossier_api.PageQuery):
    state: FindingState | None = Field(None, description="状态")
    unit: str = Field("", max_length=40, description="整改单位编码")
    inspection: str = Field("", max_length=30, description="督查编号")
    late: bool = Field(False, description="只看逾期未报送整改报告的")


class FindingActionIn(Input):
    """An action's input: report reads `report`; request_extension `extend_to` and `reason`;
    refuse_extension and fail a `reason` (fail also the new `due_on`); the others a `note`."""

    report: str | None = Field(None, max_length=5000, description="整改报告（report）")
    extend_to: date | None = Field(None, description="申请延期至（request_extension）")
    due_on: date | None = Field(None, description="新的整改期限（fail）")
    reason: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=500)


def finding_out(finding: Finding) -> dict[str, object]:
    return {
        "number": finding.number,
        "state": finding.state,
        "state_label": FindingState(finding.state).label,
        "unit": _org(finding.unit),
        "unit_leader": finding.unit_leader,
        "problem": finding.problem,
        "inspection": finding.inspection.number if finding.inspection else None,
        "issued_at": finding.issued_at,
        "due_at": finding.due_at,
        "failures": finding.failures,
        "ladder": finding.ladder,
        "key_supervision": finding.key_supervision,
    }


def finding_detail(request: StaffRequest, finding: Finding) -> dict[str, object]:
    base = f"/api/v1/findings/{finding.number}"
    return {
        **finding_out(finding),
        "requirement": finding.requirement,
        "center": _org(finding.center),
        "deduction": finding.deduction,
        "report": finding.report,
        "reported_at": finding.reported_at,
        "extension_to": finding.extension_to,
        "verified_at": finding.verified_at,
        "verify_note": finding.verify_note,
        "closed_at": finding.closed_at,
        "evidence": [
            {
                "id": e.pk,
                "name": e.name,
                "size": e.size,
                "round": e.round,
                "url": f"{base}/evidence/{e.pk}",
            }
            for e in finding.evidence.all()
        ],
        "admonitions": [
            {"unit": _org(a.unit), "head": a.head, "reason": a.reason, "recorded_at": a.recorded_at}
            for a in selectors.finding_admonitions(finding)
        ],
        "notice_url": f"{base}/notice",
        "actions": [t.name for t in services.actions_for(request.user, finding)],
        "history": dossier_api.history_out(workflow.KIND, finding),
    }


@inspections_router.post(
    "/inspections/{number}/findings", response={201: FindingDetailOut, **ERRORS}
)
def finding_issue(request: StaffRequest, number: str, body: FindingIn) -> Status:
    """下发整改通知书：发现问题、整改要求、整改单位及其负责人、整改期限、扣分。"""
    inspection = selectors.inspection_get(user=request.user, number=number)
    data = services.FindingInput(**body.dict())
    finding = services.finding_issue(
        actor=request.user, inspection=inspection, data=data, center=inspection.center
    )
    return Status(201, finding_detail(request, finding))


@inspections_router.get("/findings", response={200: FindingPageOut, **ERRORS})
def finding_list(request: StaffRequest, query: Query[FindingQuery]) -> dict[str, object]:
    filters = filters_from(selectors.FindingFilters, query.dict())
    rows = selectors.finding_list(user=request.user, filters=filters)
    return dossier_api.query_page(rows, query, finding_out, field="issued_at")


@inspections_router.get("/findings/{number}", response={200: FindingDetailOut, **ERRORS})
def finding_get(request: StaffRequest, number: str) -> dict[str, object]:
    return finding_detail(request, selectors.finding_get(user=request.user, number=number))


@inspections_router.post("/findings/{number}/evidence", response={201: FindingDetailOut, **ERRORS})
def finding_evidence(
    request: StaffRequest, number: str, evidence: File[list[UploadedFile]]
) -> Status:
    """上传整改佐证材料（字段名 evidence，可多个）；类型按文件内容判断。"""
    finding = selectors.finding_get(user=request.user, number=number)
    services.finding_attach(actor=request.user, finding=finding, evidence=evidence)
    return Status(201, finding_detail(request, finding))


@inspections_router.get(
    "/findings/{number}/evidence/{evidence_id}",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "佐证材料文件"}}},
)
def evidence_download(request: StaffRequest, number: str, evidence_id: int) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, number=number)
    item = selectors.evidence_get(finding=finding, evidence_id=evidence_id)
    return evidence_response(item)


@inspections_router.get(
    "/findings/{number}/notice", response={200: None, **ERRORS}, openapi_extra=WORD
)
def finding_notice(request: StaffRequest, number: str) -> HttpResponse:
    """整改通知书（Word）。"""
    finding = selectors.finding_get(user=request.user, number=number)
    return word_response(notice_paper(finding), finding.number)


dossier_api.add_action_route(
    inspections_router,
    prefix="/findings",
    kind=workflow.KIND,
    get=selectors.finding_get,
    act=services.finding_act,
    body=FindingActionIn,
    out=FindingDetailOut,
    detail=finding_detail,
)


# --- circulars --------------------------------------------------------------------------------


class CircularIn(Input):
    kind: CircularKind = Field(..., description="批评通报 / 工作通报 / 排名通报")
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=20000)
    units: list[str] = Field(..., min_length=1, max_length=500, description="主送单位编码")


class ReceiptOut(Schema):
    unit: OrgRef
    read_at: datetime | None
    read_by: str | None


class CircularOut(Schema):
    number: str
    kind: str
    kind_label: str
    title: str
    center: OrgRef
    issued_at: datetime
    finding: str | None
    sent: int
    read: int


class CircularTableOut(Schema):
    columns: list[str]
    rows: list[list[str]]


class CircularDetailOut(CircularOut):
    body: str
    table: CircularTableOut | None = Field(
        ..., description="附表（排名通报的排名表，印发时定稿），在正文第一段之后"
    )
    receipts: list[ReceiptOut]
    document_url: str


def circular_out(circular: Circular) -> dict[str, object]:
    return {
        "number": circular.number,
        "kind": circular.kind,
        "kind_label": CircularKind(circular.kind).label,
        "title": circular.title,
        "center": _org(circular.center),
        "issued_at": circular.issued_at,
        "finding": circular.finding.number if circular.finding else None,
        "sent": getattr(circular, "sent", 0),
        "read": getattr(circular, "read", 0),
    }


def circular_detail(circular: Circular) -> dict[str, object]:
    return {
        **circular_out(circular),
        "body": circular.body,
        "table": circular.table or None,
        "receipts": [
            {"unit": _org(r.unit), "read_at": r.read_at, "read_by": str(r.read_by or "") or None}
            for r in selectors.circular_receipts(circular)
        ],
        "document_url": f"/api/v1/circulars/{circular.number}/document",
    }


@inspections_router.get("/circulars", response={200: list[CircularOut], **ERRORS})
def circular_list(request: StaffRequest) -> list[dict[str, object]]:
    return [circular_out(c) for c in selectors.circular_list(user=request.user)[:200]]


@inspections_router.post("/circulars", response={201: CircularDetailOut, **ERRORS})
def circular_issue(request: StaffRequest, body: CircularIn) -> Status:
    """印发通报，主送各单位；各单位阅知后回执。"""
    made = circulars.circular_issue(
        actor=request.user,
        kind=body.kind,
        title=body.title,
        body=body.body,
        unit_codes=body.units,
    )
    return Status(
        201, circular_detail(selectors.circular_get(user=request.user, number=made.number))
    )


@inspections_router.get("/circulars/{number}", response={200: CircularDetailOut, **ERRORS})
def circular_get(request: StaffRequest, number: str) -> dict[str, object]:
    return circular_detail(selectors.circular_get(user=request.user, number=number))


@inspections_router.post("/circulars/{number}/read", response={200: CircularDetailOut, **ERRORS})
def circular_read(request: StaffRequest, number: str) -> dict[str, object]:
    """阅知回执：读者所在单位确认已阅。"""
    circular = selectors.circular_get(user=request.user, number=number)
    circulars.circular_read(actor=request.user, circular=circular)
    return circular_detail(selectors.circular_get(user=request.user, number=number))


@inspections_router.get(
    "/circulars/{number}/document",
    response={200: None, **ERRORS},
    openapi_extra=WORD,
)
def circular_document(request: StaffRequest, number: str) -> HttpResponse:
    """通报（Word）。"""
    circular = selectors.circular_get(user=request.user, number=number)
    return word_response(circular_paper(circular), f"circular-{circular.pk}")


# --- 回头看 -----------------------------------------------------------------------------------


class LookbackOut(Schema):
    case_no: str
    title: str
    category: str
    after_days: int
    drawn_at: datetime
    recurred: bool
    recurrences: list[str]
    finding: str | None


@inspections_router.get("/lookbacks", response={200: list[LookbackOut], **ERRORS})
def lookback_list(request: StaffRequest, recurred: bool = False) -> list[dict[str, object]]:
    """回头看抽查记录（最近 500 条）。"""
    rows = selectors.lookback_list(user=request.user, recurred=recurred)[:500]
    return [
        {
            "case_no": s.case.case_no,
            "title": s.case.title,
            "category": s.case.category.name,
            "after_days": s.after_days,
            "drawn_at": s.drawn_at,
            "recurred": s.recurred,
            "recurrences": s.recurrences,
            "finding": s.finding.number if s.finding else None,
        }
        for s in rows
    ]
