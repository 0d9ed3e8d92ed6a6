"""The screen's panels and map layers drawn from the apps below it (registry.py). Each reads
only the rows of `ctx.org`'s subtree, and only what the user's role may see (a panel the
role may not see answers `{"allowed": false}`, a layer an empty list)."""

from datetime import timedelta
from typing import TypedDict

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from zhili.cases.models import Card, Case
from zhili.cases.models.choices import WORK_STATES
from zhili.core.dates import period_bounds
from zhili.core.near import Near
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.forces.models import DEFAULT_STATUSES, Force, TeamType
from zhili.forces.selectors import stale_before
from zhili.incidents.models import Incident, IncidentState
from zhili.mediation.models import Dispute
from zhili.petitions.models import Petition
from zhili.receptions.models import Reception, RotaDay
from zhili.screen.registry import LAYERS, PANELS, ScreenContext
from zhili.video.models import Camera, CameraStatus, WallLayout
from zhili.video.selectors import camera_scope, cameras_near
from zhili.warnings.models import OPEN_STATES, Level, Warning, WarningState

HEAT_DAYS = 7
VIDEO_TILES = 4  # the wall's; one screen shows the first 2
HEAT_POINTS = 3000
LAYER_POINTS = 2000


class OnDuty(TypedDict):
    leader: str
    place: str
    organization: str
    hours: str


class ReceptionPanel(TypedDict):
    leaders: list[OnDuty]
    received: int


class StatusCount(TypedDict):
    label: str
    count: int


class ForcesPanel(TypedDict):
    total: int
    stale: int  # without a fresh position
    statuses: list[StatusCount]


class LevelCount(TypedDict):
    level: str
    label: str
    count: int


class OpenWarning(TypedDict):
    number: str
    level: str
    label: str
    title: str
    unit: str
    state: str


class WarningsPanel(TypedDict, total=False):
    allowed: bool  # False, alone, when the role may not see warnings
    levels: list[LevelCount]
    newest: list[OpenWarning]


@PANELS.entry("disputes_petitions")
def disputes_petitions(ctx: ScreenContext) -> dict[str, int | None]:
    """Disputes registered and petitions received today (矛盾纠纷, 信访)."""
    begin, end = period_bounds(ctx.today, ctx.today)
    figures: dict[str, int | None] = {"disputes": None, "petitions": None}
    if can(ctx.user, Action.DISPUTES_VIEW):
        figures["disputes"] = Dispute.objects.filter(
            path__startswith=ctx.org.path, registered_at__gte=begin, registered_at__lt=end
        ).count()
    if can(ctx.user, Action.PETITIONS_VIEW):
        figures["petitions"] = Petition.objects.filter(
            registering_path__startswith=ctx.org.path, received_at__gte=begin, received_at__lt=end
        ).count()
    return figures


@PANELS.entry("early_warnings")
def early_warnings(ctx: ScreenContext) -> WarningsPanel:
    """The open early warnings (预警) for units in the subtree: how many of each level not yet
    answered, and the five newest."""
    if not can(ctx.user, Action.WARNINGS_VIEW):
        return {"allowed": False}
    rows = Warning.objects.filter(unit_path__startswith=ctx.org.path, state__in=OPEN_STATES)
    unanswered = rows.exclude(state=WarningState.ANSWERED)
    counts = dict(unanswered.order_by().values_list("level").annotate(n=Count("pk")))
    newest = rows.select_related("unit").order_by("-issued_at", "-id")[:5]
    return {
        "levels": [
            {"level": level, "label": label, "count": counts.get(level, 0)}
            for level, label in Level.choices
        ],
        "newest": [
            {
                "number": w.number,
                "level": w.level,
                "label": w.get_level_display(),
                "title": w.title,
                "unit": w.unit.name,
                "state": w.get_state_display(),
            }
            for w in newest
        ],
    }


