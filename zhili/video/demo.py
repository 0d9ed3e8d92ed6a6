"""`zhili demo` for the surveillance network: every channel the seed counts, spread over the
demo tree, 16 of them backed by a live simulated stream.

The seed (治安监控网): 新建高清视频3300个、高清智能卡口34个、电子警察系统13个、微卡口462个、
车载4G传输系统68套、高空瞭望系统15个: 3,892 channels. HD cameras and micro checkpoints
stand in the villages (a grid of the village, an NVR per village), smart checkpoints and
e-police at the township centres, vehicle cameras in their township, lookouts across the
county. The 16 live cameras pull rtsp://127.0.0.1:8554/cam01..cam16/main|sub (served by
`zhili camera_sims`, started beside the server); of the others most show one of those streams and say so (`shares_stream_of`), the
rest are offline. Two of the live ones (a village's camera and a lookout, both with PTZ) are
ONVIF cameras served by `zhili onvif_sims`: their streams are found through ONVIF when first
opened, and their PTZ buttons drive the simulator. Deterministic (seeded), idempotent
(existing codes are kept), bulk written.
"""

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TextIO

import shapely
from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.demo import progress_line
from zhili.orgs.demo.data import COUNTY
from zhili.orgs.models import Grid, Kind, Level, Organization
from zhili.video.models import DIVISION, Camera, CameraGroup, CameraKind, CameraStatus, Protocol
from zhili.video.services import camera_grant, camera_group_create, place

SEED = 28181
K = CameraKind
COUNTS = {
    K.HD_CAMERA: 3300,
    K.SMART_CHECKPOINT: 34,
    K.E_POLICE: 13,
    K.MICRO_CHECKPOINT: 462,
    K.VEHICLE_4G: 68,
    K.LOOKOUT: 15,
}
# GB/T 28181 id: centre (8: division + unit) · industry (2) · type (3) · network (1) · serial (6)
INDUSTRY = {
    K.HD_CAMERA: "00",
    K.LOOKOUT: "00",
    K.VEHICLE_4G: "03",
    K.E_POLICE: "04",
    K.SMART_CHECKPOINT: "05",
    K.MICRO_CHECKPOINT: "05",
}
CHANNEL, IPC, NVR = "131", "132", "118"
NETWORK = "5"  # 公安信息网: the seed's cameras reach the centers through the police network
LIVE = 16
STREAM = "rtsp://127.0.0.1:8554/cam{:02d}/{}"  # main or sub (zhili/video/sim/rtsp.py)
# The live cameras (by number) that are ONVIF cameras (zhili/video/sim/onvif.py): the persona
# village's third and the first lookout. Their device services on ports 8899, 8900.
ONVIF_LIVE = (3, 9)
ONVIF_PORT = 8899
ONVIF_USERNAME = "admin"
ONVIF_PASSWORD = "zhili-demo-onvif"  # noqa: S105 - the demo's simulated cameras' own login
OFFLINE_SHARE = 0.15
PERSONA_TOWNSHIP, PERSONA_VILLAGE = f"{COUNTY}003", f"{COUNTY}003001"

PLACES = [
    "村委会门口", "主干道路口", "文化广场", "小学门口", "幼儿园门口", "卫生室", "桥头",
    "农贸市场", "党群服务中心", "健身广场", "水塘边", "村东路口", "村西路口", "快递点",
    "便民超市", "河堤", "停车场",
]  # fmt: skip
ROADS = ["G310国道", "S236省道", "S245省道", "X301县道", "X305县道", "镇中心大道", "环镇路"]


# The county's business groups (业务分组): the places in a camera's name that put it in one.
GROUPS = [
    ("学校周边", "中小学、幼儿园门口", ("小学门口", "幼儿园门口")),
    ("重点路口", "主干道与进出村路口、电子警察、智能卡口", ("主干道路口", "村东路口", "村西路口", "电子警察", "智能卡口")),
    ("集贸市场", "农贸市场及便民超市", ("农贸市场", "便民超市")),
    ("河道水域", "河堤、桥头、水塘边，防溺水巡查", ("河堤", "桥头", "水塘边")),
]  # fmt: skip
PERSONA_GROUP_SIZE = 12


@dataclass
class Area:
    """A village or township of the demo tree with the polygons of its grids."""

    org: Organization
    unit: int  # the township's number: the id's unit digits
    grids: list[shapely.Geometry]


def _areas() -> tuple[list[Area], list[Area], Organization]:
    """The demo's villages and townships (in tree order) with their grids, and the county."""
    county = Organization.objects.get(code=COUNTY)
    centers = Organization.objects.filter(kind=Kind.CENTER, path__under=county.path)
    townships = list(centers.filter(level=Level.TOWNSHIP).order_by("path"))
    unit = {t.pk: n for n, t in enumerate(townships, start=1)}
    polygons: dict[int, list[shapely.Geometry]] = {}
    grids = Grid.objects.filter(village__path__under=county.path).order_by("code")
    for village_id, geometry in grids.values_list("village_id", "geometry"):
        polygons.setdefault(village_id, []).append(shapely.geometry.shape(geometry))
    villages = [
        Area(v, unit[v.parent_id], polygons[v.pk])
        for v in centers.filter(level=Level.VILLAGE).select_related("parent").order_by("path")
        if v.pk in polygons and v.parent_id in unit
    ]
    by_township = [
        Area(t, unit[t.pk], [g for v in villages if v.org.parent_id == t.pk for g in v.grids])
        for t in townships
    ]
    return villages, [t for t in by_township if t.grids], county


