"""ONVIF cameras (issue 14, part 6): their streams found through the camera's device service,
and their PTZ driven through it. The live pull itself is the RTSP path of `live.py`.

The client is onvif-zeep-async (asyncio): each call here runs one short session with the
camera under `asyncio.run` and a deadline (`TIMEOUT`), so the web process's sync views and
the admin call it like any service. The camera's credentials (`stream_username`,
`stream_password`) sign every request with a WS-Security UsernameToken (PasswordDigest) and
are never part of a message or an audit row. Whatever goes wrong with the camera is a 409
with a code, never a 500:

- `onvif_not_configured`: the camera has no device service address;
- `camera_unreachable`: no answer (refused, no route, timeout);
- `onvif_auth_failed`: the camera refused the login (fault ter:NotAuthorized, or HTTP 401);
- `onvif_fault`: any other refusal or an answer that is not what ONVIF says;
- `onvif_no_profiles`: no media profile with a video encoder.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp
from django.db import transaction
from django.utils import timezone
from onvif import ONVIFCamera
from onvif.exceptions import ONVIFError
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError

from zhili.core.audit import audit
from zhili.core.errors import Conflict
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor, SystemActor
from zhili.video.models import Camera, CameraStatus, Protocol
from zhili.video.services import split_credentials

log = logging.getLogger(__name__)

TIMEOUT = 10.0  # seconds for one whole session with a camera (the first also loads the WSDLs)
PTZ_NAMESPACE = "http://www.onvif.org/ver20/ptz/wsdl"
STREAM_SETUP = {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}}
AUTH_FAILED = "ONVIF 认证失败：摄像机不接受所存的取流用户名和密码"

T = TypeVar("T")


# --- the session with one camera ------------------------------------------------------------


class _Device(ONVIFCamera):
    """An ONVIF camera at its device service address, whatever its path (the library would
    assume /onvif/device_service on the host and port)."""

    def __init__(self, address: str, username: str, password: str) -> None:
        parts = urlsplit(address)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        super().__init__(
            f"{parts.scheme}://{parts.hostname}",
            port,
            username or None,
            password or None,
            no_cache=True,  # the WSDLs are the package's files; no SQLite cache in $HOME
            adjust_time=True,  # sign with the camera's clock: many are not on NTP
        )
        self.address = address

    def get_definition(self, name: str, port_type: str | None = None) -> tuple[str, str, str]:
        xaddr, wsdl, binding = super().get_definition(name, port_type)
        return (self.address if name == "devicemgmt" else xaddr), wsdl, binding


def _session(camera: Camera, work: Callable[[_Device], Awaitable[T]]) -> T:
    """Run `work` with the camera, within `TIMEOUT`; failures as 409s with their code."""
    if not camera.onvif_url:
        raise Conflict("未填写该点位的 ONVIF 设备服务地址", code="onvif_not_configured")

    async def run() -> T:
        device = _Device(camera.onvif_url, camera.stream_username, camera.stream_password)
        try:
            async with asyncio.timeout(TIMEOUT):
                await device.update_xaddrs()
                return await work(device)
        finally:
            await device.close()

    try:
        return _run(run)
    except Conflict:
        raise
    except Exception as exc:  # the camera's failures, whatever the layer (see the docstring)
        raise _refusal(camera, exc) from exc


def _run(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """`asyncio.run(main())`; from a thread that runs a loop already (an async caller, a test
    driving a browser), in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _refusal(camera: Camera, exc: Exception) -> Conflict:
    parts = urlsplit(camera.onvif_url)
    where = parts.netloc.rpartition("@")[2]
    for cause in _causes(exc):
        if isinstance(cause, Fault):
            subcodes = [getattr(q, "localname", str(q)) for q in (cause.subcodes or [])]
            if "NotAuthorized" in subcodes:
                return Conflict(AUTH_FAILED, code="onvif_auth_failed")
            return Conflict(f"摄像机的 ONVIF 服务返回错误：{cause.message}", code="onvif_fault")
        if isinstance(cause, TransportError) and cause.status_code == 401:
            return Conflict(AUTH_FAILED, code="onvif_auth_failed")
        if isinstance(cause, TimeoutError | aiohttp.ClientError | OSError):
            reason = "超时未响应" if isinstance(cause, TimeoutError) else "连接失败"
            return Conflict(
                f"ONVIF 设备服务 {where} {reason}，请检查网络和设备服务地址",
                code="camera_unreachable",
            )
    if not isinstance(exc, ONVIFError | ZeepError):
        log.warning("ONVIF camera %s: unexpected failure", camera.code, exc_info=exc)
    return Conflict(
        f"摄像机的 ONVIF 服务应答有误（{type(exc).__name__}），请检查设备服务地址",
        code="onvif_fault",
    )


def _get(value: Any, *path: str) -> Any:
    """`value.a.b…`, None where a step is missing (cameras leave out optional elements)."""
    for name in path:
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


# --- stream discovery -------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    token: str
    name: str
    width: int
    height: int
    ptz: bool  # has a PTZ configuration

    @property
    def resolution(self) -> str:
        return f"{self.width}×{self.height}"


@dataclass(frozen=True)
class Found:
    """What the camera told: its profiles (largest first), the stream URI of the main (the
    largest) and of the sub (the smallest) profile, and whether it has PTZ."""

    profiles: list[Profile]
    main_uri: str
    sub_uri: str
    ptz: bool


def _profiles(answer: Any) -> list[Profile]:
    found = []
    for item in answer or []:
        width = _get(item, "VideoEncoderConfiguration", "Resolution", "Width")
        height = _get(item, "VideoEncoderConfiguration", "Resolution", "Height")
        if not width or not height or not getattr(item, "token", None):
            continue
        ptz = _get(item, "PTZConfiguration") is not None
        found.append(Profile(item.token, item.Name or item.token, int(width), int(height), ptz))
    return sorted(found, key=lambda p: p.width * p.height, reverse=True)


