"""The houses and places registers' API, on the people register's conventions: scoped lists
in keyset pages (`{items, next_cursor}`), a record out of sight is 404, create answers 201
(422 naming the field, 409 with the existing record's link for a duplicate credit code),
PATCH changes the fields it names (each change a history row with [old, new], audited; an
archived record is a 409), archive instead of delete, a person's personal numbers masked.

- `/api/v1/houses` (实有房屋), with `/tenancies` and `/hazards` of a house;
- one set of routes per kind of `places.PLACE_KINDS`: `/api/v1/organizations-registry`,
  `/api/v1/schools`, `/api/v1/lines`, `/api/v1/key-areas`."""

from collections.abc import Callable
from datetime import date, datetime

from django.http import JsonResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from zhili.core.dossier import api as dossier_api
from zhili.core.personal import mask_id_number
from zhili.core.schemas import ERRORS, Input
from zhili.orgs.auth import StaffRequest
from zhili.registers import houses, records, selectors
from zhili.registers.api import (
    ArchiveIn,
    ChangeOut,
    PersonGridRef,
    duplicate_response,
    history_out,
)
from zhili.registers.models import Hazard, House, Person, Place, Tenancy
from zhili.registers.places import PLACE_KINDS, PlaceKind

records_router = Router(tags=["实有房屋与单位场所"])


class HousePersonOut(Schema):
    id: int
    name: str
    id_number: str = Field(..., description="脱敏")


class HouseOut(Schema):
    id: int
    address: str
    grid: PersonGridRef
    use: str
    use_label: str
    let: bool
    owner: HousePersonOut | None
    lat: float | None
    lng: float | None
    archived: bool
    created_at: datetime


class TenancyOut(Schema):
    id: int
    tenant: HousePersonOut
    starts_on: date
    ends_on: date | None
    current: bool


class HazardOut(Schema):
    id: int
    found_on: date
    description: str
    fixed_on: date | None


class HouseDetailOut(HouseOut):
    ownership: str
    ownership_label: str
    structure: str
    structure_label: str
    area_m2: float
    archived_at: datetime | None
    archived_why: str
    tenancies: list[TenancyOut]
    hazards: list[HazardOut]
    history: list[ChangeOut]


class HouseQuery(dossier_api.PageQuery):
    grid: str = Field("", max_length=40, description="网格编码")
    let: bool | None = Field(None, description="true：出租房屋；false：未出租")
    q: str = Field("", max_length=60, description="地址中的文字")


class PlaceFields(Input):
    grid: str = Field(..., max_length=40, description="网格编码")
    address: str = Field(..., max_length=200)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class HouseIn(PlaceFields):
    use: str = Field(..., max_length=12)
    ownership: str = Field(..., max_length=12)
    structure: str = Field(..., max_length=16)
    area_m2: float = Field(..., description="建筑面积（平方米）")
    owner_id: int | None = Field(None, description="房主（实有人口的人员编号）")
    let: bool = False


class HouseChangeIn(Input):
    """A house's fields to change (a partial update): only those sent are changed."""

    grid: str | None = Field(None, max_length=40, description="网格编码")
    address: str | None = Field(None, max_length=200)
    lat: float | None = Field(
        None, ge=-90, le=90, description="与 lng 同时提供；均为 null 清除位置"
    )
    lng: float | None = Field(None, ge=-180, le=180)
    use: str | None = Field(None, max_length=12)
    ownership: str | None = Field(None, max_length=12)
    structure: str | None = Field(None, max_length=16)
    area_m2: float | None = Field(None, description="建筑面积（平方米）")
    owner_id: int | None = Field(None, description="房主（实有人口的人员编号）；null：无房主")
    let: bool | None = Field(None, description="有在租承租人时不能改为 false")


class TenancyIn(Input):
    person_id: int = Field(..., description="承租人（实有人口的人员编号）")
    starts_on: date
    ends_on: date | None = None


class TenancyEndIn(Input):
    ends_on: date


class HazardIn(Input):
    found_on: date
    description: str = Field(..., max_length=500)


class HazardFixIn(Input):
    fixed_on: date


class PlaceOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    credit_code: str
    grid: PersonGridRef
    address: str
    lat: float | None
    lng: float | None
    details: dict[str, object]
    archived: bool
    created_at: datetime


class PlaceDetailOut(PlaceOut):
    archived_at: datetime | None
    archived_why: str
    history: list[ChangeOut]


class PlaceIn(PlaceFields):
    name: str = Field(..., max_length=120)
    credit_code: str = Field("", max_length=18, description="统一社会信用代码（企业和社会组织）")
    details: dict[str, object] = Field(default_factory=dict, description="该类别的专项信息")


