"""Every write of the camera register: a camera saved (admin), grants, and where a camera
stands (its grid and the paths the scope reads). The inventory import is in `inventory.py`."""

from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput, NotFound, full_clean
from zhili.core.roles import Action
from zhili.core.scope import require, scope_for
from zhili.core.types import Actor, SystemActor
from zhili.orgs.models import Kind, Organization
from zhili.orgs.selectors import grid_locate_many
from zhili.video.models import Camera, CameraGrant, CameraGroup, Protocol
from zhili.video.selectors import camera_scope

STREAM_SCHEMES = ("rtsp", "rtsps", "rtmp", "http", "https")
ONVIF_SCHEMES = ("http", "https")


def place(cameras: Sequence[Camera]) -> None:
    """Set each camera's `org_path` from its owner, and its grid and `site_path` from its point
    (none outside every grid or without a point), in one vectorised lookup."""
    placed = [c for c in cameras if c.lat is not None and c.lng is not None]
    where = grid_locate_many([(c.lat, c.lng) for c in placed])  # type: ignore[misc]
    for camera in cameras:
        camera.org_path = camera.owner.path
        camera.grid, camera.site_path = None, ""
    for camera, location in zip(placed, where, strict=True):
        if location is not None:
            camera.grid, camera.site_path = location.grid, location.village.path


def check_owner(owner: Organization, *, field: str = "owner") -> None:
    if owner.kind != Kind.CENTER:
        raise InvalidInput("所属单位应为县、乡镇或村（社区）综治中心", field=field)


def split_credentials(
    url: str, *, field: str, schemes: tuple[str, ...] = STREAM_SCHEMES
) -> tuple[str, str, str]:
    """(the URL without user and password, user, password): credentials never stay in a
    stream or device service address, which pages and logs may show."""
    if not url:
        return "", "", ""
    try:
        parts = urlsplit(url)
        hostname, _port = parts.hostname, parts.port  # a bad port raises here
    except ValueError:
        hostname = None
    if hostname is None or parts.scheme not in schemes:
        what = "http:// 设备服务地址" if schemes == ONVIF_SCHEMES else "rtsp:// 等码流地址"
        raise InvalidInput(f"{field} 应为 {what}", field=field)
    host = parts.netloc.rpartition("@")[2]
    clean = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return clean, parts.username or "", parts.password or ""


def stream_url(camera: Camera, *, main: bool = True) -> str:
    """The stream address with the camera's credentials put back, for the platform's own pulls
    (a clip, a gateway); never shown or logged."""
    url = camera.main_stream if main else (camera.sub_stream or camera.main_stream)
    if not url or not camera.stream_username:
        return url
    parts = urlsplit(url)
    login = quote(camera.stream_username, safe="")
    if camera.stream_password:
        login += ":" + quote(camera.stream_password, safe="")
    netloc = f"{login}@{parts.netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def camera_save(*, actor: SystemActor, camera: Camera, password: str | None = None) -> Camera:
    """Create or change a camera (the admin's form): credentials moved out of the stream
    addresses, the grid and paths recomputed, checked, audited. `password` None keeps it."""
    if actor is not None:
        require(actor, Action.CAMERAS_MANAGE)
    check_owner(camera.owner)
    check_access(camera)
    _move_credentials(camera)
    if password is not None:
        camera.stream_password = password
    place([camera])
    camera.updated_at = timezone.now()
    full_clean(camera)
    with transaction.atomic():
        created = camera.pk is None
        camera.save()
        audit(actor, "video.camera.create" if created else "video.camera.change", camera)
    return camera


ADDRESSES = {
    "main_stream": STREAM_SCHEMES,
    "sub_stream": STREAM_SCHEMES,
    "onvif_url": ONVIF_SCHEMES,
}


def check_access(camera: Camera) -> None:
    """How the platform reaches `camera`: each address of its kind, and an ONVIF camera's
    device service given (its streams may come from it). The admin's form checks the same."""
    for name, schemes in ADDRESSES.items():
        split_credentials(getattr(camera, name), field=name, schemes=schemes)
    if camera.protocol == Protocol.ONVIF and not camera.onvif_url:
        raise InvalidInput("ONVIF 接入的点位必须填写设备服务地址", field="onvif_url")


def _move_credentials(camera: Camera) -> None:
    for name, schemes in ADDRESSES.items():
        url, user, password = split_credentials(getattr(camera, name), field=name, schemes=schemes)
        setattr(camera, name, url)
        camera.stream_username = user or camera.stream_username
        camera.stream_password = password or camera.stream_password


