"""The phone's JSON endpoints under /m/api/: session auth and CSRF, like the pages.

They are plain Django views (multipart for photos) that answer in the platform's one error
format, `{"detail", "code", "field"}`. A signed-out phone gets 401 (not a redirect to the
login page) so that the offline queue keeps its records and asks the user to sign in.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import unquote

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from zhili.cases.models import Case
from zhili.cases.selectors import category_get
from zhili.core.errors import DomainError, InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.mobile import inputs, services
from zhili.mobile.models import Patrol
from zhili.orgs.auth import StaffRequest


def error(status: int, detail: str, code: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, "field": field}, status=status)


def mobile_api(view: Callable) -> Callable:
    @require_POST
    @wraps(view)
    def wrapped(request: StaffRequest, *args: str, **kwargs: str) -> JsonResponse:
        if not request.user.is_authenticated:
            return error(401, "登录已过期，请重新登录", "unauthenticated")
        if not can(request.user, Action.MOBILE_USE):
            return error(403, "只有网格员可以使用网格通", "forbidden")
        maker = unquote(request.headers.get("X-Zhili-User", ""))
        if maker and maker != request.user.get_username():
            # Queued by another account on this phone: keep it queued for its owner.
            return error(401, f"这条记录属于账号 {maker}，请用该账号登录后发送", "other_user")
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return error(exc.status, exc.message, exc.code, exc.field)

    return wrapped


def case_out(case: Case, created: bool) -> dict[str, object]:
    return {
        "case_no": case.case_no,
        "state": case.state,
        "state_label": case.get_state_display(),
        "created": created,
        "url": f"/m/cases/{case.case_no}/",
    }


def patrol_out(patrol: Patrol) -> dict[str, object]:
    return {
        "id": str(patrol.client_id),
        "grid": patrol.grid.code,
        "started_at": patrol.started_at.isoformat(),
        "ended_at": patrol.ended_at.isoformat() if patrol.ended_at else None,
        "distance_m": patrol.distance_m,
        "point_count": patrol.point_count,
        "duration_s": patrol.duration_seconds,
    }


@mobile_api
def report_create(request: StaffRequest) -> JsonResponse:
    """POST multipart: key (UUID), category, description, lat/lng or address, photos."""
    data = request.POST
    lat, lng = inputs.lat_lng(data)
    category = inputs.text(data, "category", max_length=40)
    if not category:
        raise InvalidInput("请选择事项分类", field="category")
    report = services.GridReport(
        key=inputs.uuid_of(data.get("key"), "key"),
        category=category_get(category),
        description=inputs.text(data, "description", max_length=2000),
        title=inputs.text(data, "title", max_length=200),
        urgency=inputs.text(data, "urgency", max_length=20),
        lat=lat,
        lng=lng,
        address=inputs.text(data, "address", max_length=300),
        reporter_name=inputs.text(data, "reporter_name", max_length=50),
        reporter_phone=inputs.text(data, "reporter_phone", max_length=20),
    )
    photos = request.FILES.getlist("photos")
    case, created = services.grid_report_submit(actor=request.user, report=report, photos=photos)
    return JsonResponse(case_out(case, created), status=201 if created else 200)


@mobile_api
def patrol_start(request: StaffRequest) -> JsonResponse:
    data = inputs.json_body(request)
    patrol, created = services.patrol_start(
        actor=request.user,
        client_id=inputs.uuid_of(data.get("id"), "id"),
        grid_code=inputs.text(data, "grid", max_length=40),
        started_at=inputs.moment(data.get("started_at"), "started_at"),
        note=inputs.text(data, "note", max_length=500),
    )
    return JsonResponse(patrol_out(patrol), status=201 if created else 200)


@mobile_api
def patrol_points(request: StaffRequest, client_id: str) -> JsonResponse:
    data = inputs.json_body(request)
    patrol = services.patrol_add_points(
        actor=request.user,
        client_id=inputs.uuid_of(client_id, "id"),
        points=inputs.points(data),
    )
    return JsonResponse(patrol_out(patrol))


@mobile_api
def patrol_end(request: StaffRequest, client_id: str) -> JsonResponse:
    data = inputs.json_body(request)
    patrol = services.patrol_end(
        actor=request.user,
        client_id=inputs.uuid_of(client_id, "id"),
        ended_at=inputs.moment(data.get("ended_at"), "ended_at"),
        note=inputs.text(data, "note", max_length=500),
    )
    return JsonResponse(patrol_out(patrol))
