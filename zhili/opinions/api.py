"""The 舆情 API: the register's keyset list and detail, registering an item and the response
through the kernel's action path (`POST /opinions/{number}/actions/respond`)."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status

from zhili.core.dossier import api as dossier_api
from zhili.core.schemas import ERRORS, Input
from zhili.core.selecting import filters_from
from zhili.opinions import selectors, services, workflow
from zhili.opinions.models import Heat, Opinion, OpinionState, Source
from zhili.orgs.api import OrgRef
from zhili.orgs.auth import StaffRequest

opinions_router = Router(tags=["舆情"])


class OpinionIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=5000)
    source: Source
    url: str = Field(..., min_length=1, max_length=500, description="http(s) 链接")
    heat: Heat
    found_at: datetime
    place: str = Field("", max_length=40, description="涉及的乡镇综治中心编码（空：全县）")
    views: int | None = Field(None, ge=0, le=10**10, description="阅读/播放量")


class OpinionOut(Schema):
    number: str
    title: str
    source: str
    url: str
    heat: str
    views: int | None
    found_at: datetime
    place: OrgRef
    state: str = Field(..., description="open / responded")


class OpinionDetailOut(OpinionOut):
    summary: str
    response: str
    responded_at: datetime | None
    actions: list[str]
    history: list[dossier_api.DossierHistoryOut]


OpinionPageOut = dossier_api.page_schema(OpinionOut, "OpinionPageOut")


class OpinionQuery(dossier_api.PageQuery):
    state: OpinionState | None = None
    heat: Heat | None = None
    source: Source | None = None
    found_from: date | None = None
    found_to: date | None = None


class OpinionActionIn(Input):
    response: str | None = Field(None, max_length=5000, description="回应处置情况（respond）")


def opinion_out(opinion: Opinion) -> dict[str, object]:
    return {
        "number": opinion.number,
        "title": opinion.title,
        "source": opinion.source,
        "url": opinion.url,
        "heat": opinion.heat,
        "views": opinion.views,
        "found_at": opinion.found_at,
        "place": {"code": opinion.place.code, "name": opinion.place.name},
        "state": opinion.state,
    }


def opinion_detail(request: StaffRequest, opinion: Opinion) -> dict[str, object]:
    return {
        **opinion_out(opinion),
        "summary": opinion.summary,
        "response": opinion.response,
        "responded_at": opinion.responded_at,
        "actions": [t.name for t in services.actions_for(request.user, opinion)],
        "history": dossier_api.history_out(workflow.KIND, opinion),
    }


@opinions_router.get("/opinions", response={200: OpinionPageOut, **ERRORS})
def opinion_list(request: StaffRequest, query: Query[OpinionQuery]) -> dict[str, object]:
    filters = filters_from(selectors.OpinionFilters, query.dict())
    rows = selectors.opinion_list(user=request.user, filters=filters)
    return dossier_api.query_page(rows, query, opinion_out, field="found_at")


@opinions_router.post("/opinions", response={201: OpinionDetailOut, **ERRORS})
def opinion_register(request: StaffRequest, body: OpinionIn) -> Status:
    """登记网络舆情：来源、链接、热度、涉及地区。"""
    opinion = services.opinion_register(
        actor=request.user, data=services.OpinionInput(**body.dict())
    )
    return Status(201, opinion_detail(request, opinion))


@opinions_router.get("/opinions/{number}", response={200: OpinionDetailOut, **ERRORS})
def opinion_get(request: StaffRequest, number: str) -> dict[str, object]:
    return opinion_detail(request, selectors.opinion_get(user=request.user, number=number))


dossier_api.add_action_route(
    opinions_router,
    prefix="/opinions",
    kind=workflow.KIND,
    get=selectors.opinion_get,
    act=services.opinion_act,
    body=OpinionActionIn,
    out=OpinionDetailOut,
    detail=opinion_detail,
)
