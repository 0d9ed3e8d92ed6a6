"""The clips recorded into a case from its page (录像取证): the request, and each clip's row,
which the page polls while it records."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhili.cases.views.common import error_status, get_case_or_404
from zhili.core.errors import DomainError
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.video import clips, selectors


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
