"""The desk's pages of the incidents: the list with the form that opens one, and the
incident's page (map with rings, nearest forces with 派遣, cameras nearby, tasks, dispatches,
timeline). The page's script acts through the API and reloads its body on `incident.update`."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhili.cases.selectors import case_get
from zhili.core.dossier import actions_for
from zhili.core.errors import DomainError
from zhili.core.pages import or_404, tile_config
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.incidents import selectors, services, workflow
from zhili.incidents.forms import OpenForm
from zhili.incidents.models import Incident, IncidentState
from zhili.incidents.selectors import Ring
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.video.models import Camera

LIST_SIZE = 100
# The replay's speeds (times real time).
REPLAY_SPEEDS = [1, 5, 10, 30, 60]


@requires(Action.FORCES_VIEW)
@require_http_methods(["GET", "POST"])
def incident_list(request: StaffRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in IncidentState.values:
        state = ""
    may_open = can(request.user, Action.FORCES_COMMAND)
    form = OpenForm(request.POST or None, initial=_from_case(request))
    if request.method == "POST" and may_open and form.is_valid():
        incident = _open(request, form)
        if incident is not None:
            return redirect("incidents:detail", number=incident.number)
    rows = selectors.incident_rows(user=request.user, state=state)[:LIST_SIZE]
    context = {
        "incidents": rows,
        "state": state,
        "states": IncidentState.choices,
        "form": form,
        "may_open": may_open,
        "map_config": tile_config(),
    }
    return render(
        request, "incidents/list.html", context, status=400 if request.method == "POST" else 200
    )


def _open(request: StaffRequest, form: OpenForm) -> Incident | None:
    """The incident the valid form opens, or None with the service's refusal on the form."""
    data = form.cleaned_data
    try:
        return services.incident_open(
            actor=request.user,
            category=data["category"].code,
            title=data["title"],
            lat=data["lat"],
            lng=data["lng"],
            level=data["level"],
            plan=data["plan"].code if data["plan"] else "",
            case_no=data["case_no"],
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def _from_case(request: StaffRequest) -> dict[str, object]:
    """转为指挥事件 from a case's page (?case_no=): the form starts with the case's category,
    title and place; a case out of the viewer's sight fills nothing but its number (the
    service refuses it when the form is sent)."""
    case_no = request.GET.get("case_no", "")[:30]
    if not case_no:
        return {}
    try:
        case = case_get(user=request.user, case_no=case_no)
    except DomainError:
        return {"case_no": case_no}
    return {
        "case_no": case.case_no,
        "category": case.category,
        "title": case.title,
        "lat": case.lat,
        "lng": case.lng,
    }


@requires(Action.FORCES_VIEW)
@require_GET
def incident_detail(request: StaffRequest, number: str) -> HttpResponse:
    incident = or_404(selectors.incident_get, user=request.user, number=number)
    actions = {t.name for t in actions_for(workflow.KIND, request.user, incident)}
    rings = selectors.rings(incident)
    cameras = selectors.cameras_near(user=request.user, incident=incident)
    config = _desk_config(incident, rings, cameras, may_dispatch="dispatch" in actions)
    context = {
        "incident": incident,
        "tasks": selectors.tasks_of(incident),
        "dispatches": [
            (d, d.force.team.team_type.labels().get(d.force.status, d.force.status))
            for d in selectors.dispatches_of(incident)
        ],
        "timeline": selectors.history(incident),
        "actions": actions,
        "rings": rings,
        "cameras": cameras,
        "camera_radius": settings.INCIDENT_CAMERA_RADIUS_M,
        "replay_speeds": REPLAY_SPEEDS,
        "desk_config": config,
    }
    return render(request, "incidents/detail.html", context)


def _desk_config(
    incident: Incident, rings: list[Ring], cameras: list[Camera], *, may_dispatch: bool
) -> dict[str, object]:
    """What the page's script is given: the place, the rings, the API's addresses."""
    return {
        "number": incident.number,
        "lat": incident.lat,
        "lng": incident.lng,
        "title": incident.title,
        "rings": [
            {"minutes": r.minutes, "radius": r.radius_m, "speed": r.speed_kmh} for r in rings
        ],
        "nearestUrl": reverse("api:incident_nearest", args=[incident.number]),
        "replayUrl": reverse("api:incident_replay", args=[incident.number]),
        "timelineUrl": reverse("api:incident_timeline", args=[incident.number]),
        "gridsUrl": reverse("api:grid_collection"),
        "actionUrl": f"/api/v1/incidents/{incident.number}/actions/",
        "mayDispatch": may_dispatch,
        "cameras": [{"code": c.code, "name": c.name, "lat": c.lat, "lng": c.lng} for c in cameras],
        **tile_config(),
    }
