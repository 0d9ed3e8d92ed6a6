"""The camera tree (监控目录): cameras by division (county → township → village) and by
business group. The nodes and their counts come at once; a node's cameras are fetched when it
is opened (HTMX), a page at a time, so that thousands of cameras never render together."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhili.core.pages import or_404
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.video import selectors
from zhili.video.models import Camera

PAGE_SIZE = 100
TABS = {"division": "按行政区划", "group": "按业务分组"}


@requires(Action.CAMERAS_VIEW)
@require_GET
def camera_tree(request: StaffRequest) -> HttpResponse:
    tab = request.GET.get("by", "division")
    if tab not in TABS:
        tab = "division"
    context: dict[str, object] = {"tab": tab, "tabs": TABS}
    if tab == "division":
        context["root"] = selectors.camera_tree(user=request.user)
    else:
        context["groups"] = list(selectors.group_list(user=request.user))
    return render(request, "video/tree.html", context)


@requires(Action.CAMERAS_VIEW)
@require_GET
def division_cameras(request: StaffRequest) -> HttpResponse:
    org = or_404(selectors.division_get, user=request.user, code=request.GET.get("node", ""))
    rows = selectors.division_cameras(user=request.user, org=org)
    more = f"{reverse('video:tree_cameras')}?node={org.code}"
    return _camera_page(request, rows, more)


@requires(Action.CAMERAS_VIEW)
@require_GET
def group_cameras(request: StaffRequest, pk: int) -> HttpResponse:
    group = or_404(selectors.group_get, user=request.user, pk=pk)
    rows = selectors.group_cameras(user=request.user, group=group)
    more = f"{reverse('video:tree_group', args=[group.pk])}?"
    return _camera_page(request, rows, more)


def _camera_page(request: StaffRequest, rows: QuerySet[Camera], more: str) -> HttpResponse:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "more": f"{more}&page={page.next_page_number()}" if page.has_next() else "",
        "cameras_url": reverse("video:cameras"),  # + code: the single camera page
    }
    return render(request, "video/_tree_cameras.html", context)
