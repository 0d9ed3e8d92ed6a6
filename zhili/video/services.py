"""Every write of the camera register: a camera saved (admin), grants, and where a camera
stands (its grid and the paths the scope reads). The inventory import is in `inventory.py`."""

from collections.abc import Sequence
from urllib.parse import quote, urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput, full_clean
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import SystemActor
from zhili.orgs.models import Kind, Organization
from zhili.orgs.selectors import grid_locate_many
from zhili.video.models import Camera, CameraGrant

STREAM_SCHEMES = ("rtsp", "rtsps", "rtmp", "http", "https")


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


def split_credentials(url: str, *, field: str) -> tuple[str, str, str]:
    """(the URL without user and password, user, password): credentials never stay in a
    stream address, which pages and logs may show."""
    if not url:
        return "", "", ""
    parts = urlsplit(url)
    if parts.scheme not in STREAM_SCHEMES or not parts.hostname:
        raise InvalidInput(f"{field} 应为 rtsp:// 等码流地址", field=field)
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


def _move_credentials(camera: Camera) -> None:
    for name in ("main_stream", "sub_stream"):
        url, user, password = split_credentials(getattr(camera, name), field=name)
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
