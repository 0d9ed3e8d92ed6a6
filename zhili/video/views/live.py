"""The pages that play cameras: one camera's single view (main stream, PTZ where it has it)
and the video wall (sub streams). Who may see which camera is the selectors'; the player
(static video/player.js) asks the API to open each stream."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhili.core.errors import InvalidInput
from zhili.core.pages import or_404
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.video import live, playback, selectors, walls
from zhili.video.models import Protocol


@requires(Action.CAMERAS_VIEW)
@require_GET
def camera_detail(request: StaffRequest, code: str) -> HttpResponse:
    camera = or_404(selectors.camera_get, user=request.user, code=code)
    context = {
        "camera": camera,
        "gateway_up": live.gateway_up(),
        "recent_views": selectors.recent_views(user=request.user, camera=camera),
        # The device's recordings (GB/T 28181); a demo camera's are its source's.
        "playback": (camera.shares_stream_of or camera).protocol == Protocol.GB28181,
        "today": timezone.localdate(),
        "hours": range(0, 24, 3),
        "scales": [f"{scale:g}" for scale in playback.SCALES],
    }
    return render(request, "video/camera.html", context)


@requires(Action.CAMERAS_VIEW)
@require_GET
def wall(request: StaffRequest) -> HttpResponse:
    layouts = selectors.wall_layouts(user=request.user)
    chosen = next((x for x in layouts if str(x.pk) == request.GET.get("layout")), None)
    if chosen is None and layouts and "layout" not in request.GET:
        chosen = layouts[0]
    cameras = selectors.wall_cameras(user=request.user, codes=chosen.cameras) if chosen else []
    context = {
        "layouts": layouts,
        "chosen": chosen,
        "tiles": chosen.tiles if chosen else 4,
        "patrol_seconds": chosen.patrol_seconds if chosen else 0,
        "wall_cameras": [{"code": c.code, "name": c.name, "status": c.status} for c in cameras],
        "tile_choices": walls.TILES,
        "patrol_choices": walls.PATROL_SECONDS,
        "gateway_up": live.gateway_up(),
    }
    return render(request, "video/wall.html", context)


@requires(Action.CAMERAS_VIEW)
@require_POST
def wall_save(request: StaffRequest) -> HttpResponse:
    data = request.POST
    try:
        layout = walls.wall_layout_save(
            actor=request.user,
            name=data.get("name", ""),
            tiles=_integer(data.get("tiles"), "tiles"),
            cameras=data.get("cameras", "").split(","),
            patrol_seconds=_integer(data.get("patrol_seconds"), "patrol_seconds"),
        )
    except InvalidInput as exc:
        messages.error(request, f"布局未保存：{exc.message}")
        return redirect("video:wall")
    messages.success(request, f"已保存布局“{layout.name}”")
    return redirect(f"{reverse('video:wall')}?layout={layout.pk}")


@requires(Action.CAMERAS_VIEW)
@require_POST
def wall_delete(request: StaffRequest, layout_id: int) -> HttpResponse:
    or_404(walls.wall_layout_delete, actor=request.user, layout_id=layout_id)
    messages.success(request, "已删除布局")
    return redirect(f"{reverse('video:wall')}?layout=")


def _integer(value: str | None, field: str) -> int:
    try:
        return int(value or "")
    except ValueError as exc:
        raise InvalidInput("应为整数", field=field) from exc
