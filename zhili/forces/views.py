"""The desk page 处置力量: the forces in the user's sight on a map and in a list. The page
draws itself from `GET /api/v1/forces` and asks again every FORCES_DESK_REFRESH_SECONDS."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhili.core.pages import tile_config
from zhili.core.roles import Action
from zhili.forces import selectors
from zhili.forces.models import DEFAULT_STATUSES, OFFLINE
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

# A marker's colour says its status; a stale force is drawn grey whatever its status.
STATUS_COLOURS = {
    "idle": "#2e7d32",
    "dispatched": "#ef6c00",
    "en_route": "#1565c0",
    "on_scene": "#6a1b9a",
    "handling": "#c62828",
    OFFLINE: "#757575",
}
OTHER_COLOUR = "#00838f"
STALE_FILL = "#bdbdbd"


def status_choices(team_types: list) -> list[tuple[str, str]]:
    """Every status of the team types in sight, the defaults first, each code once."""
    labels = dict(DEFAULT_STATUSES)
    for team_type in team_types:
        for code, label in team_type.statuses:
            labels.setdefault(code, label)
    return list(labels.items())


@requires(Action.FORCES_VIEW)
@require_GET
def desk(request: StaffRequest) -> HttpResponse:
    teams = list(selectors.team_rows(user=request.user).order_by("organization__path", "code"))
    team_types = list({team.team_type_id: team.team_type for team in teams}.values())
    statuses = status_choices(team_types)
    config = {
        "forcesUrl": reverse("api:force_list"),
        "gridsUrl": reverse("api:grid_collection"),
        "refreshSeconds": settings.FORCES_DESK_REFRESH_SECONDS,
        "teams": {team.code: team.name for team in teams},
        "statuses": {
            code: {"label": label, "colour": STATUS_COLOURS.get(code, OTHER_COLOUR)}
            for code, label in statuses
        },
        "staleFill": STALE_FILL,
        **tile_config(),
    }
    context = {"teams": teams, "statuses": statuses, "desk_config": config}
    return render(request, "forces/desk.html", context)
