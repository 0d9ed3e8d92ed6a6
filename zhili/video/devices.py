"""The register's writes that come from GB/T 28181 devices (the `zhili gb28181` server).

- Any device that authenticates (the one shared password, digest) is accepted, known or
  not: it gets a `Device` row, and its catalog then fills the register with its channels.
  An id that is not 20 digits under the county's division code is refused (403).
- A keepalive keeps the device online and its online channels' `last_seen_at` fresh. A device
  that was offline comes back online with all its channels; the server then asks for the
  catalog again, which sets each channel's own ON/OFF. The server answers the keepalives of a
  device it knows online from memory and writes them together (`keepalives_record`).
- The sweep takes offline every device whose last keepalive (or registration) is older than
  `interval × missed` seconds, and all its channels; a device whose registration expired
  (registered_at + Expires) is unregistered too, so its next keepalive gets 403 and it
  registers again.
- The catalog upserts channels by code (video channels only: type 131 camera, 132 IPC).
  A new channel belongs to the center whose code is its CivilCode, else the county center;
  an existing one keeps its owner and kind (the register's, e.g. from the inventory import).
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhili.core.audit import audit
from zhili.orgs.models import Kind, Organization
from zhili.video.gb28181.manscdp import CatalogItem
from zhili.video.models import (
    DIVISION,
    Camera,
    CameraKind,
    CameraStatus,
    Device,
    Protocol,
    code_validator,
)
from zhili.video.services import place

log = logging.getLogger(__name__)
ONLINE, OFFLINE = CameraStatus.ONLINE, CameraStatus.OFFLINE
CHANNEL_TYPES = ("131", "132")  # GB/T 28181 annex D: camera, network camera
BATCH = 500
# A device's keepalive says its channels are alive; their 最后在线 is written at most this
# often (the device's own keepalive_at is exact), which keeps a keepalive to one row's update.
CHANNELS_SEEN_EVERY = timedelta(minutes=5)
CATALOG_FIELDS = [
    "name",
    "lat",
    "lng",
    "status",
    "ptz",
    "device_code",
    "protocol",
    "last_seen_at",
    "org_path",
    "grid",
    "site_path",
    "updated_at",
]
# What a catalog says about a channel, without the times every load moves on.
SUBSTANCE = [f for f in CATALOG_FIELDS if f not in ("last_seen_at", "updated_at")]


def _substance(camera: Camera) -> tuple[object, ...]:
    return tuple(getattr(camera, "grid_id" if f == "grid" else f) for f in SUBSTANCE)


def valid_code(code: str) -> bool:
    try:
        code_validator(code)
    except ValidationError:
        return False
    return True


def device_register(*, code: str, host: str, port: int, transport: str, expires: int) -> Device:
    """A device registered (or refreshed its registration)."""
    now = timezone.now()
    with transaction.atomic():
        device, created = Device.objects.select_for_update().get_or_create(code=code)
        first = created or not device.registered
        device.host, device.port, device.transport = host, port, transport
        device.registered, device.expires, device.registered_at = True, expires, now
        device.keepalive_at, device.updated_at = now, now
        device.status = ONLINE
        device.save()
        if first:
            audit(None, "video.device.register", device, host=host, port=port)
    return device


def device_unregister(*, code: str) -> None:
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(code=code).first()
        if device is None:
            return
        device.registered, device.status, device.updated_at = False, OFFLINE, timezone.now()
        device.save(update_fields=["registered", "status", "updated_at"])
        Camera.objects.filter(device_code=code).update(status=OFFLINE)
        audit(None, "video.device.unregister", device)


def device_keepalive(*, code: str) -> tuple[bool, bool]:
    """(known: the device is registered, revived: it was offline and is online again)."""
    now = timezone.now()
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(code=code, registered=True).first()
        if device is None:
            return False, False
        revived = device.status != ONLINE
        previous = device.keepalive_at
        device.keepalive_at, device.status, device.updated_at = now, ONLINE, now
        device.save(update_fields=["keepalive_at", "status", "updated_at"])
        channels = Camera.objects.filter(device_code=code)
        if revived:
            channels.update(status=ONLINE, last_seen_at=now)
            audit(None, "video.device.online", device)
        elif previous is None or now - previous >= CHANNELS_SEEN_EVERY:
            channels.filter(status=ONLINE).update(last_seen_at=now)
    return True, revived


def keepalives_record(*, seen: Mapping[str, datetime], channels: Sequence[str] = ()) -> set[str]:
    """Write keepalives answered from memory (gb28181.keepalives): the devices' keepalive_at in
    one update per batch, at the earliest of their times (never later than a keepalive came),
    and the online channels' 最后在线 of the devices in `channels`. Only devices still online
    and registered are written; the others' codes are returned (swept meanwhile, e.g. by the
    scheduler): their keepalives are to go through `device_keepalive` one by one."""
    if not seen:
        return set()
    at = min(seen.values())
    codes = list(seen)
    lost: set[str] = set()
    with transaction.atomic():
        for start in range(0, len(codes), BATCH):
            batch = codes[start : start + BATCH]
            rows = Device.objects.filter(code__in=batch, registered=True, status=ONLINE)
            if rows.update(keepalive_at=at, updated_at=at) < len(batch):
                lost |= set(batch) - set(rows.values_list("code", flat=True))
        alive = [code for code in channels if code not in lost]
        for start in range(0, len(alive), BATCH):
            batch = alive[start : start + BATCH]
            Camera.objects.filter(device_code__in=batch, status=ONLINE).update(last_seen_at=at)
    return lost


def devices_sweep(*, interval: float, missed: int, now: datetime | None = None) -> list[str]:
    """Take offline the devices silent for `interval × missed` seconds, and those whose
    registration expired (they are to REGISTER again); their codes."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=interval * missed)
    silent = Q(keepalive_at__lt=limit) | Q(keepalive_at__isnull=True)
    with transaction.atomic():
        devices = list(Device.objects.select_for_update().filter(silent, status=ONLINE))
        expired = _expired(now, exclude={d.code for d in devices})
        codes = [d.code for d in (*devices, *expired)]
        Device.objects.filter(code__in=codes).update(status=OFFLINE, updated_at=now)
        Device.objects.filter(code__in=[d.code for d in expired]).update(registered=False)
        Camera.objects.filter(device_code__in=codes).update(status=OFFLINE)
        for device in devices:
            audit(None, "video.device.offline", device, keepalive_at=str(device.keepalive_at))
        for device in expired:
            audit(None, "video.device.expired", device, registered_at=str(device.registered_at))
    return codes