@PANELS.entry("reception")
def reception(ctx: ScreenContext) -> ReceptionPanel:
    """Today's leader reception (领导接访): who receives where, and how many were received."""
    begin, end = period_bounds(ctx.today, ctx.today)
    days = RotaDay.objects.filter(date=ctx.today, org_path__startswith=ctx.org.path)
    leaders: list[OnDuty] = [
        {
            "leader": day.leader.get_full_name() or day.leader.username,
            "place": day.place,
            "organization": day.organization.name,
            "hours": f"{day.starts_at:%H:%M}-{day.ends_at:%H:%M}",
        }
        for day in days.select_related("leader", "organization").order_by("org_path")[:4]
    ]
    received = Reception.objects.filter(
        org_path__startswith=ctx.org.path, received_at__gte=begin, received_at__lt=end
    ).count()
    return {"leaders": leaders, "received": received}


class VideoTile(TypedDict):
    code: str
    name: str
    reason: str  # why this camera is on the screen


class VideoPanel(TypedDict, total=False):
    allowed: bool  # False, alone, when the role may not see cameras
    tiles: list[VideoTile]


@PANELS.entry("video")
def video(ctx: ScreenContext) -> VideoPanel:
    """The screen's video tiles (视频监控), online cameras the user sees in the subtree, chosen
    in this order: the camera nearest each open incident (within INCIDENT_CAMERA_RADIUS_M),
    the cameras of the video wall the user saved last, then the subtree's by code."""
    if not can(ctx.user, Action.CAMERAS_VIEW):
        return {"allowed": False}
    # The rows are wide (streams, credentials): only() took 16 ms to 3 ms at 3,892.
    online = _cameras_of(ctx).filter(status=CameraStatus.ONLINE).only("code", "name")
    tiles: dict[str, VideoTile] = {}

    def add(camera: Camera, reason: str) -> None:
        if len(tiles) < VIDEO_TILES and camera.code not in tiles:
            tiles[camera.code] = {"code": camera.code, "name": camera.name, "reason": reason}

    for incident in _open_incidents(ctx)[:VIDEO_TILES]:
        near = Near(incident.lat, incident.lng, settings.INCIDENT_CAMERA_RADIUS_M)
        found = cameras_near(user=ctx.user, near=near, limit=VIDEO_TILES)
        camera = next((c for c in found if c.status == CameraStatus.ONLINE), None)
        if camera is not None:
            distance = round(camera.distance_m)  # type: ignore[attr-defined]
            add(camera, f"事件 {incident.number} 周边 {distance} 米")
    wall = WallLayout.objects.filter(user=ctx.user).order_by("-updated_at", "-pk").first()
    if wall is not None:
        by_code = {c.code: c for c in online.filter(code__in=wall.cameras)}
        for code in wall.cameras:
            if code in by_code:
                add(by_code[code], f"我的视频墙：{wall.name}")
    for camera in online.order_by("code")[: VIDEO_TILES * 2]:
        add(camera, "辖区点位")
    return {"tiles": list(tiles.values())}


def _open_incidents(ctx: ScreenContext) -> QuerySet[Incident]:
    if not can(ctx.user, Action.FORCES_VIEW):
        return Incident.objects.none()
    return Incident.objects.filter(
        org_path__startswith=ctx.org.path, state=IncidentState.HANDLING
    ).order_by("-opened_at", "-id")


def _forces(ctx: ScreenContext) -> QuerySet[Force]:
    if not can(ctx.user, Action.FORCES_VIEW):
        return Force.objects.none()
    return Force.objects.filter(team__organization__path__startswith=ctx.org.path)


@PANELS.entry("forces")
def forces(ctx: ScreenContext) -> ForcesPanel:
    """Forces by status (处置力量在岗情况); a force without a fresh position is counted
    apart as stale."""
    rows = list(
        _forces(ctx).values("status", "team__team_type_id").annotate(n=Count("pk")).order_by()
    )
    labels = _labels({row["team__team_type_id"] for row in rows})
    counts: dict[str, int] = {}
    for row in rows:
        label = labels.get((row["team__team_type_id"], row["status"]), row["status"])
        counts[label] = counts.get(label, 0) + row["n"]
    stale = _forces(ctx).exclude(position_at__gte=stale_before(ctx.now)).count()
    return {
        "total": sum(counts.values()),
        "stale": stale,
        "statuses": [
            {"label": label, "count": n}
            for label, n in sorted(counts.items(), key=lambda item: -item[1])
        ],
    }


