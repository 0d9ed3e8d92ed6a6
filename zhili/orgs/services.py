"""Every write to organizations, grids, boundaries, staff and tokens."""

import hashlib
import math
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhili.core import stamps
from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput, NotFound, full_clean
from zhili.core.events import emit
from zhili.core.geo import polygon_from_geojson
from zhili.core.personal import validate_phone
from zhili.core.roles import Action, Role
from zhili.core.scope import require, scope_for
from zhili.core.text import clean_line
from zhili.core.types import Actor
from zhili.orgs.boundary_file import FileFeature, match_units, read_features
from zhili.orgs.events import GridsChanged, StaffRolesChanged
from zhili.orgs.models import (
    AuthToken,
    Boundary,
    BoundarySource,
    Grid,
    Kind,
    Level,
    Organization,
    User,
)

GRID_STAMP = "orgs.grids"
# Bumped on every change to organizations, for caches that hold them (names, paths).
ORG_STAMP = "orgs.organizations"
CHILD_LEVEL = {Level.COUNTY: Level.TOWNSHIP, Level.TOWNSHIP: Level.VILLAGE}


# --- organizations ---------------------------------------------------------------------------


def tree_path(parent: Organization | None, code: str) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    level: str,
    parent: Organization | None,
    **fields: str,
) -> Organization:
    require(actor, Action.ORGS_MANAGE)
    if parent is not None and not scope_for(actor).covers_path(parent.path):
        raise NotFound("上级单位不存在", field="parent")
    if Organization.objects.filter(code=code).exists():
        raise InvalidInput(f"编码 {code} 已被使用", field="code")
    org = Organization(code=code, name=name, kind=kind, level=level, parent=parent, **fields)
    org.path = tree_path(parent, code)
    org.depth = org.path.count("/") - 2
    full_clean(org)
    org.save()
    stamps.bump(ORG_STAMP)
    audit(actor, "orgs.organization.create", org, code=code, parent=parent.code if parent else None)
    return org


# --- grids ------------------------------------------------------------------------------------


def grid_geometry_fields(geometry: dict[str, object]) -> dict[str, object]:
    try:
        geom = polygon_from_geojson(geometry)
    except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.GEOSException) as exc:
        raise InvalidInput(f"网格范围不是有效的多边形：{exc}", field="geometry") from exc
    return geometry_fields(geom)


def geometry_fields(geom: shapely.Geometry) -> dict[str, object]:
    """The stored columns of a valid polygon (a grid's, a boundary's): its GeoJSON, bounding
    box and area."""
    min_lng, min_lat, max_lng, max_lat = geom.bounds
    # Degrees to km² near the county's latitude: good enough for display, not for survey.
    lat_km, lng_km = 111.32, 111.32 * math.cos(math.radians(geom.centroid.y))
    return {
        "geometry": shapely.geometry.mapping(geom),
        "min_lng": min_lng,
        "min_lat": min_lat,
        "max_lng": max_lng,
        "max_lat": max_lat,
        "area_km2": round(geom.area * lat_km * lng_km, 4),
    }


def _check_village(actor: Actor, village: Organization) -> None:
    if village.level != Level.VILLAGE:
        raise InvalidInput("网格必须属于村（社区）", field="village")
    if not scope_for(actor).covers_path(village.path):
        raise NotFound("村（社区）不存在", field="village")


@transaction.atomic
def grid_create(
    *, actor: Actor, code: str, name: str, village: Organization, geometry: dict[str, object]
) -> Grid:
    require(actor, Action.GRIDS_MANAGE)
    _check_village(actor, village)
    if Grid.objects.filter(code=code).exists():
        raise InvalidInput(f"网格编码 {code} 已被使用", field="code")
    grid = Grid(code=code, name=name, village=village, **grid_geometry_fields(geometry))
    full_clean(grid)
    grid.save()
    _grids_changed(actor, "orgs.grid.create", grid)
    return grid


@transaction.atomic
def grid_update_geometry(*, actor: Actor, grid: Grid, geometry: dict[str, object]) -> Grid:
    require(actor, Action.GRIDS_MANAGE)
    _check_village(actor, grid.village)
    for field, value in grid_geometry_fields(geometry).items():
        setattr(grid, field, value)
    grid.updated_at = timezone.now()
    grid.save()
    _grids_changed(actor, "orgs.grid.update_geometry", grid)
    return grid


