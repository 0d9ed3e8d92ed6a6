"""Simulated ONVIF cameras: `python -m zhili.video.sim.onvif --device 8899:3 --device 8900:9`.

Each `--device PORT:N` is one camera on its own HTTP port, as a real IPC is one device per
address. It answers SOAP 1.2 on three services:

- `/onvif/device_service`: GetSystemDateAndTime (no login needed, so that a client can learn
  the device's clock first), GetDeviceInformation, GetCapabilities, GetServices;
- `/onvif/media_service`: GetProfiles (a main profile at 640×360 and a sub profile at 320×180,
  each with the PTZ configuration) and GetStreamUri, which names the RTSP simulator's
  `rtsp://HOST:PORT/camNN/main|sub` (zhili/video/sim/rtsp.py);
- `/onvif/ptz_service`: ContinuousMove (a velocity that moves the position until Stop, or
  until its Timeout), Stop and GetStatus (the position where the velocity has taken it).

Every other request needs a WS-Security UsernameToken: PasswordDigest, i.e.
Base64(SHA-1(nonce + created + password)), or PasswordText; a created time more than five
minutes off, a nonce seen before or a wrong password gets the fault env:Sender /
ter:NotAuthorized. Standard library only: it runs on any Python (the platform's virtualenv).
"""

import argparse
import base64
import hashlib
import hmac
import re
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
WSS_PROFILE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
TDS = "http://www.onvif.org/ver10/device/wsdl"
TRT = "http://www.onvif.org/ver10/media/wsdl"
TPTZ = "http://www.onvif.org/ver20/ptz/wsdl"
TT = "http://www.onvif.org/ver10/schema"
TER = "http://www.onvif.org/ver10/error"

PATHS = {"/onvif/device_service": TDS, "/onvif/media_service": TRT, "/onvif/ptz_service": TPTZ}
PRE_AUTH = {"GetSystemDateAndTime"}  # what a client asks before it can sign (clock skew)
CLOCK_SKEW = 300  # seconds a token's Created may be off the device's clock

# Profiles as the RTSP simulator serves them: (token, name, stream path, width, height, kbit/s)
PROFILES = (
    ("Profile_1", "mainStream", "main", 640, 360, 800),
    ("Profile_2", "subStream", "sub", 320, 180, 300),
)
FPS = 15
# The generic spaces: pan and tilt -1..1 (pan wraps round), zoom 0..1; velocities -1..1.
PAN_PER_SECOND = 0.5  # at velocity 1: a full turn (2.0) in 4 s
TILT_PER_SECOND = 0.5
ZOOM_PER_SECOND = 0.25
SPACES = "http://www.onvif.org/ver10/tptz"
POSITION_SPACE = f"{SPACES}/PanTiltSpaces/PositionGenericSpace"
ZOOM_POSITION_SPACE = f"{SPACES}/ZoomSpaces/PositionGenericSpace"
VELOCITY_SPACE = f"{SPACES}/PanTiltSpaces/VelocityGenericSpace"
ZOOM_VELOCITY_SPACE = f"{SPACES}/ZoomSpaces/VelocityGenericSpace"


class SoapFault(Exception):
    """Answered as a SOAP 1.2 fault: `code` Sender or Receiver, `subcodes` in the ONVIF
    error namespace (ter:)."""

    def __init__(self, code: str, subcodes: tuple[str, ...], reason: str):
        super().__init__(reason)
        self.code, self.subcodes, self.reason = code, subcodes, reason


def not_authorized(reason: str = "Sender not Authorized") -> SoapFault:
    return SoapFault("Sender", ("NotAuthorized",), reason)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _wrap(value: float) -> float:
    """A pan position back into -1..1 (a full turn is 2.0)."""
    return (value + 1.0) % 2.0 - 1.0


