"""The staff pages of the camera register: the list (监控点位), scoped by the selectors."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.selectors import township_list
from zhili.orgs.views import requires
from zhili.video import selectors
from zhili.video.forms import CameraFilterForm

PAGE_SIZE = 50


@requires(Action.CAMERAS_VIEW)
@require_GET
def camera_list(request: StaffRequest) -> HttpResponse:
    form = CameraFilterForm(request.GET)
    filters = form.filters()
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
