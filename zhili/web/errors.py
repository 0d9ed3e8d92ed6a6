"""The platform's own error answers for pages: 400, 403, 404, 500 and a refused CSRF check, in
Chinese and in the platform's layout. The page or the HTMX alert is zhili.core.pages's (which
the apps' views use for their own 403).

A form with errors is not an error page: the view answers 400/422 with the form's own fragment
for the request's target (web/base.html's ``htmx-config`` swaps 4xx answers). What is left for
the browser (a 5xx, a network failure, a full error page from elsewhere) is handled in
web/static/web/behaviours.js.

Django calls these handlers (config/urls.py) only with DEBUG off; with DEBUG on it answers its
own technical pages (English, the URL patterns listed). `make demo` runs with DEBUG off, as a
county would run the platform.
"""

import re

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

from zhili.core import api_errors
from zhili.core.pages import error_page

CSRF_MESSAGE = "页面已过期，或无法确认请求来自本平台的页面。请刷新页面后重试。"
CJK = re.compile(r"[\u4e00-\u9fff]")


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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the interfaces' format under their paths, our 403 for pages."""
    if api_errors.interface_of(request.path_info):
        return api_errors.csrf_failure(request, reason)
    return error_page(request, 403, CSRF_MESSAGE, "页面已过期")
