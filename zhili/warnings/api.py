"""The early-warning API (预警): scoped keyset list (`new`: told to me and not read yet;
`grave`: red and orange) and detail (reading it reads the caller's notice), the actions
(`POST /warnings/{number}/actions/{sign|answer|close|reject}`) and the rules. Endpoints hold
no rules: reads go through `selectors` (out of scope is 404), writes through `services`."""

from datetime import datetime

from ninja import Field, Query, Router, Schema

from zhili.core.dossier import api as dossier_api
from zhili.core.errors import Forbidden
from zhili.core.roles import Action
from zhili.core.schemas import ERRORS, Input
from zhili.core.scope import can
from zhili.core.selecting import filters_from
from zhili.orgs.api import OrgRef
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.warnings import notices, selectors, services, workflow
from zhili.warnings.models import Level, RuleKind, Warning, WarningRule, WarningState

warnings_router = Router(tags=["预警"])


class WarningOut(Schema):
    number: str
    rule: str = Field(..., description="预警规则编码")
    kind: str
    level: str = Field(..., description="red / orange / yellow / blue")
    level_label: str
    state: str = Field(..., description="issued / signed / answered / closed")
    state_label: str
    title: str
    count: int = Field(..., description="涉及件数（预警依据）")
    unit: OrgRef
    issued_at: datetime
    sign_due_at: datetime
    answer_due_at: datetime


class WarningSourceOut(Schema):
    kind: str = Field(
        ...,
        description="case / petition / dispute / visit（逾期走访：R<人员类别id>-<起算日>）",
    )
    number: str
    title: str
    occurred_at: datetime
    url: str = Field(..., description="该记录的页面；特殊人群的逾期走访为空")


class WarningDetailOut(WarningOut):
    summary: str
    window_start: datetime
    window_end: datetime
    center: OrgRef
    answer: str
    signed_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    close_note: str
    sources: list[WarningSourceOut]
    actions: list[str]
    history: list[dossier_api.DossierHistoryOut]


WarningPageOut = dossier_api.page_schema(WarningOut, "WarningPageOut")


class WarningQuery(dossier_api.PageQuery):
    level: Level | None = Field(None, description="预警等级")
    state: WarningState | None = Field(None, description="状态")
    rule: str = Field("", max_length=40, description="预警规则编码")
    kind: RuleKind | None = Field(None, description="规则类型")
    late: bool = Field(False, description="只看签收或答复已超时的")
    open: bool = Field(False, description="只看未关闭的（待签收、处置中、已答复待审核）")
    unanswered: bool = Field(False, description="只看未答复的（待签收、处置中）")
    unit: str = Field("", max_length=40, description="责任单位编码")
    new: bool = Field(False, description="只看推送给我、尚未查看的（未关闭）")
    grave: bool = Field(False, description="只看红色、橙色预警")


class WarningActionIn(Input):
    """The input of an action: answer reads `answer`, close a `note`, reject a `reason`."""

    answer: str | None = Field(None, max_length=2000, description="研判处置情况（answer）")
    note: str | None = Field(None, max_length=500, description="审核意见（close）")
    reason: str | None = Field(None, max_length=500, description="退回理由（reject）")


class WarningRuleOut(Schema):
    code: str
    kind: str
    name: str
    level: str
    enabled: bool
    params: dict[str, int | list[str]]
    sign_hours: int
    answer_hours: int


def _org(org: Organization) -> dict[str, str]:
    return {"code": org.code, "name": org.name}


def warning_out(warning: Warning) -> dict[str, object]:
    return {
        "number": warning.number,
        "rule": warning.rule.code,
        "kind": warning.kind,
        "level": warning.level,
        "level_label": Level(warning.level).label,
        "state": warning.state,
        "state_label": WarningState(warning.state).label,
        "title": warning.title,
        "count": warning.count,
        "unit": _org(warning.unit),
        "issued_at": warning.issued_at,
        "sign_due_at": warning.sign_due_at,
        "answer_due_at": warning.answer_due_at,
    }


def detail_out(request: StaffRequest, warning: Warning) -> dict[str, object]:
    sources = selectors.warning_sources(warning)
    return {
        **warning_out(warning),
        "summary": warning.summary,
        "window_start": warning.window_start,
        "window_end": warning.window_end,
        "center": _org(warning.center),
        "answer": warning.answer,
        "signed_at": warning.signed_at,
        "answered_at": warning.answered_at,
        "closed_at": warning.closed_at,
        "close_note": warning.close_note,
        "sources": [
            {
                "kind": s.kind,
                "number": s.number,
                "title": s.title,
                "occurred_at": s.occurred_at,
                "url": s.url,  # type: ignore[attr-defined]
            }
            for s in sources
        ],
        "actions": [t.name for t in services.actions_for(request.user, warning)],
        "history": dossier_api.history_out(workflow.KIND, warning),
    }


@warnings_router.get("/warnings", response={200: WarningPageOut, **ERRORS})
def warning_list(request: StaffRequest, query: Query[WarningQuery]) -> dict[str, object]:
    filters = filters_from(selectors.WarningFilters, query.dict())
    warnings = selectors.warning_list(user=request.user, filters=filters)
    return dossier_api.query_page(warnings, query, warning_out, field="issued_at")


@warnings_router.get("/warnings/{number}", response={200: WarningDetailOut, **ERRORS})
def warning_detail(request: StaffRequest, number: str) -> dict[str, object]:
    warning = selectors.warning_get(user=request.user, number=number)
    notices.notices_read(actor=request.user, warning=warning)  # reading it is 阅知
    return detail_out(request, warning)


dossier_api.add_action_route(
    warnings_router,
    prefix="/warnings",
    kind=workflow.KIND,
    get=selectors.warning_get,
    act=services.warning_act,
    body=WarningActionIn,
    out=WarningDetailOut,
    detail=detail_out,
)


@warnings_router.get("/warning-rules", response={200: list[WarningRuleOut], **ERRORS})
def rule_list(request: StaffRequest) -> list[WarningRule]:
    if not can(request.user, Action.WARNINGS_VIEW):
        raise Forbidden("您的角色不能查看预警规则")
    return list(selectors.rule_list())