@dataclass
class Motion:
    """The PTZ head: where it was when the velocity last changed, the velocity, and until
    when it holds (a ContinuousMove's Timeout)."""

    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0
    velocity: tuple[float, float, float] = (0.0, 0.0, 0.0)
    since: float = field(default_factory=time.monotonic)
    until: float | None = None

    def position(self, now: float) -> tuple[float, float, float]:
        end = now if self.until is None else min(now, self.until)
        elapsed = max(0.0, end - self.since)
        vp, vt, vz = self.velocity
        return (
            _wrap(self.pan + vp * PAN_PER_SECOND * elapsed),
            _clamp(self.tilt + vt * TILT_PER_SECOND * elapsed, -1.0, 1.0),
            _clamp(self.zoom + vz * ZOOM_PER_SECOND * elapsed, 0.0, 1.0),
        )

    def moving(self, now: float) -> tuple[bool, bool]:
        running = self.until is None or now < self.until
        vp, vt, vz = self.velocity
        return running and (vp != 0 or vt != 0), running and vz != 0

    def set_velocity(
        self, velocity: tuple[float, float, float], timeout: float | None, now: float
    ) -> None:
        self.pan, self.tilt, self.zoom = self.position(now)
        self.velocity, self.since = velocity, now
        self.until = now + timeout if timeout else None


# A profile's parts (GetProfiles): the one video source, its encoder, the PTZ configuration.
VIDEO_SOURCE = (
    '<tt:VideoSourceConfiguration token="VideoSourceConfig_1">'
    "<tt:Name>VideoSource_1</tt:Name><tt:UseCount>2</tt:UseCount>"
    "<tt:SourceToken>VideoSource_1</tt:SourceToken>"
    '<tt:Bounds x="0" y="0" width="640" height="360"/></tt:VideoSourceConfiguration>'
)
PTZ_CONFIGURATION = (
    '<tt:PTZConfiguration token="PTZConfig_1"><tt:Name>PTZ_1</tt:Name>'
    "<tt:UseCount>2</tt:UseCount><tt:NodeToken>PTZNode_1</tt:NodeToken>"
    f"<tt:DefaultAbsolutePantTiltPositionSpace>{POSITION_SPACE}"
    "</tt:DefaultAbsolutePantTiltPositionSpace>"
    f"<tt:DefaultAbsoluteZoomPositionSpace>{ZOOM_POSITION_SPACE}"
    "</tt:DefaultAbsoluteZoomPositionSpace>"
    f"<tt:DefaultContinuousPanTiltVelocitySpace>{VELOCITY_SPACE}"
    "</tt:DefaultContinuousPanTiltVelocitySpace>"
    f"<tt:DefaultContinuousZoomVelocitySpace>{ZOOM_VELOCITY_SPACE}"
    "</tt:DefaultContinuousZoomVelocitySpace>"
    "<tt:DefaultPTZTimeout>PT10S</tt:DefaultPTZTimeout>"
    "</tt:PTZConfiguration>"
)


def _encoder(name: str, path: str, width: int, height: int, bitrate: int) -> str:
    """The H.264 encoder of the profile streaming at `path`."""
    return (
        f'<tt:VideoEncoderConfiguration token="VideoEncoder_{path}">'
        f"<tt:Name>{name}</tt:Name><tt:UseCount>1</tt:UseCount>"
        "<tt:Encoding>H264</tt:Encoding>"
        f"<tt:Resolution><tt:Width>{width}</tt:Width><tt:Height>{height}</tt:Height>"
        "</tt:Resolution><tt:Quality>4</tt:Quality>"
        f"<tt:RateControl><tt:FrameRateLimit>{FPS}</tt:FrameRateLimit>"
        "<tt:EncodingInterval>1</tt:EncodingInterval>"
        f"<tt:BitrateLimit>{bitrate}</tt:BitrateLimit></tt:RateControl>"
        f"<tt:H264><tt:GovLength>{FPS}</tt:GovLength><tt:H264Profile>Baseline</tt:H264Profile>"
        "</tt:H264><tt:SessionTimeout>PT60S</tt:SessionTimeout>"
        "</tt:VideoEncoderConfiguration>"
    )


