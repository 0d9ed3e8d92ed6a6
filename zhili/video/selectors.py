"""Every scoped read of the camera register: the one place that says who sees which camera.

- the county center's units, county leaders and superusers see every camera (`scope_for`);
- a township or a village sees the cameras it owns (`org_path` under its path) and those
  standing in its grids (`site_path`: the path of the grid's village);
- a department sees only what a `CameraGrant` gives its organization (公安局: the county);
  a grant widens anyone's sight the same way;
- without the action `cameras.view` nothing. A camera out of sight is answered as one that
  does not exist (404).
"""

import math
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zhili.core.dossier.pages import pack_cursor, unpack_cursor
from zhili.core.errors import InvalidInput
from zhili.core.geo import EARTH_RADIUS_M, distance_m
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.orgs.models import Kind, Organization
from zhili.video.models import Camera, CameraGrant, CameraView, WallLayout

MAX_RADIUS_M = 100_000


def camera_scope(user: Actor) -> Q:
    if not can(user, Action.CAMERAS_VIEW):
        return Q(pk__in=[])
    scope = scope_for(user)
    if scope.everything:
        return Q()
    org = user.organization
    own = Q(pk__in=[])
    if org is not None and org.kind != Kind.DEPARTMENT:
        own = scope.q("org_path") | scope.q("site_path")
    return own | granted_q(org)


def granted_q(org: Organization | None) -> Q:
    """The cameras under the areas granted to `org`."""
    q = Q(pk__in=[])
    if org is None:
        return q
    for path in CameraGrant.objects.filter(organization=org).values_list("area_path", flat=True):
        q |= Q(org_path__under=path) | Q(site_path__under=path)
    return q


@dataclass(frozen=True)
class CameraFilters:
    kind: str = ""
    status: str = ""
    township: str = ""  # an organization code
    village: str = ""
    q: str = ""


def camera_list(*, user: Actor, filters: CameraFilters | None = None) -> QuerySet[Camera]:
    f = filters or CameraFilters()
    rows = Camera.objects.filter(camera_scope(user)).select_related("owner")
    rows = filter_given(rows, kind=f.kind, status=f.status)
    for code in (f.township, f.village):
        if code:
            rows = rows.filter(_area_q(code))
    text = f.q.strip()
    if text:
        rows = rows.filter(Q(name__icontains=text) | Q(code__startswith=text))
    return rows


def _area_q(code: str) -> Q:
    """The cameras owned under, or standing in, the organization `code` (none if unknown)."""
    path = Organization.objects.filter(code=code).values_list("path", flat=True).first()
    if path is None:
        return Q(pk__in=[])
    return Q(org_path__under=path) | Q(site_path__under=path)


def camera_get(*, user: Actor, code: str) -> Camera:
    rows = Camera.objects.filter(camera_scope(user)).select_related(
        "owner", "grid", "shares_stream_of"
    )
    return one_or_not_found(rows, "监控点位不存在", code=code)


def recent_views(*, user: Actor, camera: Camera, limit: int = 10) -> list[CameraView]:
    """Who watched `camera` lately (the view audit), for those who keep the register."""
    if not can(user, Action.CAMERAS_MANAGE):
        return []
    rows = CameraView.objects.filter(camera=camera).select_related("user").order_by("-started_at")
    return list(rows[:limit])


def wall_layouts(*, user: Actor) -> list[WallLayout]:
    """The user's own saved walls (a layout is nobody else's)."""
    return list(WallLayout.objects.filter(user=user))


def wall_cameras(*, user: Actor, codes: list[str]) -> list[Camera]:
    """The cameras of a layout that the user still sees, in the layout's order."""
    found = {c.code: c for c in Camera.objects.filter(camera_scope(user), code__in=codes)}
    return [found[code] for code in codes if code in found]


# --- near a point -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Near:
    lat: float
    lng: float
    radius_m: float


def parse_near(text: str) -> Near:
    """`lat,lng,radius_m` (WGS84 degrees, metres); a 422 naming `near` otherwise."""
    parts = text.split(",")
    try:
        lat, lng, radius = (float(p) for p in parts)
    except ValueError as exc:
        raise InvalidInput(
            "near 应为 lat,lng,radius_m（纬度、经度、半径米数），如 34.52,118.77,500", field="near"
        ) from exc
    if not all(math.isfinite(v) for v in (lat, lng, radius)):
        raise InvalidInput("near 的数值无效", field="near")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise InvalidInput("near 的纬度或经度超出范围", field="near")
    if not 0 < radius <= MAX_RADIUS_M:
        raise InvalidInput(f"near 的半径应在 0 到 {MAX_RADIUS_M} 米之间", field="near")
    return Near(lat, lng, radius)


def nearest(rows: QuerySet[Camera], near: Near) -> list[tuple[float, int]]:
    """(distance in metres rounded to the millimetre, id) of the cameras of `rows` within the
    radius, nearest first: a bounding box in SQL, the exact distance here."""
    dlat = math.degrees(near.radius_m / EARTH_RADIUS_M)
    cos_lat = max(math.cos(math.radians(near.lat)), 1e-6)
    dlng = min(180.0, dlat / cos_lat)
    box = rows.filter(
        lat__gte=near.lat - dlat,
        lat__lte=near.lat + dlat,
        lng__gte=near.lng - dlng,
        lng__lte=near.lng + dlng,
    )
    found = []
    for pk, lat, lng in box.values_list("id", "lat", "lng"):
        if lat is None or lng is None:  # the box leaves none out; for the type checker
            continue
        d = round(distance_m(near.lat, near.lng, lat, lng), 3)
        if d <= near.radius_m:
            found.append((d, pk))
    return sorted(found)


def _distance_and_pk(parts: list[str]) -> tuple[float, int]:
    distance, pk = parts
    return float(distance), int(pk)


def near_page(
    rows: QuerySet[Camera], near: Near, *, cursor: str, size: int
) -> tuple[list[Camera], str | None]:
    """A page of the cameras of `rows` within the radius, nearest first, after `cursor` (the
    distance and id of the previous page's last camera)."""
    found = nearest(rows, near)
    if cursor:
        start = unpack_cursor(cursor, _distance_and_pk)
        found = [key for key in found if key > start]
    chosen = found[:size]
    by_pk = Camera.objects.select_related("owner").in_bulk([pk for _d, pk in chosen])
    more = len(found) > size
    return [by_pk[pk] for _d, pk in chosen], pack_cursor(
        f"{chosen[-1][0]:.3f}", chosen[-1][1]
    ) if more else None