def _labels(team_types: set[int]) -> dict[tuple[int, str], str]:
    """(team type id, status code) -> the status's name in that team type (configurable per
    team type), the defaults' names where the type does not name it."""
    defaults = dict(DEFAULT_STATUSES)
    labels: dict[tuple[int, str], str] = {}
    for team_type in TeamType.objects.filter(pk__in=team_types):
        for code, label in {**defaults, **team_type.labels()}.items():
            labels[(team_type.pk, code)] = label
    return labels


@LAYERS.entry("heat")
def heat(ctx: ScreenContext) -> list[dict[str, object]]:
    """Where the last week's cases were reported (the newest HEAT_POINTS)."""
    since = ctx.now - timedelta(days=HEAT_DAYS)
    rows = (
        Case.objects.filter(
            area_path__startswith=ctx.org.path, registered_at__gte=since, lat__isnull=False
        )
        .order_by("-registered_at", "-id")
        .values_list("lat", "lng")[:HEAT_POINTS]
    )
    return [{"lat": lat, "lng": lng} for lat, lng in rows]


@LAYERS.entry("red_cards")
def red_cards(ctx: ScreenContext) -> list[dict[str, object]]:
    rows = (
        Case.objects.filter(
            area_path__startswith=ctx.org.path,
            state__in=WORK_STATES,
            card=Card.RED,
            card_at__isnull=False,  # through the partial index screen_case_carded
            lat__isnull=False,
        )
        .order_by("-card_at", "-id")
        .values("case_no", "title", "lat", "lng")[:LAYER_POINTS]
    )
    return [{**row, "label": f"{row['case_no']} {row['title'][:30]}"} for row in rows]


@LAYERS.entry("forces")
def force_points(ctx: ScreenContext) -> list[dict[str, object]]:
    fresh = stale_before(ctx.now)
    rows = list(
        _forces(ctx)
        .filter(lat__isnull=False)
        .values("code", "name", "status", "lat", "lng", "position_at", "team__team_type_id")
        .order_by("code")[:LAYER_POINTS]
    )
    names = _labels({row["team__team_type_id"] for row in rows})
    return [
        {
            "code": row["code"],
            "label": f"{row['name']} · "
            + names.get((row["team__team_type_id"], row["status"]), row["status"]),
            "status": row["status"],
            "lat": row["lat"],
            "lng": row["lng"],
            "stale": row["position_at"] is None or row["position_at"] < fresh,
        }
        for row in rows
    ]


def _cameras_of(ctx: ScreenContext) -> QuerySet[Camera]:
    """The cameras of the screen's subtree (owned there or standing there) that the user
    sees (`camera_scope`: a department only those granted to it)."""
    return Camera.objects.filter(
        camera_scope(ctx.user),
        Q(org_path__startswith=ctx.org.path) | Q(site_path__startswith=ctx.org.path),
    )


@LAYERS.entry("cameras")
def cameras(ctx: ScreenContext) -> list[dict[str, object]]:
    rows = (
        _cameras_of(ctx)
        .filter(lat__isnull=False)
        .values("code", "name", "status", "lat", "lng")
        .order_by("code")[:LAYER_POINTS]
    )
    return [{**row, "label": row["name"]} for row in rows]


@LAYERS.entry("incidents")
def incidents(ctx: ScreenContext) -> list[dict[str, object]]:
    """The open incidents (指挥事件) commanded within the screen's organization."""
    rows = _open_incidents(ctx)[:LAYER_POINTS]
    return [
        {
            "number": row.number,
            "level": row.level,
            "lat": row.lat,
            "lng": row.lng,
            "label": f"{row.number} {row.title[:30]}（{row.get_level_display()}）",
        }
        for row in rows
    ]
