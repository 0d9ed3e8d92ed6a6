"""The web process's handle on the `zhili gb28181` server: invite (live or playback), bye,
ptz, record_info, playback (pause, resume, seek, speed).

One JSON object per line over TCP on 127.0.0.1:GB28181_CONTROL_PORT, one answer line, then
the connection closes: `{"op": "invite", "channel": ..., "rtp_host": ..., "rtp_port": ...}`
→ `{"ok": true, "session": "..."}`; failures `{"ok": false, "code": ..., "error": ...}`.
Works on the SQLite demo (no Redis). Bound to the loopback only: no other host reaches it.
"""

import asyncio
import json
import socket
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from zhili.video.gb28181.live import LiveError
from zhili.video.gb28181.manscdp import LOCAL_TIME, RecordItem
from zhili.video.gb28181.ptz import PtzError

if TYPE_CHECKING:
    from zhili.video.gb28181.server import Platform

JsonDict = dict[str, object]
TIMEOUT = 10.0


class ControlError(Exception):
    """The server refused (`code`: not_found, device_offline, invalid, invite_refused,
    timeout) or cannot be reached (`gateway_unavailable`)."""

    def __init__(self, message: str, *, code: str, field: str = "") -> None:
        super().__init__(message)
        self.code, self.field = code, field


# --- the client (the web process) -----------------------------------------------------------


def invite(
    channel_code: str,
    rtp_host: str,
    rtp_port: int,
    *,
    tcp: bool = False,
    span: tuple[datetime, datetime] | None = None,
) -> str:
    """Start the channel's live stream as H.264 RTP to rtp_host:rtp_port; the session id.
    `tcp`: ask the device for TCP passive media (4G, NAT). `span`: its recording of that
    time instead (Playback)."""
    request: JsonDict = {
        "op": "invite",
        "channel": channel_code,
        "rtp_host": rtp_host,
        "rtp_port": rtp_port,
        "tcp": tcp,
    }
    if span is not None:
        request["start"], request["end"] = (int(t.timestamp()) for t in span)
    return str(call(request)["session"])


def record_info(channel_code: str, start: datetime, end: datetime) -> list[JsonDict]:
    """The channel's recordings between start and end as the device lists them: dicts of
    `start`, `end` (ISO 8601 with the offset), `name`, `type`, `file_path`."""
    answer = call(
        {
            "op": "record_info",
            "channel": channel_code,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
    )
    items = answer["items"]
    assert isinstance(items, list)
    return items


def bye(session_id: str) -> None:
    call({"op": "bye", "session": session_id})


def playback(session_id: str, action: str, value: float | None = None) -> JsonDict:
    """Pause, resume, seek (`value`: seconds from the span's start) or speed (`value`: the
    scale) a playback session; its playhead after: `position`, `scale`, `paused`."""
    answer = call({"op": "playback", "session": session_id, "action": action, "value": value})
    return {k: answer[k] for k in ("position", "scale", "paused")}


def ptz(channel_code: str, command: str, speed: int) -> None:
    call({"op": "ptz", "channel": channel_code, "command": command, "speed": speed})


def call(request: JsonDict, *, port: int | None = None) -> JsonDict:
    address = ("127.0.0.1", port or settings.GB28181_CONTROL_PORT)
    try:
        with socket.create_connection(address, timeout=TIMEOUT) as conn:
            conn.sendall(json.dumps(request).encode() + b"\n")
            line = conn.makefile("rb").readline()
    except OSError as exc:
        raise ControlError(
            f"GB/T 28181 server unreachable: {exc}", code="gateway_unavailable"
        ) from exc
    answer: JsonDict = json.loads(line or b'{"ok": false, "code": "gateway_unavailable"}')
    if not answer.get("ok"):
        raise ControlError(
            str(answer.get("error", "")),
            code=str(answer.get("code")),
            field=str(answer.get("field", "")),
        )
    return answer


# --- the server side (in `zhili gb28181`) ---------------------------------------------------


async def serve_control(platform: "Platform", port: int) -> asyncio.Server:
    async def connected(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            answer = await handle(platform, await reader.readline())
            writer.write(json.dumps(answer).encode() + b"\n")
            await writer.drain()
        finally:
            writer.close()

    return await asyncio.start_server(connected, "127.0.0.1", port)


async def handle(platform: "Platform", line: bytes) -> JsonDict:
    try:
        request = json.loads(line)
        return {"ok": True, **await dispatch(platform, request)}
    except PtzError as exc:
        return {"ok": False, "code": "invalid", "field": exc.field, "error": str(exc)}
    except (ValueError, KeyError, TypeError) as exc:
        return {"ok": False, "code": "invalid", "error": str(exc)}
    except LiveError as exc:
        return {"ok": False, "code": exc.code, "error": str(exc)}
    except TimeoutError:
        return {"ok": False, "code": "timeout", "error": "the device did not answer"}


async def dispatch(platform: "Platform", request: JsonDict) -> JsonDict:
    op = request["op"]
    if op == "invite":
        port = request["rtp_port"]
        if not isinstance(port, int):
            raise ValueError("rtp_port must be a number")
        session = await platform.live.invite(
            str(request["channel"]),
            str(request["rtp_host"]),
            port,
            tcp=request.get("tcp") is True,
            span=_span(request),
        )
        return {"session": session}
    if op == "record_info":
        start, end = (datetime.fromisoformat(str(request[k])) for k in ("start", "end"))
        items = await platform.record_info(str(request["channel"]), start, end)
        # An item whose times do not read is left out (a device's fault, not the query's).
        return {"items": [out for item in items if (out := _record_out(item))]}
    if op == "bye":
        await platform.live.bye(str(request["session"]))
        return {}
    if op == "playback":
        value = request.get("value")
        if value is not None and not isinstance(value, int | float):
            raise ValueError("value must be a number")
        return await platform.live.control(str(request["session"]), str(request["action"]), value)
    if op == "ptz":
        speed = request["speed"]
        if not isinstance(speed, int):
            raise PtzError("speed must be 1-255", field="speed")
        return {
            "status": await platform.ptz(str(request["channel"]), str(request["command"]), speed)
        }
    raise ValueError(f"unknown op {op!r}")


def _span(request: JsonDict) -> tuple[int, int] | None:
    if "start" not in request:
        return None
    start, end = request["start"], request["end"]
    if not isinstance(start, int) or not isinstance(end, int) or not 0 < start < end:
        raise ValueError("start and end must be Unix seconds, start before end")
    return start, end


def _record_out(item: RecordItem) -> JsonDict | None:
    """An item's times read in the platform's zone (the standard's times carry none)."""
    try:
        start, end = (
            timezone.make_aware(datetime.strptime(t[:19], LOCAL_TIME)).isoformat()
            for t in (item.start_time, item.end_time)
        )
    except ValueError:
        return None
    return {
        "start": start,
        "end": end,
        "name": item.name,
        "type": item.type,
        "file_path": item.file_path,
    }