def _point_in(rng: random.Random, polygon: shapely.Geometry) -> tuple[float, float]:
    """A random (lat, lng) inside `polygon`, to the sixth decimal (about 0.1 m)."""
    minx, miny, maxx, maxy = polygon.bounds
    while True:
        x, y = round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6)
        if shapely.contains_xy(polygon, x, y):
            return y, x


def _central_grid(area: Area) -> shapely.Geometry:
    """The grid nearest the middle of the township: where its checkpoints stand."""
    middle = shapely.unary_union(area.grids).centroid
    return min(area.grids, key=lambda g: g.distance(middle))


class _Maker:
    """Numbers and places the cameras, in a fixed order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.serial, self.cameras = rng, 0, list[Camera]()

    def add(
        self, kind: CameraKind, owner: Organization, unit: int, polygon: shapely.Geometry, name: str,
        device: str = "",
    ) -> None:  # fmt: skip
        self.serial += 1
        code = f"{DIVISION}{unit:02d}{INDUSTRY[kind]}{CHANNEL if device else IPC}{NETWORK}"
        code += f"{self.serial:06d}"
        lat, lng = _point_in(self.rng, polygon)
        ptz = kind == K.LOOKOUT or (kind == K.HD_CAMERA and self.rng.random() < 0.2)
        camera = Camera(code=code, name=name, kind=kind, owner=owner, lat=lat, lng=lng, ptz=ptz)
        camera.device_code, camera.is_demo = device or code, True
        self.cameras.append(camera)


def _village_cameras(maker: _Maker, villages: list[Area]) -> None:
    """HD cameras (one in seven owned by the township) and micro checkpoints, round the
    villages, each a channel of its village's NVR."""
    rng = maker.rng
    for kind in (K.HD_CAMERA, K.MICRO_CHECKPOINT):
        for i in range(COUNTS[kind]):
            index = i % len(villages)
            area = villages[index]
            owner = area.org.parent if kind == K.HD_CAMERA and i % 7 == 6 else area.org
            nvr = f"{DIVISION}{area.unit:02d}00{NVR}{NETWORK}{index + 1:06d}"
            if kind == K.HD_CAMERA:
                name = f"{area.org.area_name}{rng.choice(PLACES)}"
            else:
                name = f"{area.org.area_name}{rng.choice('东西南北')}入口微卡口"
            assert owner is not None
            maker.add(kind, owner, area.unit, rng.choice(area.grids), name, nvr)


def _township_cameras(maker: _Maker, townships: list[Area]) -> None:
    """Checkpoints and e-police at the township centres; vehicle cameras in the township."""
    rng = maker.rng
    for kind, suffix in ((K.SMART_CHECKPOINT, "智能卡口"), (K.E_POLICE, "路口电子警察")):
        for i in range(COUNTS[kind]):
            area = townships[i % len(townships)]
            name = f"{area.org.area_name}{rng.choice(ROADS)}{suffix}"
            maker.add(kind, area.org, area.unit, _central_grid(area), name)
    for i in range(COUNTS[K.VEHICLE_4G]):
        area = townships[i % len(townships)]
        name = f"{area.org.area_name}巡逻车{i // len(townships) + 1}号车载4G"
        maker.add(K.VEHICLE_4G, area.org, area.unit, rng.choice(area.grids), name)


def _lookouts(maker: _Maker, villages: list[Area], county: Organization) -> None:
    for i, area in enumerate(maker.rng.sample(villages, COUNTS[K.LOOKOUT]), start=1):
        name = f"高空瞭望{i}号（{area.org.area_name}）"
        maker.add(K.LOOKOUT, county, 0, maker.rng.choice(area.grids), name)


def _live_first(cameras: list[Camera], rng: random.Random) -> Iterator[Camera]:
    """The cameras to back with a live stream, best first: the persona village's and
    township's (what the demo logins open), one of each other kind, then any HD camera."""
    village = [c for c in cameras if c.owner.code == PERSONA_VILLAGE]
    township = [c for c in cameras if c.owner.code == PERSONA_TOWNSHIP]
    yield from [c for c in village if c.kind == K.HD_CAMERA][:3]
    yield from [c for c in village if c.kind == K.MICRO_CHECKPOINT][:1]
    yield from [c for c in township if c.kind in (K.HD_CAMERA, K.SMART_CHECKPOINT)][:2]
    for kind in (K.E_POLICE, K.VEHICLE_4G, K.LOOKOUT):
        yield next(c for c in cameras if c.kind == kind)
    yield from rng.sample([c for c in cameras if c.kind == K.HD_CAMERA], LIVE * 2)