async def _find(device: _Device) -> Found:
    media = await device.create_media_service()
    profiles = _profiles(await media.GetProfiles())
    if not profiles:
        raise Conflict("摄像机没有带视频编码的媒体配置（Profile）", code="onvif_no_profiles")
    main, sub = profiles[0], profiles[-1]
    uris = []
    for profile in (main, sub) if sub != main else (main,):
        answer = await media.GetStreamUri(
            {"StreamSetup": STREAM_SETUP, "ProfileToken": profile.token}
        )
        uris.append(str(_get(answer, "Uri") or ""))
    ptz = PTZ_NAMESPACE in device.xaddrs and any(p.ptz for p in profiles)
    return Found(profiles, uris[0], uris[-1] if len(uris) > 1 else "", ptz)


def discover_streams(*, actor: Actor, camera: Camera) -> Found:
    """Fill `camera`'s main and sub stream and its PTZ capability from its ONVIF profiles (the
    admin's action 从 ONVIF 获取码流, which keepers of the register may take); audited."""
    require(actor, Action.CAMERAS_MANAGE)
    return discover(actor=actor, camera=camera)


def discover(*, actor: SystemActor, camera: Camera, reason: str = "admin") -> Found:
    """`discover_streams` without the permission check: the live view calls it for a viewer
    opening an ONVIF camera that has no stream yet (`reason="live"`)."""
    found = _session(camera, _find)
    main, main_user, main_password = split_credentials(found.main_uri, field="main_stream")
    sub, _user, _password = split_credentials(found.sub_uri, field="sub_stream")
    if not main:
        raise Conflict("摄像机没有给出主码流地址（GetStreamUri）", code="onvif_fault")
    camera.main_stream, camera.sub_stream, camera.ptz = main, sub, found.ptz
    camera.stream_username = camera.stream_username or main_user
    camera.stream_password = camera.stream_password or main_password
    camera.status, camera.last_seen_at = CameraStatus.ONLINE, timezone.now()
    camera.updated_at = camera.last_seen_at
    with transaction.atomic():
        camera.save(
            update_fields=[
                "main_stream", "sub_stream", "ptz", "stream_username", "stream_password",
                "status", "last_seen_at", "updated_at",
            ]
        )  # fmt: skip
        audit(
            actor,
            "video.camera.discover",
            camera,
            reason=reason,
            profiles=[f"{p.name} {p.resolution}" for p in found.profiles],
            ptz=found.ptz,
        )
    return found


# --- PTZ --------------------------------------------------------------------------------------

# (pan, tilt, zoom) directions of each command, scaled by the speed in ContinuousMove.
DIRECTIONS = {
    "left": (-1, 0, 0),
    "right": (1, 0, 0),
    "up": (0, 1, 0),
    "down": (0, -1, 0),
    "zoom_in": (0, 0, 1),
    "zoom_out": (0, 0, -1),
}


def velocity(command: str, speed: int) -> dict[str, dict[str, float]]:
    """The ContinuousMove velocity of `command` at `speed` (1-255, as the API takes it, onto
    the generic velocity space's 0..1)."""
    scale = round(speed / 255, 3)
    pan, tilt, zoom = DIRECTIONS[command]
    if zoom:
        return {"Zoom": {"x": zoom * scale}}
    return {"PanTilt": {"x": pan * scale, "y": tilt * scale}}


async def _ptz_profile(device: _Device) -> tuple[Any, str]:
    """The PTZ service and the token of the profile to drive (the largest with PTZ)."""
    if PTZ_NAMESPACE not in device.xaddrs:
        raise Conflict("该摄像机的 ONVIF 服务没有云台（PTZ）", code="ptz_unsupported")
    media = await device.create_media_service()
    profile = next((p for p in _profiles(await media.GetProfiles()) if p.ptz), None)
    if profile is None:
        raise Conflict("该摄像机的媒体配置没有云台（PTZ）", code="ptz_unsupported")
    return await device.create_ptz_service(), profile.token


def ptz(camera: Camera, command: str, speed: int) -> None:
    """Move `camera` by ContinuousMove until `stop` (Stop of pan, tilt and zoom). The caller
    (`live.camera_ptz`) checks the command, the speed and who asks, and audits."""

    async def move(device: _Device) -> None:
        service, token = await _ptz_profile(device)
        if command == "stop":
            await service.Stop({"ProfileToken": token, "PanTilt": True, "Zoom": True})
        else:
            await service.ContinuousMove(
                {"ProfileToken": token, "Velocity": velocity(command, speed)}
            )

    _session(camera, move)


@dataclass(frozen=True)
class PtzStatus:
    pan: float
    tilt: float
    zoom: float
    moving: bool


def ptz_status(camera: Camera) -> PtzStatus:
    """Where the camera's head points (GetStatus, generic spaces) and whether it moves."""

    async def status(device: _Device) -> PtzStatus:
        service, token = await _ptz_profile(device)
        answer = await service.GetStatus({"ProfileToken": token})
        moves = (_get(answer, "MoveStatus", "PanTilt"), _get(answer, "MoveStatus", "Zoom"))
        return PtzStatus(
            pan=float(_get(answer, "Position", "PanTilt", "x") or 0.0),
            tilt=float(_get(answer, "Position", "PanTilt", "y") or 0.0),
            zoom=float(_get(answer, "Position", "Zoom", "x") or 0.0),
            moving="MOVING" in moves,
        )

    return _session(camera, status)


def is_onvif(camera: Camera) -> bool:
    return camera.protocol == Protocol.ONVIF
