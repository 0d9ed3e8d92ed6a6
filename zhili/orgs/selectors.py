"""Every scoped read of organizations, grids, boundaries and staff."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

import numpy as np
import shapely
from django.db.models import Count, Prefetch, Q, QuerySet

from zhili.core.errors import InvalidInput, NotFound
from zhili.core.geo import PolygonIndex
from zhili.core.roles import Role
from zhili.core.scope import Scope, scope_for
from zhili.core.selecting import one_or_not_found
from zhili.core.stamps import StampedCache
from zhili.core.types import Actor
from zhili.orgs.models import Boundary, Grid, Level, Organization, User
from zhili.orgs.services import BOUNDARY_STAMP, GRID_STAMP, ORG_STAMP, boundary_units

# --- organizations ---------------------------------------------------------------------------


def organization_list(*, user: Actor) -> QuerySet[Organization]:
    return scope_for(user).filter(Organization.objects.select_related("parent"))


def organization_get(*, user: Actor, code: str) -> Organization:
    return one_or_not_found(organization_list(user=user), "单位不存在", code=code)


def organization_subtree(*, user: Actor, root: Organization) -> QuerySet[Organization]:
    return organization_list(user=user).filter(path__under=root.path)


def organization_search(*, user: Actor, text: str, limit: int = 50) -> QuerySet[Organization]:
    text = text.strip()
    qs = organization_list(user=user)
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(code__icontains=text) | Q(area_name__icontains=text)
        )
    return qs.order_by("depth", "path")[:limit]


def within_q(code: str, path_field: str) -> Q:
    """A list's `within` filter: the rows whose organization path (`path_field`) lies in the
    subtree of the unit `code`, itself included; an unknown code matches no row. ("": no
    condition.)"""
    if not code:
        return Q()
    path = Organization.objects.filter(code=code).values_list("path", flat=True).first()
    return Q(**{f"{path_field}__under": path}) if path else Q(pk__in=[])


def organization_children(*, user: Actor, parent: Organization | None) -> QuerySet[Organization]:
    """The visible children of `parent` (or the user's visible roots), with child counts."""
    qs = organization_list(user=user)
    if parent is not None:
        qs = qs.filter(parent=parent)
    else:
        scope = scope_for(user)
        qs = (
            qs.filter(parent__isnull=True)
            if scope.everything
            else qs.filter(path__in=scope.prefixes)
        )
    return qs.annotate(child_count=Count("children", distinct=True)).order_by("sort_order", "code")


def organization_ancestors(org: Organization) -> list[Organization]:
    codes = [c for c in org.path.strip("/").split("/")][:-1]
    by_code = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


# --- staff -----------------------------------------------------------------------------------


def staff_list(*, user: Actor) -> QuerySet[User]:
    return (
        scope_for(user)
        .filter(User.objects.filter(organization__isnull=False), "organization__path")
        .select_related("organization")
        .prefetch_related("groups")
    )


def staff_get(*, user: Actor, pk: int) -> User:
    return one_or_not_found(staff_list(user=user), "人员不存在", pk=pk)


# --- grids -----------------------------------------------------------------------------------


def grid_list(
    *, user: Actor, township: str | None = None, village: str | None = None
) -> QuerySet[Grid]:
    qs = scope_for(user).filter(Grid.objects.all(), "village__path")
    if township:
        qs = qs.filter(village__parent__code=township)
    if village:
        qs = qs.filter(village__code=village)
    workers = Prefetch("workers", queryset=User.objects.only("id", "full_name", "username"))
    return qs.select_related("village__parent", "leader").prefetch_related(workers)


def grid_get(*, user: Actor, code: str) -> Grid:
    return one_or_not_found(grid_list(user=user), "网格不存在", code=code)


def _build_grid_index() -> PolygonIndex:
    rows = Grid.objects.order_by("id").values_list("id", "geometry")
    keys, geoms = [], []
    for pk, geometry in rows:
        keys.append(pk)
        geoms.append(shapely.geometry.shape(geometry))
    return PolygonIndex(keys, geoms)


grid_index: StampedCache[PolygonIndex] = StampedCache(GRID_STAMP, _build_grid_index)


@dataclass(frozen=True)
class Location:
    grid: Grid
    village: Organization
    township: Organization


# A coordinate as a client sends it: a form's or query's text, a JSON number.
Coordinate: TypeAlias = str | float | Decimal


def parse_coordinate(value: Coordinate, *, field: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{field} 必须是数字", field=field) from exc
    if not np.isfinite(number) or not low <= number <= high:
        raise InvalidInput(f"{field} 必须在 {low} 到 {high} 之间", field=field)
    return number


def _build_places() -> dict[int, Location]:
    grids = Grid.objects.select_related("village__parent").defer("geometry")
    return {
        grid.pk: Location(grid=grid, village=grid.village, township=grid.village.parent)
        for grid in grids
        if grid.village.parent is not None
    }


# Grid -> village -> township for every grid, so that placing a case costs no query.
grid_places: StampedCache[dict[int, Location]] = StampedCache(
    (GRID_STAMP, ORG_STAMP), _build_places
)


def grid_locate(*, lat: Coordinate, lng: Coordinate) -> Location | None:
    """Which grid covers a point. Not scoped: routing must place any point in the county."""
    lat = parse_coordinate(lat, field="lat", low=-90, high=90)
    lng = parse_coordinate(lng, field="lng", low=-180, high=180)
    pk = grid_index.get().locate(lng, lat)
    return None if pk is None else grid_places.get().get(pk)


def grid_locate_many(points: Sequence[tuple[float, float]]) -> list[Location | None]:
    """`grid_locate` of many (lat, lng) points already checked to be in range, in one
    vectorised pass (bulk imports)."""
    if not points:
        return []
    lats, lngs = np.array(points, dtype=float).T
    places = grid_places.get()
    return [places.get(int(pk)) for pk in grid_index.get().locate_many(lngs, lats)]


# --- boundaries (区划边界) ------------------------------------------------------------------


@dataclass(frozen=True)
class BoundaryFeature:
    """One unit's boundary as the API sends it: a GeoJSON Feature, serialized once."""

    path: str
    level: str
    code: str
    text: str


@dataclass(frozen=True)
class BoundaryFeatures:
    features: tuple[BoundaryFeature, ...]
    version: str  # changes whenever any feature does: the answers' ETag is made from it


def _build_boundary_features() -> BoundaryFeatures:
    rows = (
        Boundary.objects.filter(organization__is_active=True)
        .select_related("organization__parent")
        .order_by("organization__path")
    )
    digest = hashlib.sha256()
    features = []
    for row in rows:
        feature = BoundaryFeature(
            row.organization.path, row.organization.level, row.organization.code, _feature(row)
        )
        digest.update(feature.text.encode())
        features.append(feature)
    return BoundaryFeatures(tuple(features), digest.hexdigest()[:20])


def _feature(boundary: Boundary) -> str:
    unit = boundary.organization
    return json.dumps(
        {
            "type": "Feature",
            "id": unit.code,
            "geometry": boundary.geometry,
            "properties": {
                "code": unit.code,
                "name": unit.display_area,
                "level": unit.level,
                "parent": unit.parent.code if unit.parent else None,
                "source": boundary.source,
                "area_km2": boundary.area_km2,
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


# Every boundary serialized, rebuilt when one changes: an answer only filters and joins them.
boundary_features_cache: StampedCache[BoundaryFeatures] = StampedCache(
    (BOUNDARY_STAMP, ORG_STAMP), _build_boundary_features
)


@dataclass(frozen=True)
class BoundarySelection:
    features: list[BoundaryFeature]
    etag: str


def boundary_features(
    *, user: Actor, level: str | None = None, within: str | None = None
) -> BoundarySelection:
    """The boundaries in the user's part of the tree, of one level and under one unit when
    asked; an unknown `within` and one out of sight are the same 404."""
    scope = scope_for(user)
    prefixes: tuple[str, ...] = ("/",) if scope.everything else scope.prefixes
    if within:
        try:
            root = organization_get(user=user, code=within)
        except NotFound as exc:
            raise NotFound("单位不存在", field="within") from exc
        prefixes = (root.path,)
    cached = boundary_features_cache.get()
    features = [
        f
        for f in cached.features
        if f.path.startswith(prefixes) and (level is None or f.level == level)
    ]
    key = f"{cached.version}|{level}|{'|'.join(prefixes)}"
    return BoundarySelection(features, hashlib.sha256(key.encode()).hexdigest()[:32])


def boundary_units_list(*, user: Actor) -> QuerySet[Organization]:
    """The units in the user's scope that have an area (county, township and village
    centers), with their boundary's source, uploader and time (no geometry)."""
    return (
        scope_for(user)
        .filter(boundary_units())
        .select_related("boundary__uploaded_by")
        .defer("boundary__geometry")
        .order_by("path")
    )


def units_named(
    codes: Iterable[str], *, field: str, label: str, within: Scope | None = None
) -> list[Organization]:
    """The active organizations of `codes`, in their order, each in `within` when given (an
    actor's part of the tree), or 422 naming `field`."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    if not wanted:
        raise InvalidInput(f"请选择{label}", field=field)
    found = {o.code: o for o in Organization.objects.filter(code__in=wanted, is_active=True)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise InvalidInput(f"{label}不存在：{'、'.join(missing)}", field=field)
    outside = [found[c].name for c in wanted if within and not within.covers_path(found[c].path)]
    if outside:
        raise InvalidInput(f"{label}不在您所在单位的范围内：{'、'.join(outside)}", field=field)
    return [found[c] for c in wanted]


def township_list(*, user: Actor) -> QuerySet[Organization]:
    return organization_list(user=user).filter(level=Level.TOWNSHIP, kind="center")


HEAD_ROLES = (Role.UNIT_HEAD, Role.TOWNSHIP_SECRETARY, Role.CENTER_DIRECTOR)


def unit_head(unit: Organization) -> str:
    """The name of the unit's head on the platform (单位负责人, 乡镇政法委书记 or 中心主任; the
    longest-serving account first), for papers that name the head of a unit."""
    head = (
        User.objects.filter(organization=unit, is_active=True, groups__name__in=HEAD_ROLES)
        .order_by("id")
        .values_list("full_name", flat=True)
        .first()
    )
    return head or "单位主要负责人"
