"""The big screen (大屏) at /screen/: a dark full-screen page that draws itself from
`GET /api/v1/screen/summary` and `/layers`, and stays live through the page's one socket.

?layout=wall is the 3840x1080 spliced wall (two 1920 screens: no panel crosses x=1920);
?org= a township's screen (within the user's scope, else 404)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhili.core.errors import NotFound
from zhili.core.pages import tile_config
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.orgs.views import requires
from zhili.screen import selectors

# The grids drawn on a township's or a village's screen: its own; the county's screen draws
# its townships' boundaries instead of a thousand grids (the grids only while it has none).
GRID_FILTERS = {"township": "?township={}", "village": "?village={}"}
# The boundaries (区划边界) a screen draws and labels: the units one level down, a village its own.
BOUNDARY_LEVELS = {"county": "township", "township": "village", "village": "village"}
LAYOUTS = {"hd": "1920×1080 单屏", "wall": "3840×1080 拼接墙"}
VIDEO_SLOTS = {"hd": 2, "wall": 4}  # the video tiles each layout has room for


@requires(Action.CASES_VIEW)
@require_GET
def screen(request: StaffRequest) -> HttpResponse:
    try:
        ctx = selectors.context(request.user, request.GET.get("org", "")[:40])
    except NotFound as error:
        raise Http404(str(error)) from error
    layout = request.GET.get("layout", "hd")
    layout = layout if layout in LAYOUTS else "hd"
    # The screens a leader may switch to: the organization's own and its direct subunits'.
    choices = [ctx.org, *Organization.objects.filter(parent=ctx.org, is_active=True)]
    parent = ctx.org.parent
    if parent is not None and selectors.scope_for(request.user).covers_path(parent.path):
        choices.insert(0, parent)
    config = {
        "summaryUrl": reverse("api:screen_summary"),
        "layersUrl": reverse("api:screen_layers"),
        "gridsUrl": reverse("api:grid_collection")
        + GRID_FILTERS.get(ctx.org.level, "").format(ctx.org.code),
        "gridsUnderAreas": ctx.org.level in GRID_FILTERS,
        "boundariesUrl": reverse("api:boundary_collection")
        + f"?within={ctx.org.code}&level={BOUNDARY_LEVELS.get(ctx.org.level, 'township')}",
        "org": ctx.org.code,
        "layout": layout,
        "refreshSeconds": settings.SCREEN_REFRESH_SECONDS,
        **tile_config(),
    }
    context = {
        "org": ctx.org,
        "layout": layout,
        "layouts": LAYOUTS,
        "video_slots": range(VIDEO_SLOTS[layout]),
        "choices": choices,
        "screen_config": config,
    }
    return render(request, "screen/screen.html", context)
