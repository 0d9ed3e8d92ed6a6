"""GB/T 28181 live media: MPEG-PS over RTP (payload 96, the SDP's SSRC), and the SDP of it.

- `PsSender` (the simulator's camera): GStreamer's `mpegpsmux` writes PS to a pipe; each
  PS pack becomes RTP packets of at most 1,400 bytes, the last one marked, sent over UDP.
- `PsGateway` (the platform's receiving side): RTP in on a UDP port, the PS payload piped
  to `mpegpsdemux ! h264parse ! rtph264pay`, H.264 RTP out to a given port (a Janus RTP
  mountpoint). Packets of another SSRC or payload type are dropped.
"""

import asyncio
import contextlib
import itertools
import logging
import random
import struct
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)
GST = "/usr/bin/gst-launch-1.0"
PAYLOAD_TYPE = 96
MTU_PAYLOAD = 1400
PACK_START = b"\x00\x00\x01\xba"
SOURCE = (
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1"
    " ! timeoverlay ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15"
    " bitrate=512 ! video/x-h264,profile=constrained-baseline ! mpegpsmux ! fdsink fd=1"
)
DEMUX = (
    "fdsrc fd=0 ! mpegpsdemux ! h264parse ! rtph264pay config-interval=-1 pt=96"
    " ! udpsink host={host} port={port} sync=false"
)
Address = tuple[str, int]


# --- SDP ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sdp:
    owner: str
    host: str
    port: int
    ssrc: str
    direction: str = "recvonly"  # the platform receives, the device sends
    tcp: bool = False  # TCP passive: the platform listens, the device connects

    def encode(self) -> bytes:
        proto = "TCP/RTP/AVP" if self.tcp else "RTP/AVP"
        lines = [
            "v=0",
            f"o={self.owner} 0 0 IN IP4 {self.host}",
            "s=Play",
            f"c=IN IP4 {self.host}",
            "t=0 0",
            f"m=video {self.port} {proto} {PAYLOAD_TYPE}",
            f"a={self.direction}",
            f"a=rtpmap:{PAYLOAD_TYPE} PS/90000",
        ]
        if self.tcp:
            lines += ["a=setup:passive", "a=connection:new"]
        lines.append(f"y={self.ssrc}")
        return ("\r\n".join(lines) + "\r\n").encode()


def parse_sdp(body: bytes) -> Sdp:
    values: dict[str, str] = {}
    attrs: list[str] = []
    for line in body.decode("utf-8", errors="replace").splitlines():
        key, _, value = line.strip().partition("=")
        if key == "a":
            attrs.append(value)
        else:
            values.setdefault(key, value)
    media = values.get("m", "").split()
    if len(media) < 3 or not media[1].isdigit():
        raise ValueError("SDP without a video port")
    direction = next((a for a in attrs if a in ("recvonly", "sendonly", "sendrecv")), "")
    host = values.get("c", "").split()[-1:] or [""]
    return Sdp(
        values.get("o", "").split(" ")[0],
        host[0],
        int(media[1]),
        values.get("y", ""),
        direction,
        media[2].upper().startswith("TCP"),
    )


def live_ssrc(domain: str, n: int) -> str:
    """A live stream's SSRC: 0, the domain's digits 4-8, a 4-digit sequence (annex F)."""
    return f"0{domain[3:8]}{n % 10000:04d}"


# --- RTP ------------------------------------------------------------------------------------


def rtp_packet(payload: bytes, *, seq: int, timestamp: int, ssrc: int, marker: bool) -> bytes:
    second = (0x80 if marker else 0) | PAYLOAD_TYPE
    header = struct.pack("!BBHII", 0x80, second, seq & 0xFFFF, timestamp & 0xFFFFFFFF, ssrc)
    return header + payload


def rtp_payload(packet: bytes, *, ssrc: int) -> bytes | None:
    """The payload of an RTP packet of payload type 96 and this SSRC; None for anything else."""
    if len(packet) < 12 or packet[0] >> 6 != 2 or packet[1] & 0x7F != PAYLOAD_TYPE:
        return None
    if struct.unpack("!I", packet[8:12])[0] != ssrc:
        return None
    start = 12 + 4 * (packet[0] & 0x0F)
    if packet[0] & 0x10:  # a header extension
        if len(packet) < start + 4:
            return None
        start += 4 + 4 * struct.unpack("!H", packet[start + 2 : start + 4])[0]
    end = len(packet) - (packet[-1] if packet[0] & 0x20 else 0)  # padding
    return packet[start:end] if start <= end else None