@transaction.atomic
def grid_set_staff(
    *, actor: Actor, grid: Grid, leader: User | None, workers: Iterable[User]
) -> Grid:
    require(actor, Action.GRIDS_MANAGE)
    _check_village(actor, grid.village)
    workers = list(workers)
    for person in [leader, *workers]:
        if person is not None and not scope_for(actor).covers_path(_org_path(person)):
            raise NotFound("人员不存在", field="workers")
    grid.leader = leader
    grid.save(update_fields=["leader"])
    grid.workers.set(workers)
    audit(
        actor,
        "orgs.grid.set_staff",
        grid,
        leader=leader.pk if leader else None,
        workers=[w.pk for w in workers],
    )
    return grid


def _grids_changed(actor: Actor, action: str, grid: Grid) -> None:
    stamps.bump(GRID_STAMP)
    audit(actor, action, grid, village=grid.village.code)
    emit(GridsChanged(grid_ids=(grid.pk,), village_code=grid.village.code))


def _org_path(user: User) -> str:
    org = user.organization
    return org.path if org else "/-none-/"


# --- boundaries (区划边界) ------------------------------------------------------------------

BOUNDARY_STAMP = "orgs.boundaries"
# The units that have an area, hence a boundary: the county, township and village centers.
BOUNDARY_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def boundary_units() -> QuerySet[Organization]:
    """The active units a boundary may belong to (not the departments, offices ...)."""
    return Organization.objects.filter(kind=Kind.CENTER, level__in=BOUNDARY_LEVELS, is_active=True)


@dataclass(frozen=True)
class BoundaryImport:
    """What an official file changed, counted by level (county, township, village)."""

    file_name: str
    sha256: str
    added: dict[str, int]  # units that had no boundary
    replaced: dict[str, int]  # units whose boundary (示意, or another file's) was replaced
    unchanged: dict[str, int]  # units that already had this very file's boundary
    repaired: list[dict[str, object]]  # features made valid: feature, code, reason
    missing: list[Organization]  # townships and villages in scope still without 正式 boundary

    @property
    def created(self) -> bool:
        return any(self.added.values())


@transaction.atomic
def boundaries_import(*, actor: Actor, name: str, content: bytes) -> BoundaryImport:
    """Replace the boundaries of the units an official GeoJSON file names: all of them, or,
    at the first bad feature, none (InvalidInput naming it, e.g. features[3].properties.code).
    Units out of the actor's scope are answered as units that do not exist."""
    require(actor, Action.ORGS_MANAGE)
    features = read_features(content)
    scope = scope_for(actor)
    units = scope.filter(boundary_units()).select_related("boundary")
    matched = match_units(features, list(units))
    sha256, name = hashlib.sha256(content).hexdigest(), _file_name(name)
    result = _write_boundaries(actor, matched, name, sha256)
    missing = units.filter(level__in=[Level.TOWNSHIP, Level.VILLAGE]).exclude(
        boundary__source=BoundarySource.OFFICIAL
    )
    return BoundaryImport(file_name=name, sha256=sha256, **result, missing=list(missing))


def _file_name(name: str) -> str:
    """The uploaded file's own name, as shown on the page: no folders, nothing invisible."""
    base = os.path.basename(name.replace("\\", "/"))
    return "".join(ch for ch in clean_line(base) if ch.isprintable()).strip()[:255] or "未命名文件"


def _write_boundaries(
    actor: Actor, matched: list[tuple[FileFeature, Organization]], name: str, sha256: str
) -> dict[str, Any]:
    now = timezone.now()
    counts: dict[str, dict[str, int]] = {"added": {}, "replaced": {}, "unchanged": {}}
    added, replaced, repaired = [], [], []
    new, changed = [], []
    for feature, unit in matched:
        if feature.repaired:
            repaired.append(
                {"feature": feature.index, "code": unit.code, "reason": feature.repaired}
            )
        boundary = getattr(unit, "boundary", None)
        if boundary is not None and boundary.file_sha256 == sha256:
            _count(counts["unchanged"], unit.level)
            continue
        if boundary is None:
            boundary = Boundary(organization=unit)
            new.append(boundary)
            added.append(unit.code)
            _count(counts["added"], unit.level)
        else:
            changed.append(boundary)
            replaced.append(
                {"code": unit.code, "source": boundary.source, "sha256": boundary.file_sha256}
            )
            _count(counts["replaced"], unit.level)
        for field, value in geometry_fields(feature.geometry).items():
            setattr(boundary, field, value)
        boundary.source = BoundarySource.OFFICIAL
        boundary.file_name, boundary.file_sha256 = name, sha256
        boundary.uploaded_by, boundary.uploaded_at, boundary.updated_at = actor, now, now
    Boundary.objects.bulk_create(new, batch_size=200)
    Boundary.objects.bulk_update(changed, BOUNDARY_FIELDS, batch_size=200)
    if new or changed:
        stamps.bump(BOUNDARY_STAMP)
    audit(
        actor,
        "orgs.boundaries.import",
        None,
        file_name=name,
        sha256=sha256,
        added=added,
        replaced=replaced,
        unchanged=sum(counts["unchanged"].values()),
        repaired=repaired,
    )
    return {**counts, "repaired": repaired}


