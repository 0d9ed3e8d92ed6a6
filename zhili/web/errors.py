"""The platform's own error answers for pages: 400, 403, 404, 500 and a refused CSRF check, in
Chinese and in the platform's layout.

Two shapes, chosen by the request:
- a page: the layout with the signed-in user's navigation, what happened and a way on;
- for an HTMX request (a form sent in place, a row's button), a short alert that the answer
  retargets (``HX-Retarget``) into the page's alert area, ``#page-alerts`` in web/base.html.
  The form or row the request came from stays as it was; an error page swapped into it would
  nest a second layout inside the first.

A form with errors is not an error page: the view answers 400/422 with the form's own fragment
for the request's target (web/base.html's ``htmx-config`` swaps 4xx answers). What is left for
the browser (a 5xx, a network failure, a full error page from elsewhere) is handled in
web/static/web/behaviours.js.

Django calls these handlers (config/urls.py) only with DEBUG off; with DEBUG on it answers its
own technical pages (English, the URL patterns listed). `make demo` runs with DEBUG off, as a
county would run the platform.
"""

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

from zhili.core import api_errors

TITLES = {
    400: "请求无效",
    403: "无权访问",
    404: "页面不存在",
}
MESSAGES = {
    400: "请求的内容不完整或格式不正确，请返回上一页检查后重试。",
    403: "您没有访问此页面的权限。",
    404: "您访问的页面或记录不存在，或不在您的权限范围内。",
}
# An alert is about an action on the page, not about the page itself.
ALERT_TITLES = {400: "请求无效", 403: "无权操作", 404: "未找到"}
ALERT_HINTS = {404: "请刷新页面查看最新情况。"}
CSRF_MESSAGE = "页面已过期，或无法确认请求来自本平台的页面。请刷新页面后重试。"
ALERT_TARGET = "#page-alerts"
CJK = re.compile(r"[\u4e00-\u9fff]")


def is_htmx(request: HttpRequest) -> bool:
    # Read from the header: a CSRF refusal comes before django-htmx's middleware ran.
    return request.headers.get("HX-Request") == "true"


def alert(status: int, message: str, title: str = "") -> HttpResponse:
    """The error as an alert in the page's alert area, whatever element the request targeted."""
    context = {
        "status": status,
        "title": title or ALERT_TITLES[status],
        "message": message,
        "hint": ALERT_HINTS.get(status, ""),
    }
    body = render_to_string("web/_error_alert.html", context)
    response = HttpResponse(body, status=status)
    response["HX-Retarget"] = ALERT_TARGET
    response["HX-Reswap"] = "innerHTML"
    return response


def error_page(
    request: HttpRequest, status: int, message: str = "", title: str = "", **extra: Any
) -> HttpResponse:
    message = message or MESSAGES[status]
    if is_htmx(request):
        return alert(status, message, title)
    context = {"status": status, "title": title or TITLES[status], "message": message, **extra}
    return render(request, f"{status}.html", context, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 403)


def own_reason(exception: Exception) -> str:
    """The platform's own reason for a 404 ("未找到该工单"), to show; Django's English ones
    (and the resolver's dictionary of patterns) stay out."""
    reason = exception.args[0] if getattr(exception, "args", None) else ""
    if not isinstance(reason, str) or not CJK.search(reason):
        return ""
    return reason if reason.endswith(("。", "！", "？")) else f"{reason}。"


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 404, own_reason(exception), request_path=request.path)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # 500.html stands alone (no layout, no context processors): it must render even when the
    # database is what failed. An HTMX request does not swap a 5xx (web/base.html's
    # htmx-config): behaviours.js shows its alert.
    return HttpResponse(render_to_string("500.html"), status=500)


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    """A signed-in user without the right for a page or an action (the views' own 403)."""
    return error_page(request, 403, message)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the interfaces' format under their paths, our 403 for pages."""
    if api_errors.interface_of(request.path_info):
        return api_errors.csrf_failure(request, reason)
    return error_page(request, 403, CSRF_MESSAGE, "页面已过期")
