"""The pages that play cameras: one camera's single view (main stream, PTZ where it has it)
and the video wall (sub streams). Who may see which camera is the selectors'; the player
(static video/player.js) asks the API to open each stream."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhili.core.pages import or_404
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.video import live, selectors


@requires(Action.CAMERAS_VIEW)
@require_GET
def camera_detail(request: StaffRequest, code: str) -> HttpResponse:
    camera = or_404(selectors.camera_get, user=request.user, code=code)
    context = {
        "camera": camera,
        "gateway_up": live.gateway_up(),
        "recent_views": selectors.recent_views(user=request.user, camera=camera),
    }
    return render(request, "video/camera.html", context)