@dataclass
class Device:
    """One simulated camera: its number N (its RTSP paths /camNN/...) and its login."""

    number: int
    username: str
    password: str
    rtsp: str  # rtsp://host:port of the RTSP simulator
    motion: Motion = field(default_factory=Motion)
    lock: threading.Lock = field(default_factory=threading.Lock)
    nonces: deque[str] = field(default_factory=lambda: deque(maxlen=1000))

    # --- WS-Security --------------------------------------------------------------------------

    def check_login(self, header: ET.Element | None) -> None:
        token = (
            None if header is None else header.find(f"{{{WSSE}}}Security/{{{WSSE}}}UsernameToken")
        )
        if token is None:
            raise not_authorized("A UsernameToken is required")
        username = token.findtext(f"{{{WSSE}}}Username", "")
        password = token.find(f"{{{WSSE}}}Password")
        if password is None:
            raise not_authorized()
        given = (password.text or "").strip()
        kind = password.get("Type", f"{WSS_PROFILE}#PasswordText")
        expected = self._digest(token) if kind.endswith("#PasswordDigest") else self.password
        user_ok = hmac.compare_digest(username.encode(), self.username.encode())
        if not (hmac.compare_digest(given.encode(), expected.encode()) and user_ok):
            raise not_authorized()

    def _digest(self, token: ET.Element) -> str:
        nonce_text = (token.findtext(f"{{{WSSE}}}Nonce") or "").strip()
        created = (token.findtext(f"{{{WSU}}}Created") or "").strip()
        try:
            nonce = base64.b64decode(nonce_text, validate=True)
            when = datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError as exc:
            raise not_authorized("Malformed Nonce or Created") from exc
        if when.tzinfo is None or abs((datetime.now(UTC) - when).total_seconds()) > CLOCK_SKEW:
            raise not_authorized("Created is too far from the device's clock")
        with self.lock:
            if nonce_text in self.nonces:
                raise not_authorized("Nonce already used")
            self.nonces.append(nonce_text)
        digest = hashlib.sha1(nonce + created.encode() + self.password.encode()).digest()  # noqa: S324 - WS-Security's PasswordDigest is SHA-1 by definition
        return base64.b64encode(digest).decode()

    # --- the operations -----------------------------------------------------------------------

    def GetSystemDateAndTime(self, body: ET.Element, base: str) -> str:
        now = datetime.now(UTC)
        return (
            "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
            "<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
            "<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>"
            f"<tt:UTCDateTime><tt:Time><tt:Hour>{now.hour}</tt:Hour><tt:Minute>{now.minute}"
            f"</tt:Minute><tt:Second>{now.second}</tt:Second></tt:Time><tt:Date><tt:Year>"
            f"{now.year}</tt:Year><tt:Month>{now.month}</tt:Month><tt:Day>{now.day}</tt:Day>"
            "</tt:Date></tt:UTCDateTime>"
            "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
        )

    def GetDeviceInformation(self, body: ET.Element, base: str) -> str:
        return (
            "<tds:GetDeviceInformationResponse><tds:Manufacturer>Zhili</tds:Manufacturer>"
            "<tds:Model>SIM-IPC-PTZ</tds:Model><tds:FirmwareVersion>1.0</tds:FirmwareVersion>"
            f"<tds:SerialNumber>SIM{self.number:04d}</tds:SerialNumber>"
            "<tds:HardwareId>zhili-onvif-sim</tds:HardwareId></tds:GetDeviceInformationResponse>"
        )

    def GetCapabilities(self, body: ET.Element, base: str) -> str:
        wanted = {c.text for c in body.findall(f"{{{TDS}}}Category")} or {"All"}
        parts = []
        if wanted & {"All", "Device"}:
            parts.append(f"<tt:Device><tt:XAddr>{base}/onvif/device_service</tt:XAddr></tt:Device>")
        if wanted & {"All", "Media"}:
            parts.append(
                f"<tt:Media><tt:XAddr>{base}/onvif/media_service</tt:XAddr>"
                "<tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast>"
                "<tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>"
                "</tt:StreamingCapabilities></tt:Media>"
            )
        if wanted & {"All", "PTZ"}:
            parts.append(f"<tt:PTZ><tt:XAddr>{base}/onvif/ptz_service</tt:XAddr></tt:PTZ>")
        if not parts:
            raise SoapFault("Receiver", ("ActionNotSupported", "NoSuchService"), "No such category")
        return (
            f"<tds:GetCapabilitiesResponse><tds:Capabilities>{''.join(parts)}"
            "</tds:Capabilities></tds:GetCapabilitiesResponse>"
        )

    def GetServices(self, body: ET.Element, base: str) -> str:
        services = "".join(
            f"<tds:Service><tds:Namespace>{namespace}</tds:Namespace>"
            f"<tds:XAddr>{base}{path}</tds:XAddr>"
            f"<tds:Version><tt:Major>{major}</tt:Major><tt:Minor>{minor}</tt:Minor></tds:Version>"
            "</tds:Service>"
            for path, namespace, major, minor in (
                ("/onvif/device_service", TDS, 2, 60),
                ("/onvif/media_service", TRT, 2, 60),
                ("/onvif/ptz_service", TPTZ, 2, 60),
            )
        )
        return f"<tds:GetServicesResponse>{services}</tds:GetServicesResponse>"

    def GetProfiles(self, body: ET.Element, base: str) -> str:
        profiles = "".join(self._profile(*p) for p in PROFILES)
        return f"<trt:GetProfilesResponse>{profiles}</trt:GetProfilesResponse>"

    def _profile(
        self, token: str, name: str, path: str, width: int, height: int, bitrate: int
    ) -> str:
        return (
            f'<trt:Profiles token="{token}" fixed="true"><tt:Name>{name}</tt:Name>'
            f"{VIDEO_SOURCE}{_encoder(name, path, width, height, bitrate)}{PTZ_CONFIGURATION}"
            "</trt:Profiles>"
        )

    def _profile_path(self, body: ET.Element, namespace: str) -> str:
        token = (body.findtext(f"{{{namespace}}}ProfileToken") or "").strip()
        for profile_token, _name, path, *_rest in PROFILES:
            if token == profile_token:
                return path
        raise SoapFault("Sender", ("InvalidArgVal", "NoProfile"), f"No profile {token!r}")

    def GetStreamUri(self, body: ET.Element, base: str) -> str:
        path = self._profile_path(body, TRT)
        uri = f"{self.rtsp}/cam{self.number:02d}/{path}"
        return (
            f"<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>{escape(uri)}</tt:Uri>"
            "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
            "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>"
            "<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>"
        )

    def ContinuousMove(self, body: ET.Element, base: str) -> str:
        self._profile_path(body, TPTZ)
        velocity = body.find(f"{{{TPTZ}}}Velocity")
        if velocity is None:
            raise SoapFault("Sender", ("InvalidArgVal", "InvalidVelocity"), "Velocity is required")
        pan_tilt, zoom = velocity.find(f"{{{TT}}}PanTilt"), velocity.find(f"{{{TT}}}Zoom")
        try:
            vp = float(pan_tilt.get("x", 0)) if pan_tilt is not None else 0.0
            vt = float(pan_tilt.get("y", 0)) if pan_tilt is not None else 0.0
            vz = float(zoom.get("x", 0)) if zoom is not None else 0.0
        except ValueError as exc:
            raise SoapFault("Sender", ("InvalidArgVal", "InvalidVelocity"), str(exc)) from exc
        if any(not -1.0 <= v <= 1.0 for v in (vp, vt, vz)):
            raise SoapFault("Sender", ("InvalidArgVal", "InvalidVelocity"), "Velocity out of -1..1")
        timeout = _duration(body.findtext(f"{{{TPTZ}}}Timeout"))
        with self.lock:
            self.motion.set_velocity((vp, vt, vz), timeout, time.monotonic())
        return "<tptz:ContinuousMoveResponse/>"

    def Stop(self, body: ET.Element, base: str) -> str:
        self._profile_path(body, TPTZ)
        stop_pan = (body.findtext(f"{{{TPTZ}}}PanTilt") or "true").strip() == "true"
        stop_zoom = (body.findtext(f"{{{TPTZ}}}Zoom") or "true").strip() == "true"
        with self.lock:
            vp, vt, vz = self.motion.velocity
            velocity = (0.0 if stop_pan else vp, 0.0 if stop_pan else vt, 0.0 if stop_zoom else vz)
            self.motion.set_velocity(velocity, None, time.monotonic())
        return "<tptz:StopResponse/>"

    def GetStatus(self, body: ET.Element, base: str) -> str:
        self._profile_path(body, TPTZ)
        now = time.monotonic()
        with self.lock:
            pan, tilt, zoom = self.motion.position(now)
            pan_moving, zoom_moving = self.motion.moving(now)
        state = {True: "MOVING", False: "IDLE"}
        return (
            "<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>"
            f'<tt:PanTilt x="{pan:.4f}" y="{tilt:.4f}" space="{POSITION_SPACE}"/>'
            f'<tt:Zoom x="{zoom:.4f}" space="{ZOOM_POSITION_SPACE}"/></tt:Position>'
            f"<tt:MoveStatus><tt:PanTilt>{state[pan_moving]}</tt:PanTilt>"
            f"<tt:Zoom>{state[zoom_moving]}</tt:Zoom></tt:MoveStatus>"
            f"<tt:UtcTime>{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}</tt:UtcTime>"
            "</tptz:PTZStatus></tptz:GetStatusResponse>"
        )


