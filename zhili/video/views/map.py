"""The camera map (监控地图): the page, and the one compact JSON of its markers."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from zhili.core.pages import tile_config
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.video import selectors
from zhili.video.forms import CameraFilterForm
from zhili.video.models import CameraKind, CameraStatus

# A marker's colour says its kind; an offline camera is drawn grey inside a ring of that colour.
KIND_COLOURS = {
    CameraKind.HD_CAMERA: "#1565c0",
    CameraKind.SMART_CHECKPOINT: "#7b1fa2",
    CameraKind.E_POLICE: "#c62828",
    CameraKind.MICRO_CHECKPOINT: "#ef6c00",
    CameraKind.VEHICLE_4G: "#00897b",
    CameraKind.LOOKOUT: "#5d4037",
}
OFFLINE_FILL = "#9e9e9e"
# Chinese names as UTF-8, not \u escapes (half the bytes), and no spaces.
COMPACT = {"ensure_ascii": False, "separators": (",", ":")}


def detail_url_pattern() -> str:
    """The single camera page (`/video/cameras/<code>/`) with CODE for the code."""
    return f"{reverse('video:cameras')}CODE/"


@requires(Action.CAMERAS_VIEW)
@require_GET
def camera_map(request: StaffRequest) -> HttpResponse:
    kinds = [{"code": k.value, "label": k.label, "colour": KIND_COLOURS[k]} for k in CameraKind]
    config = {
        "pointsUrl": reverse("video:map_points"),
        "detailUrl": detail_url_pattern(),
        "kinds": {k["code"]: {"label": k["label"], "colour": k["colour"]} for k in kinds},
        "statuses": dict(CameraStatus.choices),
        "offlineFill": OFFLINE_FILL,
        **tile_config(),
    }
    context = {"map_config": config, "kinds": kinds, "statuses": CameraStatus.choices}
    return render(request, "video/map.html", context)


@requires(Action.CAMERAS_VIEW)
@require_GET
@gzip_page
def map_points(request: StaffRequest) -> JsonResponse:
    """Every placed camera in sight as [code, name, kind, status, lat, lng]: one answer of a
    few hundred kilobytes at most, drawn and clustered by the page itself."""
    filters = CameraFilterForm(request.GET).filters()
    rows = selectors.camera_points(user=request.user, filters=filters)
    cameras = [[c, n, k, s, round(a, 6), round(b, 6)] for c, n, k, s, a, b in rows]
    total = selectors.camera_list(user=request.user, filters=filters).count()
    return JsonResponse(
        {"count": len(cameras), "unplaced": total - len(cameras), "cameras": cameras}
    )
