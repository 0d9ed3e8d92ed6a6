from django.contrib.auth import authenticate, logout, user_logged_in
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.http import parse_etags
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from zhili.core import schemas
from zhili.core.dates import Day
from zhili.core.roles import Action
from zhili.core.schemas import ERRORS, ErrorOut, Input
from zhili.core.scope import require, role_codes
from zhili.core.selecting import filter_given
from zhili.orgs import lockout, selectors, services
from zhili.orgs.auth import StaffRequest
from zhili.orgs.boundary_file import upload_content
from zhili.orgs.models import Grid, Kind, Level, Organization

auth_router = Router(tags=["认证"])
orgs_router = Router(tags=["组织与网格"])

# Bounds on what any endpoint accepts, far beyond real use and within what every database's
# integers can take: beyond them a client gets a 422 naming the field, not an overflow (500).
# Dates: `Day` and its kin in zhili.core.dates (re-exported here for the routers).
MAX_OFFSET = 10**9
__all__ = ["MAX_OFFSET", "Day", "ErrorOut", "OrgRef", "Paging"]


class Paging(LimitOffsetPagination):
    class Input(schemas.Input):  # ninja's name for a paginator's query
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Credentials(Input):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=200)
    name: str = Field("", max_length=100, description="设备或集成的名称，便于日后吊销")


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    username: str


class LoginErrorOut(ErrorOut):
    remaining: int | None = Field(None, description="本账号在本地址还可尝试的次数，用尽即临时锁定")


@auth_router.post(
    "/auth/token", auth=None, response={200: TokenOut, 401: LoginErrorOut, 429: LoginErrorOut}
)
def token_create(request: HttpRequest, credentials: Credentials) -> dict[str, str] | Status:
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            return Status(
                429,
                {
                    "detail": "登录失败次数过多，账号已被临时锁定",
                    "code": "locked_out",
                    "field": "username",
                    "remaining": 0,
                },
            )
        warning = lockout.warning(request)
        return Status(
            401,
            {
                "detail": f"用户名或密码错误，{warning}" if warning else "用户名或密码错误",
                "code": "bad_credentials",
                "field": "password",
                "remaining": lockout.remaining(request),
            },
        )
    # A token login is a login: the signal resets django-axes' failure count for the
    # account (AXES_RESET_ON_SUCCESS) and records last_login, as the login page does.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    raw = services.token_issue(user=user, name=credentials.name)
    return {"token": raw, "username": user.username}


@auth_router.post("/auth/logout", response={204: None})
def token_logout(request: StaffRequest) -> Status:
    token = getattr(request, "auth_token", None)
    if token is not None:
        raw = request.headers.get("Authorization", "").split(" ", 1)[-1].strip()
        services.token_revoke(user=request.user, raw=raw)
    else:
        logout(request)
    return Status(204, None)