BOUNDARY_FIELDS = [
    "geometry",
    "min_lng",
    "min_lat",
    "max_lng",
    "max_lat",
    "area_km2",
    "source",
    "file_name",
    "file_sha256",
    "uploaded_by",
    "uploaded_at",
    "updated_at",
]


def _count(counts: dict[str, int], level: str) -> None:
    counts[level] = counts.get(level, 0) + 1


# --- staff and roles ---------------------------------------------------------------------------


def _validate_roles(roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise InvalidInput(f"未知角色：{', '.join(unknown)}", field="roles")
    return roles


def _groups(roles: list[str]) -> list[Group]:
    return [Group.objects.get_or_create(name=role)[0] for role in roles]


def _save_with_roles(user: User, roles: list[str]) -> None:
    full_clean(user, exclude=["password"])
    user.save()
    user.groups.set(_groups(roles))


def _check_update(actor: Actor, user: User, organization: Organization, is_active: bool) -> None:
    """The person and the new unit within the actor's scope; no one deactivates themselves."""
    require(actor, Action.PEOPLE_MANAGE)
    scope = scope_for(actor)
    if not scope.covers_path(_org_path(user)):
        raise NotFound("人员不存在")
    if not scope.covers_path(organization.path):
        raise NotFound("单位不存在", field="organization")
    if user.pk == getattr(actor, "pk", None) and not is_active:
        raise InvalidInput("不能停用自己的账号", field="is_active")


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    organization: Organization,
    roles: Iterable[str],
    password: str | None = None,
    phone: str = "",
    title: str = "",
) -> User:
    require(actor, Action.PEOPLE_MANAGE)
    if not scope_for(actor).covers_path(organization.path):
        raise NotFound("单位不存在", field="organization")
    roles = _validate_roles(roles)
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"用户名 {username} 已存在", field="username")
    user = User(username=username, full_name=full_name, organization=organization, title=title)
    user.phone = validate_phone(phone) if phone else ""
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _save_with_roles(user, roles)
    audit(actor, "orgs.user.create", user, organization=organization.code, roles=roles)
    emit(StaffRolesChanged(user_id=user.pk, roles=tuple(roles)))
    return user


@transaction.atomic
def user_update(
    *,
    actor: Actor,
    user: User,
    full_name: str,
    organization: Organization,
    roles: Iterable[str],
    phone: str = "",
    title: str = "",
    is_active: bool = True,
) -> User:
    _check_update(actor, user, organization, is_active)
    roles = _validate_roles(roles)
    before = {
        "organization": _code(user),
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }
    user.full_name, user.organization, user.title = full_name, organization, title
    user.phone = validate_phone(phone) if phone else ""
    user.is_active = is_active
    _save_with_roles(user, roles)
    if not is_active:
        token_revoke_all(user=user)
    audit(
        actor, "orgs.user.update", user, before=before, organization=organization.code, roles=roles
    )
    if before["roles"] != roles:
        emit(StaffRolesChanged(user_id=user.pk, roles=tuple(roles)))
    return user


def _code(user: User) -> str | None:
    org = user.organization
    return org.code if org else None


@transaction.atomic
def user_change_password(*, user: User, old_password: str, new_password: str) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if not user.check_password(old_password):
        raise InvalidInput("原密码不正确", field="old_password")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise InvalidInput(";".join(exc.messages), field="new_password") from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    token_revoke_all(user=user)
    audit(user, "orgs.user.change_password", user)


# --- bearer tokens -----------------------------------------------------------------------------


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "") -> str:
    """Create a bearer token for `user` and return it; it is shown once and stored hashed."""
    raw = "zl_" + secrets.token_urlsafe(32)
    AuthToken.objects.create(user=user, digest=token_digest(raw), prefix=raw[:8], name=name[:100])
    audit(user, "orgs.token.issue", user, prefix=raw[:8], name=name[:100])
    return raw


@transaction.atomic
def token_revoke(*, user: User, raw: str) -> None:
    updated = AuthToken.objects.filter(
        user=user, digest=token_digest(raw), revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise Conflict("令牌已失效")
    audit(user, "orgs.token.revoke", user, prefix=raw[:8])


def token_revoke_all(*, user: User) -> int:
    return AuthToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