class PlaceChangeIn(Input):
    """A place's fields to change (a partial update): only those sent are changed."""

    grid: str | None = Field(None, max_length=40, description="网格编码")
    address: str | None = Field(None, max_length=200)
    lat: float | None = Field(
        None, ge=-90, le=90, description="与 lng 同时提供；均为 null 清除位置"
    )
    lng: float | None = Field(None, ge=-180, le=180)
    name: str | None = Field(None, max_length=120)
    credit_code: str | None = Field(None, max_length=18, description="统一社会信用代码")
    details: dict[str, object] | None = Field(
        None, description="要修改的专项信息字段（与已有的合并）；值为 null 清除该字段"
    )


class PlaceQuery(dossier_api.PageQuery):
    grid: str = Field("", max_length=40, description="网格编码")
    q: str = Field("", max_length=60, description="名称中的文字，或完整的统一社会信用代码")


HousePageOut = dossier_api.page_schema(HouseOut, "HousePageOut")
PlacePageOut = dossier_api.page_schema(PlaceOut, "PlacePageOut")


def person_ref(person: Person | None) -> dict[str, object] | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.name, "id_number": mask_id_number(person.id_number)}


def house_out(house: House) -> dict[str, object]:
    return {
        "id": house.pk,
        "address": house.address,
        "grid": {"code": house.grid.code, "name": house.grid.name},
        "use": house.use,
        "use_label": house.get_use_display(),
        "let": house.let,
        "owner": person_ref(house.owner),
        "lat": house.lat,
        "lng": house.lng,
        "archived": house.archived,
        "created_at": house.created_at,
    }


def house_detail_out(house: House) -> dict[str, object]:
    today = timezone.localdate()
    return {
        **house_out(house),
        "ownership": house.ownership,
        "ownership_label": house.get_ownership_display(),
        "structure": house.structure,
        "structure_label": house.get_structure_display(),
        "area_m2": float(house.area_m2),
        "archived_at": house.archived_at,
        "archived_why": house.archived_why,
        "tenancies": [tenancy_out(t, today) for t in selectors.house_tenancies(house)],
        "hazards": [hazard_out(h) for h in house.hazards.order_by("-found_on", "-id")],
        "history": history_out(house.changes.all()),
    }


def tenancy_out(tenancy: Tenancy, today: date) -> dict[str, object]:
    start, end = tenancy.starts_on, tenancy.ends_on
    return {
        "id": tenancy.pk,
        "tenant": person_ref(tenancy.person),
        "starts_on": start,
        "ends_on": end,
        "current": start <= today and (end is None or end >= today),
    }


def hazard_out(hazard: Hazard) -> dict[str, object]:
    return {
        "id": hazard.pk,
        "found_on": hazard.found_on,
        "description": hazard.description,
        "fixed_on": hazard.fixed_on,
    }


def _house(request: StaffRequest, house_id: int) -> dict[str, object]:
    return house_detail_out(selectors.house_get(request.user, house_id))


def _added(request: StaffRequest, house_id: int) -> Status[dict[str, object]]:
    return Status(201, _house(request, house_id))


HOUSE = {200: HouseDetailOut, **ERRORS}  # a house's answer: the house as it now is
HOUSE_ADDED = {201: HouseDetailOut, **ERRORS}  # ... after adding to it


@records_router.get("/houses", response={200: HousePageOut, **ERRORS})
def house_list(request: StaffRequest, query: Query[HouseQuery]) -> dict[str, object]:
    rows = selectors.house_list(request.user, grid=query.grid, let=query.let, q=query.q)
    return dossier_api.query_page(rows, query, house_out, field="created_at")


@records_router.post("/houses", response=HOUSE_ADDED)
def house_create(request: StaffRequest, body: HouseIn) -> Status[dict[str, object]]:
    house = houses.house_create(actor=request.user, values=body.dict())
    return _added(request, house.pk)


@records_router.get("/houses/{int:house_id}", response=HOUSE)
def house_detail(request: StaffRequest, house_id: int) -> dict[str, object]:
    return _house(request, house_id)


@records_router.patch("/houses/{int:house_id}", response=HOUSE)
def house_update(request: StaffRequest, house_id: int, body: HouseChangeIn) -> dict[str, object]:
    values = body.dict(exclude_unset=True)
    houses.house_update(actor=request.user, house_id=house_id, values=values)
    return _house(request, house_id)


@records_router.post("/houses/{int:house_id}/archive", response=HOUSE)
def house_archive(request: StaffRequest, house_id: int, body: ArchiveIn) -> dict[str, object]:
    houses.house_archive(actor=request.user, house_id=house_id, why=body.why)
    return _house(request, house_id)


@records_router.post("/houses/{int:house_id}/tenancies", response=HOUSE_ADDED)
def tenancy_add(request: StaffRequest, house_id: int, body: TenancyIn) -> Status[dict[str, object]]:
    houses.tenancy_add(actor=request.user, house_id=house_id, **body.dict())
    return _added(request, house_id)


@records_router.post("/houses/{int:house_id}/tenancies/{int:tenancy_id}/end", response=HOUSE)
def tenancy_end(
    request: StaffRequest, house_id: int, tenancy_id: int, body: TenancyEndIn
) -> dict[str, object]:
    houses.tenancy_end(
        actor=request.user, house_id=house_id, tenancy_id=tenancy_id, ends_on=body.ends_on
    )
    return _house(request, house_id)


