"""GeoReport v2 at /open311/v2/: plain views, the format taken from the URL's suffix, every
refusal in the spec's error document (400 input, 403 key, 404 unknown, 405 method)."""

import re
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from zhili.core.errors import DomainError, InvalidInput
from zhili.open311 import outputs, selectors, services
from zhili.open311.formats import FORMATS, XML, clean, error_response, parse_w3c, render
from zhili.open311.openapi import document as openapi_document

_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
# The discovery changeset when no attribute definition was ever edited.
RELEASED = datetime(2026, 11, 26, tzinfo=timezone.get_fixed_timezone(480))
CONTACT = "东海县综治中心（12345政务服务便民热线）"


class Reply:
    """What a view answers: `data`, wrapped in XML by the element `root`."""

    def __init__(self, root: str, data: object, status: int = 200):
        self.root, self.data, self.status = root, data, status


def _status(exc: DomainError) -> int:
    return 400 if exc.status == 422 else exc.status


def _describe(exc: DomainError) -> str:
    return f"{exc.field}: {exc.message}" if exc.field else exc.message


def endpoint(*methods: str) -> Callable[..., Callable[..., HttpResponse]]:
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def wrap(view: Callable[..., Reply]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def run(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
            if fmt not in FORMATS:
                return error_response(XML, 404, [f"不支持的格式 {fmt}（可用 .json 或 .xml）"])
            if request.method not in allowed:
                response = error_response(fmt, 405, [f"{request.method} 方法不可用"])
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                reply = view(request, fmt, **{k: clean(v) for k, v in kwargs.items()})
            except DomainError as exc:
                return error_response(fmt, _status(exc), [_describe(exc)])
            return render(fmt, reply.root, reply.data, status=reply.status)

        return run

    return wrap


def openapi(request: HttpRequest) -> JsonResponse:
    """The OpenAPI document of these endpoints (zhili.open311.openapi)."""
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404, not a page."""
    fmt = "json" if path.endswith(".json") else XML
    return error_response(fmt, 404, [f"没有该接口 /open311/v2/{path}"])


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> Reply:
    changeset = selectors.services_changed_at() or RELEASED
    url = request.build_absolute_uri(reverse("open311:root"))
    return Reply("discovery", outputs.discovery_out(url=url, changeset=changeset, contact=CONTACT))


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> Reply:
    return Reply("services", [outputs.service_out(c) for c in selectors.service_list()])


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> Reply:
    return Reply("service_definition", outputs.definition_out(selectors.service_get(code)))


def _attributes(params: QueryDict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name in params:
        match = _ATTRIBUTE.match(name)
        if match:
            found.setdefault(match.group(1), []).extend(map(clean, params.getlist(name)))
    return found


def _submission(params: QueryDict) -> services.Submission:
    text = {
        name: clean(params.get(name, ""))
        for name in services.Submission.__dataclass_fields__
        if name != "attributes"
    }
    return services.Submission(**text, attributes=_attributes(params))


def _create(request: HttpRequest) -> Reply:
    raw = request.POST.get("api_key") or request.headers.get("X-Api-Key", "")
    key = services.open311_key(raw, what=request.path)
    row = services.service_request_create(api_key=key, submission=_submission(request.POST))
    case = row.case
    notice = f"您的诉求已受理，工单编号 {case.case_no}，可凭编号或令牌查询办理进度。"
    data = {
        "service_request_id": case.case_no,
        "token": row.token,
        "service_notice": notice,
        "account_id": row.account_id,
    }
    return Reply("service_requests", [data], status=201)


def _codes(params: QueryDict, name: str) -> tuple[str, ...]:
    values = [v.strip() for raw in params.getlist(name) for v in clean(raw).split(",")]
    return tuple(dict.fromkeys(v for v in values if v))


def _moment(params: QueryDict, name: str) -> datetime | None:
    value = clean(params.get(name, "")).strip()
    return parse_w3c(value, field=name) if value else None


def _query(params: QueryDict) -> selectors.RequestQuery:
    statuses = _codes(params, "status")
    wrong = [s for s in statuses if s not in (selectors.OPEN, selectors.CLOSED)]
    if wrong:
        raise InvalidInput(f"status 只能是 open 或 closed，收到 {'、'.join(wrong)}", field="status")
    ids = _codes(params, "service_request_id")
    if len(ids) > selectors.LIMIT:
        raise InvalidInput(f"一次最多查询{selectors.LIMIT}件", field="service_request_id")
    return selectors.RequestQuery(
        service_request_ids=ids,
        service_codes=_codes(params, "service_code"),
        start=_moment(params, "start_date"),
        end=_moment(params, "end_date"),
        statuses=statuses,
    )


@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> Reply:
    if request.method == "POST":
        return _create(request)
    cases = selectors.request_list(_query(request.GET))
    return Reply("service_requests", [outputs.request_out(c) for c in cases])


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> Reply:
    case = selectors.request_get(request_id)
    return Reply("service_requests", [outputs.request_out(case)])


@endpoint("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> Reply:
    row = selectors.token_get(token)
    return Reply("service_requests", [{"service_request_id": row.case.case_no, "token": row.token}])
