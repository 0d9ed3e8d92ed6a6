"""Every scoped read of the camera register: the one place that says who sees which camera.

- the county center's units, county leaders and superusers see every camera (`scope_for`);
- a township or a village sees the cameras it owns (`org_path` under its path) and those
  standing in its grids (`site_path`: the path of the grid's village);
- a department sees only what a `CameraGrant` gives its organization (公安局: the county);
  a grant widens anyone's sight the same way;
- without the action `cameras.view` nothing. A camera out of sight is answered as one that
  does not exist (404).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from zhili.core.errors import NotFound
from zhili.core.near import Near, nearest
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.orgs.models import Kind, Organization
from zhili.video.models import (
    Camera,
    CameraClip,
    CameraGrant,
    CameraGroup,
    CameraStatus,
    CameraView,
    WallLayout,
)


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


def cameras_near(*, user: Actor, near: Near, limit: int) -> list[Camera]:
    """The first `limit` cameras `user` sees within the radius of the point, nearest first,
    each with its `distance_m` (the case page's panel of cameras near the case)."""
    found = nearest(Camera.objects.filter(camera_scope(user)), near)[:limit]
    by_pk = Camera.objects.select_related("owner").in_bulk([pk for _d, pk in found])
    cameras = []
    for distance, pk in found:
        camera = by_pk[pk]
        camera.distance_m = distance  # type: ignore[attr-defined]
        cameras.append(camera)
    return cameras


def camera_visible(user: Actor, camera: Camera) -> bool:
    return Camera.objects.filter(camera_scope(user), pk=camera.pk).exists()


# --- clips ---------------------------------------------------------------------------------------


def clips_rows() -> QuerySet[CameraClip]:
    return CameraClip.objects.select_related("case", "camera", "requested_by", "attachment")


def case_clips(case_id: int) -> list[CameraClip]:
    """The clips recorded for a case (whose page the viewer sees), newest first."""
    return list(clips_rows().filter(case_id=case_id))


# --- the map --------------------------------------------------------------------------------

MapRow = tuple[str, str, str, str, float, float]


def camera_points(*, user: Actor, filters: CameraFilters | None = None) -> list[MapRow]:
    """[code, name, kind, status, lat, lng] of every placed camera in sight: the map's one
    compact answer (a few thousand rows, no paging)."""
    rows = camera_list(user=user, filters=filters).filter(lat__isnull=False, lng__isnull=False)
    values = rows.order_by().values_list("code", "name", "kind", "status", "lat", "lng")
    return [(c, n, k, s, a, b) for c, n, k, s, a, b in values if a is not None and b is not None]


# --- the tree by division -------------------------------------------------------------------


def place_q(path: str) -> Q:
    """The cameras filed under the division `path` itself: those standing in it (a village),
    or, standing in no grid, owned by it."""
    return Q(site_path=path) | Q(site_path="", org_path=path)


@dataclass
class Tally:
    online: int = 0
    total: int = 0

    def add(self, status: str, n: int) -> None:
        self.total += n
        if status == CameraStatus.ONLINE:
            self.online += n


@dataclass
class DivisionNode:
    """A center of the division tree with the cameras in sight under it (`tally`) and those
    filed at the node itself (`own`)."""

    org: Organization
    tally: Tally
    own: int = 0
    children: list["DivisionNode"] = field(default_factory=list)


def _ancestor_paths(path: str) -> list[str]:
    """``/a/b/c/`` -> ``/a/``, ``/a/b/``, ``/a/b/c/``."""
    parts = path.strip("/").split("/")
    return [f"/{'/'.join(parts[: n + 1])}/" for n in range(len(parts))]


def camera_tree(*, user: Actor) -> DivisionNode | None:
    """The division tree (county → township → village) of the cameras in sight, each node
    with its online/total counts, trimmed to the nodes that hold some; its root is the
    smallest node that holds them all (a village officer's: the village). None: no camera."""
    tallies: dict[str, Tally] = {}
    own: Counter[str] = Counter()
    grouped = (
        Camera.objects.filter(camera_scope(user))
        .order_by()
        .values("site_path", "org_path", "status")
        .annotate(n=Count("id"))
    )
    for row in grouped:
        place = row["site_path"] or row["org_path"]
        own[place] += row["n"]
        for path in _ancestor_paths(place):
            tallies.setdefault(path, Tally()).add(row["status"], row["n"])
    if not tallies:
        return None
    orgs = Organization.objects.filter(path__in=tallies).order_by("sort_order", "code")
    nodes = {o.path: DivisionNode(o, tallies[o.path], own[o.path]) for o in orgs}
    return _link(nodes)


def _link(nodes: dict[str, DivisionNode]) -> DivisionNode | None:
    """Hang each node under its nearest ancestor present; the root, descended while it holds
    no camera itself and has one child."""
    roots: list[DivisionNode] = []
    for path, node in nodes.items():
        parent = next((nodes[p] for p in reversed(_ancestor_paths(path)[:-1]) if p in nodes), None)
        (parent.children if parent else roots).append(node)
    if len(roots) != 1:
        return None
    root = roots[0]
    while not root.own and len(root.children) == 1:
        root = root.children[0]
    return root


def division_get(*, user: Actor, code: str) -> Organization:
    """A division node whose cameras the user may list: a center holding cameras in sight."""
    org = one_or_not_found(Organization.objects.all(), "单位不存在", code=code)
    if (
        not Camera.objects.filter(camera_scope(user))
        .filter(Q(site_path__under=org.path) | Q(site_path="", org_path__under=org.path))
        .exists()
    ):
        raise NotFound("单位不存在")
    return org


def division_cameras(*, user: Actor, org: Organization) -> QuerySet[Camera]:
    """The cameras in sight filed at `org` itself, by code."""
    rows = Camera.objects.filter(camera_scope(user)).filter(place_q(org.path))
    return rows.order_by("code")


# --- business groups ------------------------------------------------------------------------


def group_scope(user: Actor) -> Q:
    """The groups of the user's part of the tree (none without `cameras.view`)."""
    if not can(user, Action.CAMERAS_VIEW):
        return Q(pk__in=[])
    return scope_for(user).q("org_path")


def group_list(*, user: Actor) -> QuerySet[CameraGroup]:
    """The groups in sight, each with `visible_total` and `visible_online`: its cameras that
    the user may see."""
    seen = camera_scope(user)
    total = Count("cameras", filter=_through(seen), distinct=True)
    online = Count(
        "cameras",
        filter=_through(seen) & Q(cameras__status=CameraStatus.ONLINE),
        distinct=True,
    )
    rows = CameraGroup.objects.filter(group_scope(user)).select_related("owner")
    return rows.annotate(visible_total=total, visible_online=online).order_by("org_path", "name")


def _through(q: Q) -> Q:
    """`q`, a filter on cameras, as a filter on a group's cameras."""
    if not q.children:
        return Q(cameras__isnull=False)
    return Q(cameras__in=Camera.objects.filter(q).values("pk"))


def group_get(*, user: Actor, pk: int) -> CameraGroup:
    if not 0 < pk < 2**31:  # beyond any id (and beyond what SQLite's integers take)
        raise NotFound("分组不存在")
    rows = CameraGroup.objects.filter(group_scope(user)).select_related("owner", "created_by")
    return one_or_not_found(rows, "分组不存在", pk=pk)


def group_cameras(*, user: Actor, group: CameraGroup) -> QuerySet[Camera]:
    """The cameras of `group` that the user may see, by code."""
    return group.cameras.filter(camera_scope(user)).select_related("owner").order_by("code")
