"""The case map: the page and its points."""

from dataclasses import replace

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhili.cases import selectors
from zhili.cases.forms import CaseFilterForm
from zhili.cases.models import Card, State
from zhili.cases.views.common import filter_options
from zhili.cases.workflow import CLOCK_RUNNING
from zhili.core.errors import InvalidInput
from zhili.core.pages import tile_config
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

MAP_CAP = 5000


@requires(Action.CASES_VIEW)
@require_GET
def case_map(request: StaffRequest) -> HttpResponse:
    config = {
        "pointsUrl": reverse("cases:map_points"),
        "gridsUrl": reverse("api:grid_collection"),
        **tile_config(),
    }
    context = {"map_config": config, "form": CaseFilterForm(), **filter_options(request.user)}
    return render(request, "cases/map.html", context)


@requires(Action.CASES_VIEW)
@require_GET
def map_points(request: StaffRequest) -> JsonResponse:
    """The latest MAP_CAP matching cases with a point: the page clusters them itself."""
    filters = replace(CaseFilterForm(request.GET).filters(), q="")
    qs = selectors.case_list(user=request.user).filter(lat__isnull=False)
    try:
        qs = selectors.filter_cases(qs, filters)
    except InvalidInput as exc:
        return JsonResponse({"detail": exc.message, "field": exc.field}, status=422)
    rows = list(
        qs.order_by("-registered_at", "-id").values_list(
            "lat", "lng", "state", "card", "case_no", "title"
        )[:MAP_CAP]
    )
    # A card colours a case while its clock runs; on a finished case it is only history.
    points = [
        [round(a or 0, 6), round(b or 0, 6), s, c if s in CLOCK_RUNNING else "", no, t[:40]]
        for a, b, s, c, no, t in rows
    ]
    return JsonResponse(
        {
            "count": len(points),
            "capped": len(points) >= MAP_CAP,
            "points": points,
            "detailUrl": reverse("cases:detail", args=["CASE_NO"]),
            "states": dict(State.choices),
            "cards": {Card.YELLOW: "黄牌", Card.RED: "红牌"},
        }
    )
