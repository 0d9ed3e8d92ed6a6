"""The supervision API (督办单): scoped list (keyset pages) and detail, the actions
(`POST /supervision-orders/{number}/actions/{action}`; the older per-action paths are
deprecated) and the Word notice. Endpoints hold no rules: reads go through `selectors` (out of scope is
404), writes through `services`."""

from datetime import datetime

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from zhili.core.dossier import api as dossier_api
from zhili.core.pages import DOCX, attachment
from zhili.core.schemas import ERRORS, Input
from zhili.core.selecting import filters_from
from zhili.orgs.api import OrgRef
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.supervision import selectors, services, workflow
from zhili.supervision.documents import document_filename, render_order_docx
from zhili.supervision.models import Level, OrderState, SupervisionOrder

supervision_router = Router(tags=["督查督办"])


class OrderOut(Schema):
    number: str
    kind: str
    level: str
    level_label: str
    state: str
    state_label: str
    target_type: str
    target_id: str
    case_no: str | None
    unit: OrgRef
    copy_to: OrgRef | None
    center: OrgRef
    reason: str
    issued_at: datetime
    due_at: datetime
    due_provisional: bool = Field(
        ..., description="true 表示答复时限经过节假日安排尚未公布的年份，按临时日历计算"
    )


class OrderDetailOut(OrderOut):
    request: str
    answer_cause: str
    answer_measures: str
    answered_at: datetime | None
    closed_at: datetime | None
    close_note: str
    actions: list[str]
    history: list[dossier_api.DossierHistoryOut]


OrderPageOut = dossier_api.page_schema(OrderOut, "OrderPageOut")


class OrderQuery(dossier_api.PageQuery):
    state: str = Field("", description="issued / answered / closed")
    level: str = Field("", description="normal / yellow / red")
    unit: str = Field("", description="被督办单位编码")
    case_no: str = ""
    overdue: bool = Field(False, description="只看答复已超时的")


class AnswerIn(Input):
    cause: str = Field(..., max_length=2000, description="超期原因")
    measures: str = Field(..., max_length=2000, description="整改措施")


class CloseIn(Input):
    note: str = Field("", max_length=500, description="审核意见")


class OrderActionIn(Input):
    """The input of an action: answer reads cause and measures, close a note, reject a reason."""

    cause: str | None = Field(None, max_length=2000, description="超期原因（answer）")
    measures: str | None = Field(None, max_length=2000, description="整改措施（answer）")
    note: str | None = Field(None, max_length=500, description="审核意见（close）")
    reason: str | None = Field(None, max_length=500, description="退回理由（reject）")


def _org(org: Organization | None) -> dict[str, str] | None:
    return {"code": org.code, "name": org.name} if org is not None else None


def order_out(order: SupervisionOrder) -> dict[str, object]:
    return {
        "number": order.number,
        "kind": order.kind,
        "level": order.level,
        "level_label": Level(order.level).label,
        "state": order.state,
        "state_label": OrderState(order.state).label,
        "target_type": order.target_type,
        "target_id": order.target_id,
        "case_no": order.case.case_no if order.case else None,
        "unit": _org(order.unit),
        "copy_to": _org(order.copy_to),
        "center": _org(order.center),
        "reason": order.reason,
        "issued_at": order.issued_at,
        "due_at": order.due_at,
        "due_provisional": order.due_provisional,
    }


def detail_out(request: StaffRequest, order: SupervisionOrder) -> dict[str, object]:
    return {
        **order_out(order),
        "request": order.request,
        "answer_cause": order.answer_cause,
        "answer_measures": order.answer_measures,
        "answered_at": order.answered_at,
        "closed_at": order.closed_at,
        "close_note": order.close_note,
        "actions": [t.name for t in services.actions_for(request.user, order)],
        "history": dossier_api.history_out(workflow.KIND, order),
    }


@supervision_router.get("/supervision-orders", response={200: OrderPageOut, **ERRORS})
def order_list(request: StaffRequest, query: Query[OrderQuery]) -> dict[str, object]:
    filters = filters_from(selectors.OrderFilters, query.dict())
    orders = selectors.order_list(user=request.user, filters=filters)
    return dossier_api.query_page(orders, query, order_out, field="issued_at")


@supervision_router.get("/supervision-orders/{number}", response={200: OrderDetailOut, **ERRORS})
def order_detail(request: StaffRequest, number: str) -> dict[str, object]:
    return detail_out(request, selectors.order_get(user=request.user, number=number))


dossier_api.add_action_route(
    supervision_router,
    prefix="/supervision-orders",
    kind=workflow.KIND,
    get=selectors.order_get,
    act=services.order_act,
    body=OrderActionIn,
    out=OrderDetailOut,
    detail=detail_out,
    old={"answer": AnswerIn, "close": CloseIn},
)


@supervision_router.get(
    "/supervision-orders/{number}/document",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"content": {DOCX: {}}, "description": "督办通知单"}}},
)
def order_document(request: StaffRequest, number: str) -> HttpResponse:
    order = selectors.order_get(user=request.user, number=number)
    name = document_filename(order)
    return attachment(render_order_docx(order), DOCX, f"{order.number}.docx", name)
