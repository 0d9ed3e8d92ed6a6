"""The people register API (实有人口): scoped, masked lists in keyset pages, the person's
detail with the roles the viewer may see, create (422 naming the field, 409 with the existing
record's link), update, archive, the audited reveal, and a person's roles. Endpoints hold no
rules: reads go through `selectors`, writes through `services`."""

import uuid
from datetime import date, datetime
from typing import TypeVar

from django.db.models import QuerySet
from django.http import JsonResponse
from ninja import Field, Query, Router, Schema, Status

from zhili.core.dossier import api as dossier_api
from zhili.core.errors import Conflict
from zhili.core.personal import mask_id_number, mask_phone
from zhili.core.schemas import ERRORS, Input
from zhili.orgs.auth import StaffRequest
from zhili.registers import mentions, selectors, services, visits
from zhili.registers.kinds import KINDS, CareLevel, Kind
from zhili.registers.models import ChangeRow, Person, PersonRole
from zhili.registers.selectors import PersonHouse

people_router = Router(tags=["实有人口"])
Change = TypeVar("Change", bound=ChangeRow)


class PersonGridRef(Schema):
    code: str
    name: str


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    birth_year: int
    id_number: str = Field(..., description="脱敏：行政区划码与末四位")
    phone: str = Field(..., description="脱敏")
    grid: PersonGridRef
    archived: bool
    created_at: datetime


class RoleOut(Schema):
    id: int
    kind: str
    kind_label: str
    special: bool
    care_level: str
    care_level_label: str
    details: dict[str, object]
    started_at: datetime
    ended_at: datetime | None
    ended_why: str


class ChangeOut(Schema):
    at: datetime
    actor: str | None
    action: str
    changes: dict[str, object]


class PersonHouseOut(Schema):
    id: int = Field(..., description="房屋编号（/api/v1/houses/{id}）")
    address: str
    relation: str = Field(..., description="房主 或 承租人")
    starts_on: date | None = Field(None, description="起租日期（承租人）")
    ends_on: date | None = Field(None, description="止租日期（承租人）")


class NamedOut(Schema):
    code: str = Field(..., description="档案码")
    noun: str = Field(..., description="档案类别")
    title: str
    state: str
    page: str
    relation: str
    linked_at: datetime


class PersonDetailOut(PersonOut):
    birth_date: date
    former_names: str
    ethnicity: str
    native_place: str
    marital_status: str
    political_status: str
    education: str
    religion: str
    occupation: str
    workplace: str
    registered_address: str
    current_address: str
    house: str
    room: str
    same_as_registered: bool
    archived_at: datetime | None
    archived_why: str
    roles: list[RoleOut]
    houses: list[PersonHouseOut] = Field(..., description="本人拥有或承租的房屋（可见范围内）")
    records: list[NamedOut] = Field(
        ..., description="关联本人的工单、纠纷、信访事项、指挥事件（可见范围内，一人一档）"
    )
    history: list[ChangeOut]


PersonPageOut = dossier_api.page_schema(PersonOut, "PersonPageOut")


class PersonQuery(dossier_api.PageQuery):
    grid: str = Field("", max_length=40, description="网格编码")
    role: str = Field("", max_length=20, description="人员类别：" + "、".join(Kind.values))
    q: str = Field(
        "",
        max_length=60,
        description="完整身份证号码或电话；姓名须同时指定网格（不能全县按姓名查）",
    )


class PersonFields(Input):
    name: str | None = Field(None, max_length=60)
    former_names: str | None = Field(None, max_length=120)
    ethnicity: str | None = Field(None, max_length=20)
    native_place: str | None = Field(None, max_length=100)
    marital_status: str | None = Field(None, max_length=20)
    political_status: str | None = Field(None, max_length=20)
    education: str | None = Field(None, max_length=20)
    religion: str | None = Field(None, max_length=20)
    occupation: str | None = Field(None, max_length=60)
    workplace: str | None = Field(None, max_length=200)
    registered_address: str | None = Field(None, max_length=200)
    current_address: str | None = Field(None, max_length=200)
    grid: str | None = Field(None, max_length=40, description="网格编码")
    house: str | None = Field(None, max_length=120)
    room: str | None = Field(None, max_length=40)
    same_as_registered: bool | None = None
    phone: str | None = Field(None, max_length=20)


class PersonIn(PersonFields):
    id_number: str = Field(..., max_length=18, description="18位公民身份号码")
    name: str | None = Field(..., max_length=60)
    grid: str | None = Field(..., max_length=40, description="网格编码")


class ArchiveIn(Input):
    why: str = Field(..., max_length=200, description="注销原因")