OPERATIONS: dict[str, set[str]] = {
    TDS: {"GetSystemDateAndTime", "GetDeviceInformation", "GetCapabilities", "GetServices"},
    TRT: {"GetProfiles", "GetStreamUri"},
    TPTZ: {"ContinuousMove", "Stop", "GetStatus"},
}


def _duration(text: str | None) -> float | None:
    """Seconds of an xs:duration of the form PT…H…M…S (what a PTZ timeout is), else None."""
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?", (text or "").strip())
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def envelope(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<env:Envelope xmlns:env="{SOAP}" xmlns:tt="{TT}" xmlns:tds="{TDS}" '
        f'xmlns:trt="{TRT}" xmlns:tptz="{TPTZ}" xmlns:ter="{TER}">'
        f"<env:Body>{body}</env:Body></env:Envelope>"
    ).encode()


def fault_body(fault: SoapFault) -> str:
    subcodes = ""
    for subcode in reversed(fault.subcodes):
        subcodes = f"<env:Subcode><env:Value>ter:{subcode}</env:Value>{subcodes}</env:Subcode>"
    return (
        f"<env:Fault><env:Code><env:Value>env:{fault.code}</env:Value>{subcodes}</env:Code>"
        f"<env:Reason><env:Text xml:lang={quoteattr('en')}>{escape(fault.reason)}</env:Text>"
        "</env:Reason></env:Fault>"
    )


