"""The petitions API (/api/v1/petitions): scoped list (keyset pages) and detail,
registration, the workflow's actions (`POST /petitions/{number}/actions/{action}`; the older
`POST /petitions/{number}/act` is deprecated), the Word notices, and the key-petitioner
register. Endpoints hold no rules: reads go through `selectors` (out of scope is 404),
writes through `services`."""

from datetime import date, datetime, time

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from zhili.core.dossier.api import add_action_route, query_page
from zhili.core.errors import NotFound
from zhili.core.pages import DOCX, attachment
from zhili.core.schemas import ERRORS
from zhili.core.selecting import filters_from
from zhili.orgs.auth import StaffRequest
from zhili.petitions import documents, selectors, services, workflow
from zhili.petitions.api.outputs import Memo, detail_out, key_out, petition_out
from zhili.petitions.api.schemas import (
    ActIn,
    DocumentKind,
    KeyPetitionerOut,
    KeyQuery,
    PetitionActionIn,
    PetitionDetailOut,
    PetitionPageOut,
    PetitionQuery,
    RegisterIn,
)
from zhili.petitions.services import PersonIn, Registration

petitions_router = Router(tags=["信访"])


def _received(day: date | None) -> datetime | None:
    if day is None:
        return None
    now = timezone.now()
    if day >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


@petitions_router.get("/petitions", response={200: PetitionPageOut, **ERRORS})
def petition_list(request: StaffRequest, query: Query[PetitionQuery]) -> dict[str, object]:
    filters = filters_from(selectors.PetitionFilters, query.dict())
    rows = selectors.petition_list(user=request.user, filters=filters).select_related(
        "case", "repeat_of", "pending_of"
    )
    memo: Memo = {}
    return query_page(rows, query, lambda p: petition_out(p, memo), field="received_at")


@petitions_router.post("/petitions", response={201: PetitionDetailOut, **ERRORS})
def petition_register(request: StaffRequest, body: RegisterIn) -> Status:
    """Register a petition. A group visit names at most 5 representatives (422 naming
    `representatives`); a matter closed by re-review comes back not accepted with
    `repeat_flag` "已经复核终结，同一事实和理由不再受理" unless `repeat_override` is given."""
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


@petitions_router.get(
    "/petitions/key-petitioners", response={200: list[KeyPetitionerOut], **ERRORS}
)
def key_petitioner_list(request: StaffRequest, query: Query[KeyQuery]) -> list[dict[str, object]]:
    """重点上访人员: only petition staff and leaders (by role); every read is audited."""
    rows = services.key_register_show(actor=request.user, active=query.active, q=query.q)
    return [key_out(r) for r in rows]


@petitions_router.get(
    "/petitions/key-petitioners/{record_id}", response={200: KeyPetitionerOut, **ERRORS}
)
def key_petitioner_detail(request: StaffRequest, record_id: int) -> dict[str, object]:
    if not 0 < record_id < 2**31:
        raise NotFound("未找到该人员")
    return key_out(services.key_petitioner_show(actor=request.user, pk=record_id))


@petitions_router.get("/petitions/{number}", response={200: PetitionDetailOut, **ERRORS})
def petition_detail(request: StaffRequest, number: str) -> dict[str, object]:
    return detail_out(request, selectors.petition_get(user=request.user, number=number))


add_action_route(
    petitions_router,
    prefix="/petitions",
    kind=workflow.KIND,
    get=selectors.petition_get,
    act=services.petition_perform,
    body=PetitionActionIn,
    out=PetitionDetailOut,
    detail=detail_out,
)


@petitions_router.post(
    "/petitions/{number}/act",
    response={200: PetitionDetailOut, **ERRORS},
    deprecated=True,
    description="已弃用：请用 POST /petitions/{number}/actions/{action}，操作名在路径中。"
    "申请复查超过期限（自信访人收到书面答复之日起算）为 409，并写明最后一日和条款。",
)
def petition_act(request: StaffRequest, number: str, body: ActIn) -> dict[str, object]:
    petition = selectors.petition_get(user=request.user, number=number)
    params = body.dict(exclude_none=True)
    action = params.pop("action")
    petition = services.petition_act(actor=request.user, petition=petition, action=action, **params)
    return detail_out(request, petition)


@petitions_router.get(
    "/petitions/{number}/documents/{kind}",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"content": {DOCX: {}}, "description": "Word 文书"}}},
)
def petition_document(request: StaffRequest, number: str, kind: DocumentKind) -> HttpResponse:
    """受理告知书 acceptance / 不予受理告知书 not_accepted / 延期办理告知书 extension /
    答复意见书 reply; 409 when the petition has not reached it."""
    petition = selectors.petition_get(user=request.user, number=number)
    content = documents.render_petition_docx(petition, kind)
    name = documents.document_filename(petition, kind)
    return attachment(content, DOCX, f"{petition.number}-{kind}.docx", name)