def _streams(cameras: list[Camera], rng: random.Random) -> list[Camera]:
    """Mark 16 cameras live, the others sharing one of them or offline; the live ones."""
    live: list[Camera] = []
    for camera in _live_first(cameras, rng):
        if camera not in live and len(live) < LIVE:
            live.append(camera)
    now = timezone.now()
    onvif = {n: port for port, n in onvif_devices().items()}
    for n, camera in enumerate(live, start=1):
        camera.status, camera.last_seen_at = CameraStatus.ONLINE, now
        if n in onvif:  # its streams come from the camera when it is first opened
            camera.protocol, camera.ptz = Protocol.ONVIF, True
            camera.onvif_url = f"http://127.0.0.1:{onvif[n]}/onvif/device_service"
            camera.stream_username, camera.stream_password = ONVIF_USERNAME, ONVIF_PASSWORD
            continue
        camera.protocol = Protocol.RTSP
        camera.main_stream, camera.sub_stream = STREAM.format(n, "main"), STREAM.format(n, "sub")
    for camera in cameras:
        if camera in live:
            continue
        if rng.random() < OFFLINE_SHARE:
            camera.status = CameraStatus.OFFLINE
            camera.last_seen_at = now - timedelta(hours=rng.uniform(1, 30 * 24))
        else:
            camera.status, camera.last_seen_at = CameraStatus.ONLINE, now
            camera.shares_stream_of = rng.choice(live)
    return live


def onvif_devices(port: int = ONVIF_PORT) -> dict[int, int]:
    """The simulated ONVIF cameras `zhili onvif_sims` runs: {port: live camera number}."""
    return {port + i: n for i, n in enumerate(ONVIF_LIVE)}


def _write(cameras: list[Camera], live: list[Camera]) -> int:
    """Bulk-create the cameras not there yet (the live ones first, so that the others can
    name them); the number created."""
    existing = dict(Camera.objects.values_list("code", "pk"))
    for camera in live:
        camera.pk = existing.get(camera.code)
    Camera.objects.bulk_create([c for c in live if c.pk is None])
    rest = [c for c in cameras if c not in live and c.code not in existing]
    for camera in rest:
        if camera.shares_stream_of is not None:
            camera.shares_stream_of_id = camera.shares_stream_of.pk
    Camera.objects.bulk_create(rest, batch_size=500)
    return len([c for c in live if c.code not in existing]) + len(rest)


def _grants(county: Organization) -> int:
    """公安局 sees the whole county; each 派出所 its township."""
    police = Organization.objects.filter(code=f"{COUNTY}-GAJ").first()
    if police is None:
        return 0
    camera_grant(actor=None, organization=police, area=county, note="公安局：全县")
    stations = Organization.objects.filter(parent=police, code__startswith=f"{COUNTY}-GAJ-")
    townships = {t.code: t for t in Organization.objects.filter(parent=county)}
    for station in stations:
        area = townships.get(station.code.removeprefix(f"{COUNTY}-GAJ-"))
        if area is not None:
            camera_grant(actor=None, organization=station, area=area, note="派出所：本乡镇")
    return 1 + stations.count()


def _groups(county: Organization) -> int:
    """The county's business groups by the places in the cameras' names, and one group each
    for the persona township and village (what their logins see); the number created."""
    names = list(Camera.objects.filter(is_demo=True).values_list("code", "name", "owner__code"))
    wanted: list[tuple[Organization, str, str, list[str]]] = [
        (county, name, note, [c for c, n, _o in names if any(w in n for w in words)])
        for name, note, words in GROUPS
    ]
    for code, name in ((PERSONA_TOWNSHIP, "镇区重点部位"), (PERSONA_VILLAGE, "村内重点部位")):
        owner = Organization.objects.filter(code=code).first()
        if owner is not None:
            own = [c for c, _n, o in names if o == code][:PERSONA_GROUP_SIZE]
            wanted.append((owner, name, f"{owner.display_area}值班轮巡", own))
    made = 0
    for owner, name, note, codes in wanted:
        if not CameraGroup.objects.filter(owner=owner, name=name).exists():
            camera_group_create(
                actor=None, owner=owner, name=name, description=note, cameras=codes, is_demo=True
            )
            made += 1
    return made


def load(*, stdout: TextIO) -> dict[str, object]:
    """Write the demo cameras and grants; running it again creates nothing."""
    started, rng = time.monotonic(), random.Random(SEED)
    villages, townships, county = _areas()
    maker = _Maker(rng)
    _village_cameras(maker, villages)
    _township_cameras(maker, townships)
    _lookouts(maker, villages, county)
    live = _streams(maker.cameras, rng)
    place(maker.cameras)
    progress_line(stdout, f"[1/2] 监控点位（生成）{len(maker.cameras)}", started)
    with transaction.atomic():
        created = _write(maker.cameras, live)
        grants = _grants(county)
        groups = _groups(county)
        audit(None, "video.demo.load", None, created=created)
    progress_line(
        stdout,
        f"[2/2] 监控点位 {len(maker.cameras)}（新建 {created}），查看授权 {grants}，"
        f"业务分组 {groups}",
        started,
    )
    return {"created": created, "total": len(maker.cameras)}