def answer(device: Device, path: str, payload: bytes, host: str) -> tuple[int, bytes]:
    """(HTTP status, SOAP envelope) for one request to `path` of `device`."""
    try:
        namespace = PATHS.get(path)
        if namespace is None:
            return 404, b""
        try:
            root = ET.fromstring(payload)  # noqa: S314 - a simulator on 127.0.0.1, fed by our tests
        except ET.ParseError as exc:
            raise SoapFault("Sender", ("WellFormed",), f"Not well-formed: {exc}") from exc
        body = root.find(f"{{{SOAP}}}Body")
        request = None if body is None or len(body) == 0 else body[0]
        if request is None:
            raise SoapFault("Sender", ("InvalidArgVal",), "Empty SOAP body")
        name = request.tag.rpartition("}")[2]
        if not request.tag.startswith(f"{{{namespace}}}") or name not in OPERATIONS[namespace]:
            raise SoapFault("Receiver", ("ActionNotSupported",), f"{name} is not supported")
        if name not in PRE_AUTH:
            device.check_login(root.find(f"{{{SOAP}}}Header"))
        operation: Callable[[ET.Element, str], str] = getattr(device, name)
        return 200, envelope(operation(request, f"http://{host}"))
    except SoapFault as fault:
        return (400 if fault.code == "Sender" else 500), envelope(fault_body(fault))


def handler_for(device: Device) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the client's connection pool expects
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stall

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            payload = self.rfile.read(length)
            host = self.headers.get("Host") or "127.0.0.1"
            status, content = answer(device, self.path.split("?")[0], payload, host)
            self.send_response(status)
            self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: object) -> None:
            pass  # a PTZ press is a request a second: not worth a line each

    return Handler


def serve(host: str, devices: dict[int, Device]) -> list[ThreadingHTTPServer]:
    """One HTTP server per device, each in its own thread; the servers."""
    servers = []
    for port, device in devices.items():
        server = ThreadingHTTPServer((host, port), handler_for(device))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def _device(text: str) -> tuple[int, int]:
    port, _, number = text.partition(":")
    try:
        return int(port), int(number)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("PORT:N, e.g. 8899:3") from exc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--device", type=_device, action="append", required=True, metavar="PORT:N",
        help="a camera on PORT whose streams are the RTSP simulator's /camNN/main|sub",
    )  # fmt: skip
    parser.add_argument("--rtsp", default="rtsp://127.0.0.1:8554", help="the RTSP simulator")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", required=True)
    args = parser.parse_args(argv)
    devices = {
        port: Device(number, args.username, args.password, args.rtsp.rstrip("/"))
        for port, number in args.device
    }
    servers = serve(args.host, devices)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    listed = ", ".join(f"http://{args.host}:{p}/onvif/device_service" for p in devices)
    print(f"simulated ONVIF cameras: {listed}", flush=True)
    stop.wait()
    for server in servers:
        server.shutdown()
    sys.exit(0)


if __name__ == "__main__":
    main()