def split_packs(buffer: bytearray) -> list[bytes]:
    """Remove and return the complete PS packs at the start of `buffer` (each runs to the
    next pack start code)."""
    packs = []
    start = buffer.find(PACK_START)
    while start >= 0:
        end = buffer.find(PACK_START, start + 4)
        if end < 0:
            break
        packs.append(bytes(buffer[start:end]))
        start = end
    if start > 0:
        del buffer[:start]
    return packs


# --- processes ------------------------------------------------------------------------------


async def gst(
    pipeline: str, *, stdin: bool = False, stdout: bool = False
) -> asyncio.subprocess.Process:
    pipe = asyncio.subprocess.PIPE
    return await asyncio.create_subprocess_exec(
        GST,
        "-q",
        *pipeline.split(),
        stdin=pipe if stdin else asyncio.subprocess.DEVNULL,
        stdout=pipe if stdout else asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def stop_process(process: asyncio.subprocess.Process | None) -> None:
    if process is None or process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), timeout=2)
    except TimeoutError:
        process.kill()
        await process.wait()


class PsSender:
    """A camera's stream: PS from GStreamer, packed into RTP to `target`."""

    def __init__(self, target: Address, ssrc: int) -> None:
        self.target, self.ssrc = target, ssrc
        self.seq = itertools.count(random.randrange(1 << 16))
        self.process: asyncio.subprocess.Process | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, remote_addr=self.target
        )
        self.process = await gst(SOURCE, stdout=True)
        self.task = asyncio.create_task(self._pump(transport))

    async def _pump(self, transport: asyncio.DatagramTransport) -> None:
        assert self.process is not None and self.process.stdout is not None
        buffer = bytearray()
        try:
            while chunk := await self.process.stdout.read(65536):
                buffer += chunk
                for pack in split_packs(buffer):
                    self._send(transport, pack)
        finally:
            transport.close()

    def _send(self, transport: asyncio.DatagramTransport, pack: bytes) -> None:
        stamp = int(time.monotonic() * 90000)
        for offset in range(0, len(pack), MTU_PAYLOAD):
            last = offset + MTU_PAYLOAD >= len(pack)
            chunk = pack[offset : offset + MTU_PAYLOAD]
            packet = rtp_packet(
                chunk, seq=next(self.seq), timestamp=stamp, ssrc=self.ssrc, marker=last
            )
            transport.sendto(packet)

    async def stop(self) -> None:
        await stop_process(self.process)
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


class _RtpIn(asyncio.DatagramProtocol):
    def __init__(self, gateway: "PsGateway") -> None:
        self.gateway = gateway

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        self.gateway.received(data)


class PsGateway:
    """One live session's receiving side: RTP/PS in on `port`, H.264 RTP out to `output`."""

    def __init__(self, host: str, output: Address, ssrc: int) -> None:
        self.host, self.output, self.ssrc = host, output, ssrc
        self.transport: asyncio.DatagramTransport | None = None
        self.process: asyncio.subprocess.Process | None = None
        self.packets = 0

    async def start(self) -> int:
        """Listen and start the demuxer; the UDP port the device is to send to."""
        self.process = await gst(DEMUX.format(host=self.output[0], port=self.output[1]), stdin=True)
        loop = asyncio.get_running_loop()
        self.transport, _ = await loop.create_datagram_endpoint(
            lambda: _RtpIn(self), local_addr=(self.host, 0)
        )
        return int(self.transport.get_extra_info("sockname")[1])

    def received(self, packet: bytes) -> None:
        payload = rtp_payload(packet, ssrc=self.ssrc)
        if payload is None or self.process is None or self.process.stdin is None:
            return
        self.packets += 1
        with contextlib.suppress(ConnectionError, RuntimeError):
            self.process.stdin.write(payload)

    async def stop(self) -> None:
        if self.transport is not None:
            self.transport.close()
        await stop_process(self.process)
