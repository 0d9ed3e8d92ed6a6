"""The staff pages of the camera register: the list (监控点位), scoped by the selectors; and\nthe clips recorded into a case from its page (录像取证)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhili.cases.views.common import error_status, get_case_or_404
from zhili.core.errors import DomainError
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.selectors import township_list
from zhili.orgs.views import requires
from zhili.video import clips, selectors
from zhili.video.forms import CameraFilterForm

PAGE_SIZE = 50


@requires(Action.CAMERAS_VIEW)
@require_GET
def camera_list(request: StaffRequest) -> HttpResponse:
    form = CameraFilterForm(request.GET)
    form.is_valid()  # invalid values are dropped from cleaned_data
    data = form.cleaned_data
    filters = selectors.CameraFilters(
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        township=data.get("township", ""),
        q=data.get("q", ""),
    )
    rows = selectors.camera_list(user=request.user, filters=filters).order_by("code")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": form,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "townships": township_list(user=request.user),
        "query": query.urlencode(),
    }
    template = "video/_camera_list.html" if request.htmx else "video/cameras.html"
    return render(request, template, context)


# --- clips as evidence (on the case page) ------------------------------------------------------


@requires(Action.CAMERAS_VIEW)
@require_POST
def clip_start(request: StaffRequest, case_no: str) -> HttpResponse:
    """Record a clip of a camera into the case's attachments (the worker does it)."""
    case = get_case_or_404(request.user, case_no)
    try:
        seconds = int(request.POST.get("seconds") or clips.DEFAULT_SECONDS)
    except ValueError:
        seconds = -1  # refused below, naming the field
    try:
        clips.clip_request(
            actor=request.user,
            case=case,
            camera_code=request.POST.get("camera", ""),
            seconds=seconds,
        )
    except DomainError as exc:
        context = {"message": exc.message}
        return render(request, "video/_clip_error.html", context, status=error_status(exc))
    if request.htmx:  # from the case page: reload it (a redirect to its own #anchor would not)
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect(reverse("cases:detail", args=[case.case_no]) + "#case-clips")


@requires(Action.CAMERAS_VIEW)
@require_GET
def clip_progress(request: StaffRequest, pk: int) -> HttpResponse:
    """One clip's row, polled by the case page while it records; 404 unless its case is
    the user's."""
    clip = get_object_or_404(selectors.clips_rows(), pk=pk)
    get_case_or_404(request.user, clip.case.case_no)
    return render(request, "video/_clip.html", {"clip": clip})
