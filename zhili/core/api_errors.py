"""The error format of the machine interfaces, whatever goes wrong and wherever.

Under /api/ and /m/api/ every error is `{"detail", "code", "field"}` (docs/api.md); an app
with an interface of its own format registers it (`register_interface`, from its
AppConfig.ready()): the Open311 app does, for the GeoReport v2 error list under /open311/.
The views answer their own errors so; this catches what reaches Django's own handlers
instead, which answer HTML (or, with DEBUG on, a traceback page): a server error (500), a body
over DATA_UPLOAD_MAX_MEMORY_SIZE (413), a CSRF refusal (403, through CSRF_FAILURE_VIEW), an
unknown path (404) or a method not allowed (405).
Django still logs a server error with its traceback before it is rewritten here.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.csrf import csrf_failure as page_csrf_failure

JSON_PREFIXES = ("/api/", "/m/api/")
JSON = "json"
JSON_CONTENT_TYPES = ("application/json",)

MESSAGES = {
    400: ("bad_request", "请求无效"),
    403: ("forbidden", "无权访问"),
    404: ("not_found", "未找到该接口"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "请求体过大"),
    500: ("server_error", "服务器内部错误，已记录，请稍后重试"),
}
# What a rewritten answer does not take from the original: the rest (Allow, Retry-After,
# security and cache headers other middleware added, cookies) is kept.
BODY_HEADERS = frozenset({"content-type", "content-length"})

# The answer of an interface's own format: (request, status, detail) -> the error document.
ErrorRenderer = Callable[[HttpRequest, int, str], HttpResponse]


@dataclass(frozen=True)
class Interface:
    name: str
    prefix: str
    render: ErrorRenderer
    content_types: tuple[str, ...]  # what its own answers are (not rewritten)


INTERFACES: dict[str, Interface] = {}


def register_interface(
    name: str, prefix: str, render: ErrorRenderer, content_types: tuple[str, ...]
) -> None:
    """An interface under `prefix` whose errors `render` writes in its own format."""
    INTERFACES[name] = Interface(name, prefix, render, content_types)


def interface_of(path: str) -> str | None:
    """JSON, a registered interface's name, or None for a page."""
    if path.startswith(JSON_PREFIXES):
        return JSON
    for interface in INTERFACES.values():
        if path.startswith(interface.prefix):
            return interface.name
    return None


def message(status: int) -> tuple[str, str]:
    if status == 413:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return "too_large", f"请求体过大（上限 {limit // (1024 * 1024)} MB）"
    if status in MESSAGES:
        return MESSAGES[status]
    return MESSAGES[500] if status >= 500 else (f"http_{status}", f"请求失败（HTTP {status}）")


def error_answer(
    request: HttpRequest, status: int, *, code: str = "", detail: str = ""
) -> HttpResponse:
    """The interface's error for `status` (the path says which interface)."""
    default_code, default_detail = message(status)
    code, detail = code or default_code, detail or default_detail
    interface = INTERFACES.get(interface_of(request.path_info) or "")
    if interface is not None:
        return interface.render(request, status, detail)
    body = json.dumps({"detail": detail, "code": code, "field": None}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")


def _in_format(response: HttpResponse, interface: str) -> bool:
    content_type = response.get("Content-Type", "")
    registered = INTERFACES.get(interface)
    allowed = registered.content_types if registered else JSON_CONTENT_TYPES
    return content_type.startswith(allowed)


class ApiErrors:
    """Rewrites an error answer under the interfaces' paths into their format; place it
    above every middleware whose failures it should catch."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        interface = interface_of(request.path_info)
        if interface is None or response.status_code < 400 or _in_format(response, interface):
            return response
        answer = error_answer(request, response.status_code)
        for header, value in response.items():
            if header.lower() not in BODY_HEADERS:
                answer[header] = value
        answer.cookies = response.cookies
        return answer

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        # Django answers an oversized body with a plain 400; it is a 413. Every other
        # exception goes on to Django's handler (which logs it) and comes back as a 500.
        if isinstance(exc, RequestDataTooBig) and interface_of(request.path_info):
            return error_answer(request, 413)
        return None


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the interfaces' format under their paths, Django's page elsewhere."""
    if interface_of(request.path_info):
        detail = "CSRF 校验失败：请刷新页面后重试（请求须带 X-CSRFToken 头与 csrftoken Cookie）"
        return error_answer(request, 403, code="csrf_failed", detail=detail)
    return page_csrf_failure(request, reason=reason)
