"""The pages' shared answers that every app's views give: a refusal (403) as the platform's
error page or, for an HTMX request, an alert; and a document (zhili.core.paper) on its A4 print
page. They live here, not in zhili.web, so that an app's views need not import the layer above
them; the templates they render are the web app's (web/403.html, web/_error_alert.html,
web/paper_print.html).

Two shapes of an error, chosen by the request:
- a page: the layout with the signed-in user's navigation, what happened and a way on;
- for an HTMX request (a form sent in place, a row's button), a short alert that the answer
  retargets (``HX-Retarget``) into the page's alert area, ``#page-alerts`` in web/base.html.
  The form or row the request came from stays as it was; an error page swapped into it would
  nest a second layout inside the first.
"""

from collections.abc import Callable
from typing import ParamSpec, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from zhili.core.errors import NotFound
from zhili.core.paper import Paper

P = ParamSpec("P")
T = TypeVar("T")

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
ALERT_TARGET = "#page-alerts"


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
    request: HttpRequest, status: int, message: str = "", title: str = "", request_path: str = ""
) -> HttpResponse:
    message = message or MESSAGES[status]
    if is_htmx(request):
        return alert(status, message, title)
    context = {"status": status, "title": title or TITLES[status], "message": message}
    if request_path:
        context["request_path"] = request_path
    return render(request, f"{status}.html", context, status=status)


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    """A signed-in user without the right for a page or an action (the views' own 403)."""
    return error_page(request, 403, message)


def paper_page(request: HttpRequest, paper: Paper, *, back_url: str) -> HttpResponse:
    """The print page of `paper`; the caller fetched its record through a scoped selector
    and audited the print."""
    return render(request, "web/paper_print.html", {"paper": paper, "back_url": back_url})


def or_404(get: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`get(...)` (a scoped selector), its NotFound answered as the page's 404 with its reason."""
    try:
        return get(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def tile_config() -> dict[str, str]:
    """What every map page gives web/map_base.js about its basemap: the tile server, its
    attribution, and its coordinate system (`wgs84`, or `gcj02` for the national basemaps whose
    tiles are offset; the platform's points stay WGS84 and the map moves them for display)."""
    return {
        "tileUrl": settings.ZHILI_MAP_TILE_URL,
        "tileAttribution": settings.ZHILI_MAP_TILE_ATTRIBUTION,
        "tileCrs": settings.ZHILI_MAP_TILE_CRS,
    }


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(body: bytes, content_type: str, ascii_name: str, name: str) -> HttpResponse:
    """A download named `name` (`ascii_name` for the browsers that read no UTF-8 name)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response