class RevealIn(Input):
    field: str = Field("id_number", description="id_number 或 phone")


class RevealOut(Schema):
    field: str
    value: str


class RoleIn(Input):
    kind: str = Field(..., max_length=20, description="、".join(Kind.values))
    care_level: str = Field(CareLevel.NORMAL, max_length=10, description="high / normal / low")
    details: dict[str, object] = Field(default_factory=dict, description="该类别的专项信息")


class RoleChangeIn(Input):
    care_level: str | None = Field(None, max_length=10)
    details: dict[str, object] | None = None


class RoleEndIn(Input):
    why: str = Field(..., max_length=200)


def person_out(person: Person) -> dict[str, object]:
    return {
        "id": person.pk,
        "name": person.name,
        "sex": person.get_sex_display(),
        "birth_year": person.birth_date.year,
        "id_number": mask_id_number(person.id_number),
        "phone": mask_phone(person.phone),
        "grid": {"code": person.grid.code, "name": person.grid.name},
        "archived": person.archived,
        "created_at": person.created_at,
    }


def role_out(role: PersonRole) -> dict[str, object]:
    return {
        "id": role.pk,
        "kind": role.kind,
        "kind_label": Kind(role.kind).label,
        "special": KINDS[role.kind].special,
        "care_level": role.care_level,
        "care_level_label": CareLevel(role.care_level).label,
        "details": role.details,
        "started_at": role.started_at,
        "ended_at": role.ended_at,
        "ended_why": role.ended_why,
    }


def detail_out(request: StaffRequest, person: Person) -> dict[str, object]:
    roles = selectors.person_roles(request.user, person)
    return {
        **person_out(person),
        **{
            name: getattr(person, name)
            for name in PersonDetailOut.model_fields
            if name not in PersonOut.model_fields
            and name not in ("roles", "houses", "records", "history")
        },
        "roles": [role_out(role) for role in roles],
        "houses": [house_ref_out(row) for row in selectors.person_houses(request.user, person)],
        "records": [vars(n) for n in mentions.records_naming(request.user, person=person)],
        "history": history_out(person.changes.all()),
    }


def house_ref_out(row: PersonHouse) -> dict[str, object]:
    tenancy = row["tenancy"]
    return {
        "id": row["house"].pk,
        "address": row["house"].address,
        "relation": row["relation"],
        "starts_on": tenancy.starts_on if tenancy else None,
        "ends_on": tenancy.ends_on if tenancy else None,
    }


def history_out(rows: "QuerySet[Change]") -> list[dict[str, object]]:
    """A register record's history (`ChangeOut`), the newest 100 changes."""
    return [
        {
            "at": change.at,
            "actor": change.actor.display_name if change.actor else None,
            "action": change.action,
            "changes": change.changes,
        }
        for change in rows.select_related("actor")[:100]
    ]


def duplicate_response(exc: Conflict, link: str) -> JsonResponse:
    """The 409 of a create refused as a duplicate, with the existing record's `link`."""
    body = {"detail": exc.message, "code": exc.code, "field": exc.field, "link": link}
    return JsonResponse(body, status=409)


def person_link(person: Person) -> str:
    return f"/api/v1/people/{person.pk}"


@people_router.get("/people", response={200: PersonPageOut, **ERRORS})
def person_list(request: StaffRequest, query: Query[PersonQuery]) -> dict[str, object]:
    rows = selectors.people_list(request.user, grid=query.grid, role=query.role, q=query.q)
    page = dossier_api.query_page(rows, query, person_out, field="created_at")
    ids = [item["id"] for item in page["items"]]  # type: ignore[attr-defined]
    selectors.audit_special_list(request.user, query.role, ids)
    return page


@people_router.post("/people", response={201: PersonDetailOut, **ERRORS})
def person_create(
    request: StaffRequest, body: PersonIn
) -> Status[dict[str, object]] | JsonResponse:
    try:
        person = services.person_create(actor=request.user, values=body.dict())
    except services.DuplicatePerson as exc:
        return duplicate_response(exc, person_link(exc.existing))
    return Status(201, detail_out(request, selectors.person_get(request.user, person.pk)))


@people_router.get("/people/{int:person_id}", response={200: PersonDetailOut, **ERRORS})
def person_detail(request: StaffRequest, person_id: int) -> dict[str, object]:
    return detail_out(request, selectors.person_get(request.user, person_id))


@people_router.patch("/people/{int:person_id}", response={200: PersonDetailOut, **ERRORS})
def person_update(request: StaffRequest, person_id: int, body: PersonFields) -> dict[str, object]:
    values = body.dict(exclude_unset=True)
    person = services.person_update(actor=request.user, person_id=person_id, values=values)
    return detail_out(request, person)