@records_router.post("/houses/{int:house_id}/hazards", response=HOUSE_ADDED)
def hazard_add(request: StaffRequest, house_id: int, body: HazardIn) -> Status[dict[str, object]]:
    houses.hazard_add(actor=request.user, house_id=house_id, **body.dict())
    return _added(request, house_id)


@records_router.post("/houses/{int:house_id}/hazards/{int:hazard_id}/fix", response=HOUSE)
def hazard_fix(
    request: StaffRequest, house_id: int, hazard_id: int, body: HazardFixIn
) -> dict[str, object]:
    houses.hazard_fix(
        actor=request.user, house_id=house_id, hazard_id=hazard_id, fixed_on=body.fixed_on
    )
    return _house(request, house_id)


# --- the places' registers: one set of routes per kind --------------------------------------


def place_out(place: Place) -> dict[str, object]:
    return {
        "id": place.pk,
        "kind": place.kind,
        "kind_label": PlaceKind(place.kind).label,
        "name": place.name,
        "credit_code": place.credit_code,
        "grid": {"code": place.grid.code, "name": place.grid.name},
        "address": place.address,
        "lat": place.lat,
        "lng": place.lng,
        "details": place.details,
        "archived": place.archived,
        "created_at": place.created_at,
    }


def place_detail_out(place: Place) -> dict[str, object]:
    return {
        **place_out(place),
        "archived_at": place.archived_at,
        "archived_why": place.archived_why,
        "history": history_out(place.changes.all()),
    }


Endpoint = Callable[..., object]  # its parameters are read by ninja


def add_place_routes(router: Router, kind: str) -> None:
    """GET and POST `/<slug>`, GET and PATCH `/<slug>/{id}`, POST `/<slug>/{id}/archive` for
    `kind`."""
    label = PlaceKind(kind).label
    base = f"/{PLACE_KINDS[kind].slug}"
    one = f"{base}/{{int:place_id}}"
    listed, create, detail, update, archive = place_views(kind, base)
    # method, path, answer, action (the operation id's end), summary, endpoint
    routes: list[tuple[str, str, dict[int, type[Schema]], str, str, Endpoint]] = [
        ("GET", base, {200: PlacePageOut}, "list", label, listed),
        ("POST", base, {201: PlaceDetailOut}, "create", f"登记{label}", create),
        ("GET", one, {200: PlaceDetailOut}, "detail", f"{label}详情", detail),
        ("PATCH", one, {200: PlaceDetailOut}, "update", f"修改{label}", update),
        ("POST", f"{one}/archive", {200: PlaceDetailOut}, "archive", f"注销{label}", archive),
    ]
    op = kind.replace("-", "_")
    for method, path, answer, action, summary, endpoint in routes:
        router.add_api_operation(
            path,
            [method],
            endpoint,
            response={**answer, **ERRORS},
            operation_id=f"{op}_{action}",
            summary=summary,
        )


def place_views(kind: str, base: str) -> tuple[Endpoint, Endpoint, Endpoint, Endpoint, Endpoint]:
    """The endpoints of one place kind (`base`: its path): list, create, detail, update,
    archive."""

    def place_list(request: StaffRequest, query: Query[PlaceQuery]) -> dict[str, object]:
        rows = selectors.place_list(request.user, kind, grid=query.grid, q=query.q)
        return dossier_api.query_page(rows, query, place_out, field="created_at")

    def place_create(
        request: StaffRequest, body: PlaceIn
    ) -> Status[dict[str, object]] | JsonResponse:
        try:
            place = records.place_create(actor=request.user, kind=kind, values=body.dict())
        except records.DuplicatePlace as exc:
            return duplicate_response(exc, f"/api/v1{base}/{exc.existing.pk}")
        return Status(201, place_detail(request, place.pk))

    def place_detail(request: StaffRequest, place_id: int) -> dict[str, object]:
        return place_detail_out(selectors.place_get(request.user, kind, place_id))

    def place_update(
        request: StaffRequest, place_id: int, body: PlaceChangeIn
    ) -> dict[str, object] | JsonResponse:
        values = body.dict(exclude_unset=True)
        try:
            place = records.place_update(
                actor=request.user, kind=kind, place_id=place_id, values=values
            )
        except records.DuplicatePlace as exc:
            return duplicate_response(exc, f"/api/v1{base}/{exc.existing.pk}")
        return place_detail_out(place)

    def place_archive(request: StaffRequest, place_id: int, body: ArchiveIn) -> dict[str, object]:
        place = records.place_archive(
            actor=request.user, kind=kind, place_id=place_id, why=body.why
        )
        return place_detail_out(place)

    return place_list, place_create, place_detail, place_update, place_archive


for _kind in PLACE_KINDS:
    add_place_routes(records_router, _kind)

__all__ = ["records_router"]
