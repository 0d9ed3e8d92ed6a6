from django.contrib.auth import authenticate, logout, user_logged_in
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from zhili.core import schemas
from zhili.core.dates import Day
from zhili.core.schemas import ErrorOut, Input
from zhili.core.scope import role_codes
from zhili.core.selecting import filter_given
from zhili.orgs import lockout, selectors, services
from zhili.orgs.auth import StaffRequest
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