@people_router.post("/people/{int:person_id}/archive", response={200: PersonDetailOut, **ERRORS})
def person_archive(request: StaffRequest, person_id: int, body: ArchiveIn) -> dict[str, object]:
    person = services.person_archive(actor=request.user, person_id=person_id, why=body.why)
    return detail_out(request, person)


@people_router.post("/people/{int:person_id}/reveal", response={200: RevealOut, **ERRORS})
def person_reveal(request: StaffRequest, person_id: int, body: RevealIn) -> dict[str, str]:
    value = services.person_reveal(actor=request.user, person_id=person_id, field=body.field)
    return {"field": body.field, "value": value}


@people_router.post("/people/{int:person_id}/roles", response={201: RoleOut, **ERRORS})
def role_add(request: StaffRequest, person_id: int, body: RoleIn) -> Status[dict[str, object]]:
    role = services.role_add(
        actor=request.user,
        person_id=person_id,
        kind=body.kind,
        care_level=body.care_level,
        details=body.details,
    )
    return Status(201, role_out(role))


@people_router.get("/people/{int:person_id}/roles/{int:role_id}", response={200: RoleOut, **ERRORS})
def role_detail(request: StaffRequest, person_id: int, role_id: int) -> dict[str, object]:
    person = selectors.person_get(request.user, person_id)
    role = selectors.role_get(request.user, person, role_id)
    selectors.audit_role_read(request.user, person, role)
    return role_out(role)


@people_router.patch(
    "/people/{int:person_id}/roles/{int:role_id}", response={200: RoleOut, **ERRORS}
)
def role_update(
    request: StaffRequest, person_id: int, role_id: int, body: RoleChangeIn
) -> dict[str, object]:
    role = services.role_update(
        actor=request.user,
        person_id=person_id,
        role_id=role_id,
        care_level=body.care_level,
        details=body.details,
    )
    return role_out(role)


@people_router.post(
    "/people/{int:person_id}/roles/{int:role_id}/end", response={200: RoleOut, **ERRORS}
)
def role_end(
    request: StaffRequest, person_id: int, role_id: int, body: RoleEndIn
) -> dict[str, object]:
    role = services.role_end(actor=request.user, person_id=person_id, role_id=role_id, why=body.why)
    return role_out(role)


__all__ = ["people_router"]


class VisitQuery(Input):
    due_before: datetime = Field(..., description="列出此时刻之前到期的走访")
    grid: str = Field("", max_length=40, description="网格编码")


class VisitDueOut(Schema):
    person_id: int
    person_name: str
    grid: PersonGridRef
    role_id: int
    kind: str
    kind_label: str
    care_level: str
    last_visit: datetime | None
    due_at: datetime
    overdue: bool


class VisitIn(Input):
    client_uuid: uuid.UUID = Field(..., description="手机端生成，重发不重复记录")
    person_id: int
    role_id: int
    visited_at: datetime
    notes: str = Field("", max_length=2000)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class VisitOut(Schema):
    id: int
    client_uuid: uuid.UUID
    role_id: int
    visited_at: datetime
    created: bool


@people_router.get("/visits", response={200: list[VisitDueOut], **ERRORS})
def visit_due_list(request: StaffRequest, query: Query[VisitQuery]) -> list[dict[str, object]]:
    rows = visits.visits_due(request.user, due_before=query.due_before, grid=query.grid)
    return [
        {
            "person_id": d.role.person_id,
            "person_name": d.role.person.name,
            "grid": {"code": d.role.person.grid.code, "name": d.role.person.grid.name},
            "role_id": d.role.pk,
            "kind": d.role.kind,
            "kind_label": Kind(d.role.kind).label,
            "care_level": d.role.care_level,
            "last_visit": d.last_visit,
            "due_at": d.due_at,
            "overdue": d.overdue,
        }
        for d in rows[:500]
    ]


@people_router.post("/visits", response={200: VisitOut, 201: VisitOut, **ERRORS})
def visit_create(request: StaffRequest, body: VisitIn) -> Status[dict[str, object]]:
    visit, created = visits.visit_record(
        actor=request.user,
        person_id=body.person_id,
        role_id=body.role_id,
        client_uuid=body.client_uuid,
        visited_at=body.visited_at,
        notes=body.notes,
        lat=body.lat,
        lng=body.lng,
    )
    out = {
        "id": visit.pk,
        "client_uuid": visit.client_uuid,
        "role_id": visit.role_id,
        "visited_at": visit.visited_at,
        "created": created,
    }
    return Status(201 if created else 200, out)