class OrgRef(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    full_name: str
    organization: OrgRef | None
    roles: list[str]
    is_superuser: bool


@orgs_router.get("/me", response=MeOut)
def me(request: StaffRequest) -> dict[str, object]:
    user = request.user
    org = user.organization
    return {
        "username": user.username,
        "full_name": user.full_name,
        "organization": {"code": org.code, "name": org.name} if org else None,
        "roles": sorted(role_codes(user)),
        "is_superuser": user.is_superuser,
    }


class OrgOut(Schema):
    code: str
    name: str
    kind: str
    level: str
    parent: str | None
    path: str

    @staticmethod
    def resolve_parent(obj: Organization) -> str | None:
        return obj.parent.code if obj.parent else None


class OrgFilters(Input):
    level: Level | None = None
    kind: Kind | None = None
    parent: str | None = Field(None, description="上级单位编码")
    q: str | None = Field(None, max_length=50, description="名称或编码包含")


@orgs_router.get("/orgs", response=list[OrgOut])
@paginate(Paging)
def org_list(request: StaffRequest, filters: Query[OrgFilters]) -> QuerySet[Organization]:
    qs = selectors.organization_list(user=request.user)
    qs = filter_given(qs, level=filters.level, kind=filters.kind)
    if filters.parent:
        qs = qs.filter(parent=selectors.organization_get(user=request.user, code=filters.parent))
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return qs.order_by("path")


# --- boundaries (区划边界); before /orgs/{code}, which would take "boundaries" for a code ---


class BoundaryFilters(Input):
    level: Level | None = Field(
        None, description="层级：county（县）、township（乡镇）、village（村、社区）"
    )
    within: str | None = Field(
        None, max_length=40, description="只取该单位及其下级单位的边界（单位编码，如 320722003）"
    )


@orgs_router.get(
    "/orgs/boundaries",
    response={200: dict, 304: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="boundary_collection",
)
def boundary_collection(request: StaffRequest, filters: Query[BoundaryFilters]) -> HttpResponse:
    """区划边界（GeoJSON FeatureCollection）：可见范围内各单位的边界，properties 含 code、name、
    level、parent、source（schematic 示意 / official 正式）、area_km2。带 ETag：再次请求时带上
    If-None-Match，边界未变则答 304。"""
    selection = selectors.boundary_features(
        user=request.user, level=filters.level, within=filters.within
    )
    etag = f'"{selection.etag}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponse(status=304)
    else:
        features = ",".join(feature.text for feature in selection.features)
        body = f'{{"type":"FeatureCollection","features":[{features}]}}'
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    # Kept by the browser, asked again every time: a 304 costs no geometry (not personal data).
    response["Cache-Control"] = "private, no-cache"
    return response


class BoundaryLevelCounts(Schema):
    county: int = 0
    township: int = 0
    village: int = 0


class BoundaryRepairedOut(Schema):
    feature: int = Field(..., description="要素在 features 中的序号（从 0 起）")
    code: str
    reason: str = Field(..., description="修复前多边形无效的原因（GEOS）")


class BoundaryUnitOut(Schema):
    code: str
    name: str
    level: str


class BoundaryImportOut(Schema):
    file_name: str
    sha256: str
    added: BoundaryLevelCounts = Field(..., description="原无边界、本次新增的单位数")
    replaced: BoundaryLevelCounts = Field(
        ..., description="边界被替换的单位数（原为示意或其他文件）"
    )
    unchanged: BoundaryLevelCounts = Field(..., description="已是本文件边界、未改动的单位数")
    repaired: list[BoundaryRepairedOut]
    missing: list[BoundaryUnitOut] = Field(
        ..., description="可见范围内仍无正式边界的乡镇和村（社区）"
    )


def boundary_import_out(result: services.BoundaryImport) -> dict[str, object]:
    return {
        "file_name": result.file_name,
        "sha256": result.sha256,
        "added": result.added,
        "replaced": result.replaced,
        "unchanged": result.unchanged,
        "repaired": result.repaired,
        "missing": [
            {"code": unit.code, "name": unit.display_area, "level": unit.level}
            for unit in result.missing
        ],
    }


@orgs_router.post(
    "/orgs/boundaries",
    response={200: BoundaryImportOut, 201: BoundaryImportOut, **ERRORS},
    url_name="boundaries_import",
)
def boundaries_import(request: StaffRequest, file: File[UploadedFile]) -> Status:
    """上传正式区划边界（系统管理员）：multipart 的 `file`，GeoJSON FeatureCollection，
    每个要素以属性 code（或 区划代码、adcode）指明单位。全部通过才写入；有新增答 201，
    仅替换答 200；有误答 422，field 指明要素，如 features[3].properties.code。"""
    require(request.user, Action.ORGS_MANAGE)  # before reading a file of up to 20 MB
    result = services.boundaries_import(
        actor=request.user, name=file.name or "", content=upload_content(file)
    )
    return Status(201 if result.created else 200, boundary_import_out(result))


@orgs_router.get("/orgs/{code}", response=OrgOut)
def org_detail(request: StaffRequest, code: str) -> Organization:
    return selectors.organization_get(user=request.user, code=code)


def grid_feature(grid: Grid) -> dict[str, object]:
    village = grid.village
    township = village.parent
    return {
        "type": "Feature",
        "id": grid.code,
        "geometry": grid.geometry,
        "properties": {
            "code": grid.code,
            "name": grid.name,
            "village": {"code": village.code, "name": village.display_area},
            "township": {"code": township.code, "name": township.display_area}
            if township
            else None,
            "leader": grid.leader.display_name if grid.leader else None,
            "workers": [w.display_name for w in grid.workers.all()],
            "area_km2": grid.area_km2,
            "is_demo": grid.is_demo,
        },
    }


class GridFilters(Input):
    township: str | None = Field(None, description="乡镇综治中心编码")
    village: str | None = Field(None, description="村（社区）综治中心编码")


@orgs_router.get("/grids", response=dict)
def grid_collection(request: StaffRequest, filters: Query[GridFilters]) -> dict[str, object]:
    grids = selectors.grid_list(
        user=request.user, township=filters.township, village=filters.village
    )
    return {"type": "FeatureCollection", "features": [grid_feature(g) for g in grids]}


class LocateOut(Schema):
    grid: OrgRef
    village: OrgRef
    township: OrgRef


@orgs_router.get("/grids/locate", response={200: LocateOut, 404: ErrorOut, 422: ErrorOut})
def grid_locate(request: StaffRequest, lat: str, lng: str) -> dict[str, dict[str, str]] | Status:
    location = selectors.grid_locate(lat=lat, lng=lng)
    if location is None:
        return Status(
            404, {"detail": "该位置不在本县任何网格内", "code": "outside_grids", "field": None}
        )
    return {
        "grid": {"code": location.grid.code, "name": location.grid.name},
        "village": {"code": location.village.code, "name": location.village.display_area},
        "township": {"code": location.township.code, "name": location.township.display_area},
    }


@orgs_router.get("/grids/{code}", response=dict)
def grid_detail(request: StaffRequest, code: str) -> dict[str, object]:
    return grid_feature(selectors.grid_get(user=request.user, code=code))