def camera_grant(
    *, actor: SystemActor, organization: Organization, area: Organization, note: str = ""
) -> CameraGrant:
    """Give `organization` sight of every camera under `area`; granting twice changes nothing."""
    if actor is not None:
        require(actor, Action.CAMERAS_MANAGE)
    with transaction.atomic():
        grant, created = CameraGrant.objects.get_or_create(
            organization=organization,
            area=area,
            defaults={"area_path": area.path, "note": note},
        )
        if created:
            audit(actor, "video.grant.create", grant, area=area.code)
    return grant


# --- business groups (业务分组) -------------------------------------------------------------

GROUP_NAME_MAX = CameraGroup._meta.get_field("name").max_length or 50


def _group_name(name: str, *, owner: Organization, exclude: int | None = None) -> str:
    text = name.strip()
    if not text:
        raise InvalidInput("请填写分组名称", field="name")
    if len(text) > GROUP_NAME_MAX:
        raise InvalidInput(f"分组名称不能超过 {GROUP_NAME_MAX} 个字", field="name")
    same = CameraGroup.objects.filter(owner=owner, name=text)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise InvalidInput(f"本单位已有名为“{text}”的分组", field="name")
    return text


def _visible_cameras(actor: SystemActor, codes: Iterable[str]) -> list[Camera]:
    """The cameras named by `codes`, each in the actor's sight; a 422 naming `cameras` lists
    the codes that are unknown or out of sight (the two are not told apart)."""
    wanted = sorted({c.strip() for c in codes if c.strip()})
    rows = Camera.objects.filter(code__in=wanted)
    if actor is not None:
        rows = rows.filter(camera_scope(actor))
    found = list(rows)
    missing = sorted(set(wanted) - {c.code for c in found})
    if missing:
        raise InvalidInput(f"以下点位不存在或无权查看：{'、'.join(missing[:10])}", field="cameras")
    return found


def _check_group_writer(actor: SystemActor, path: str) -> None:
    """The actor may keep groups and the group (or owner) lies in their part of the tree;
    out of it is answered as not found."""
    if actor is None:
        return
    require(actor, Action.CAMERA_GROUPS_MANAGE)
    if not scope_for(actor).covers_path(path):
        raise NotFound("分组不存在")


def camera_group_create(
    *,
    actor: SystemActor,
    name: str,
    owner: Organization | None = None,
    description: str = "",
    cameras: Iterable[str] = (),
    is_demo: bool = False,
) -> CameraGroup:
    """A business group owned by `owner` (the actor's unit by default), with `cameras` (codes
    in the actor's sight)."""
    owner = owner or (actor.organization if actor is not None else None)
    if owner is None:
        raise InvalidInput("请选择分组的所属单位", field="owner")
    check_owner(owner)
    _check_group_writer(actor, owner.path)
    group = CameraGroup(
        name=_group_name(name, owner=owner),
        owner=owner,
        org_path=owner.path,
        description=description.strip()[:200],
        created_by=actor,
        is_demo=is_demo,
    )
    members = _visible_cameras(actor, cameras)
    with transaction.atomic():
        group.save()
        group.cameras.add(*members)
        audit(actor, "video.group.create", group, name=group.name, cameras=len(members))
    return group


def camera_group_rename(
    *, actor: Actor, group: CameraGroup, name: str, description: str | None = None
) -> CameraGroup:
    _check_group_writer(actor, group.org_path)
    old = group.name
    group.name = _group_name(name, owner=group.owner, exclude=group.pk)
    if description is not None:
        group.description = description.strip()[:200]
    group.updated_at = timezone.now()
    with transaction.atomic():
        group.save(update_fields=["name", "description", "updated_at"])
        audit(actor, "video.group.rename", group, old=old, new=group.name)
    return group


def camera_group_add(*, actor: Actor, group: CameraGroup, cameras: Iterable[str]) -> int:
    """Add cameras (codes in the actor's sight) to `group`; the number newly added."""
    _check_group_writer(actor, group.org_path)
    members = _visible_cameras(actor, cameras)
    with transaction.atomic():
        have = set(
            group.cameras.filter(pk__in=[c.pk for c in members]).values_list("pk", flat=True)
        )
        new = [c for c in members if c.pk not in have]
        group.cameras.add(*new)
        _touch(group)
        audit(actor, "video.group.cameras.add", group, cameras=[c.code for c in new])
    return len(new)


def camera_group_remove(*, actor: Actor, group: CameraGroup, cameras: Iterable[str]) -> int:
    """Take cameras (codes in the actor's sight) out of `group`; the number removed."""
    _check_group_writer(actor, group.org_path)
    members = _visible_cameras(actor, cameras)
    with transaction.atomic():
        gone = list(group.cameras.filter(pk__in=[c.pk for c in members]))
        group.cameras.remove(*gone)
        _touch(group)
        audit(actor, "video.group.cameras.remove", group, cameras=[c.code for c in gone])
    return len(gone)


def _touch(group: CameraGroup) -> None:
    group.updated_at = timezone.now()
    group.save(update_fields=["updated_at"])