def _expired(now: datetime, *, exclude: set[str]) -> list[Device]:
    # Read as values (every registered device, each sweep), then lock only the expired ones.
    rows = Device.objects.filter(registered=True, expires__gt=0).exclude(registered_at=None)
    times = rows.values_list("code", "registered_at", "expires")
    codes = [c for c, at, expires in times if c not in exclude and _lapsed(at, expires, now)]
    if not codes:
        return []
    locked = Device.objects.select_for_update().filter(code__in=codes, registered=True)
    return [d for d in locked if _lapsed(d.registered_at, d.expires, now)]


def _lapsed(registered_at: datetime | None, expires: int, now: datetime) -> bool:
    if registered_at is None or expires <= 0:
        return False
    return registered_at + timedelta(seconds=expires) < now


@dataclass(frozen=True)
class CatalogResult:
    created: int
    updated: int
    skipped: int


def catalog_load(*, device_code: str, items: Sequence[CatalogItem]) -> CatalogResult:
    """Upsert a device's catalog into the register, in batches (3,892 channels in about a
    second on SQLite)."""
    channels = {i.device_id: i for i in items if _is_channel(i)}
    county = Organization.objects.filter(code=DIVISION, kind=Kind.CENTER).first()
    if county is None:
        log.warning("no county center %s: catalog of %s not loaded", DIVISION, device_code)
        return CatalogResult(0, 0, len(items))
    existing = Camera.objects.select_related("owner").in_bulk(list(channels), field_name="code")
    owners = _owners({i.civil_code for i in channels.values()}, county)
    now = timezone.now()
    before = {code: _substance(camera) for code, camera in existing.items()}
    new: list[Camera] = []
    for code, item in channels.items():
        camera = existing.get(code) or Camera(code=code, kind=CameraKind.HD_CAMERA, created_at=now)
        if camera.pk is None:
            camera.owner = owners.get(item.civil_code, county)
            new.append(camera)
        _fill(camera, item, device_code, now)
    place([*existing.values(), *new])
    # A device registering again sends the same catalog: only what changed is written (a
    # bulk update of every channel took 20 s for 3,892), then one update of the times.
    changed = [c for code, c in existing.items() if _substance(c) != before[code]]
    _write_catalog(device_code, len(items), new, changed, now)
    return CatalogResult(len(new), len(changed), len(items) - len(channels))


@transaction.atomic
def _write_catalog(
    device_code: str, items: int, new: list[Camera], changed: list[Camera], now: datetime
) -> None:
    """The new and changed cameras, the device's channels seen now, the audit row."""
    Camera.objects.bulk_create(new, batch_size=BATCH)
    Camera.objects.bulk_update(changed, CATALOG_FIELDS, batch_size=BATCH)
    Camera.objects.filter(device_code=device_code, status=ONLINE).update(last_seen_at=now)
    Device.objects.filter(code=device_code).update(channels=items, updated_at=now)
    device = Device.objects.filter(code=device_code).first()
    audit(None, "video.device.catalog", device, created=len(new), updated=len(changed))


def _is_channel(item: CatalogItem) -> bool:
    return valid_code(item.device_id) and item.device_id[10:13] in CHANNEL_TYPES


def _owners(civil_codes: set[str], county: Organization) -> dict[str, Organization]:
    centers = Organization.objects.filter(kind=Kind.CENTER, code__in=civil_codes - {""})
    return {o.code: o for o in centers if o.path.startswith(county.path)}


def _fill(camera: Camera, item: CatalogItem, device_code: str, now: datetime) -> None:
    camera.name = (item.name or item.device_id)[:100]
    camera.lat, camera.lng = _point(item)
    camera.status = ONLINE if item.online else OFFLINE
    camera.ptz = item.ptz_type in (1, 4)  # a dome or a remote-controlled bullet
    camera.device_code, camera.protocol = device_code, Protocol.GB28181
    camera.updated_at = now
    if item.online:
        camera.last_seen_at = now


def _point(item: CatalogItem) -> tuple[float | None, float | None]:
    lat, lng = item.latitude, item.longitude
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None, None
    if lat == 0 and lng == 0:  # devices without a position send 0, 0
        return None, None
    return lat, lng
