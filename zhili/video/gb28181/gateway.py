"""The processes of GB/T 28181 live media (GStreamer from Debian).

- `PsSender` (the simulator's camera): GStreamer's `mpegpsmux` writes PS to a pipe; each PS
  pack becomes RTP packets of at most 1,400 bytes, the last one marked, sent over UDP, or
  over TCP (RFC 4571: each packet after its 2-byte length) when the offer was TCP passive.
- `PsGateway` (the platform's receiving side): RTP in on a UDP port (or a TCP port the
  device connects to), the PS payload piped to `mpegpsdemux ! h264parse ! rtph264pay`,
  H.264 RTP out to a given port (a Janus RTP mountpoint). Packets of another SSRC or
  payload type are dropped.
"""

import asyncio
import contextlib
import itertools
import logging
import random
import struct
import time
from collections.abc import Awaitable, Callable

from zhili.video.gb28181.media import MTU_PAYLOAD, Address, rtp_packet, rtp_payload, split_packs

log = logging.getLogger(__name__)
GST = "/usr/bin/gst-launch-1.0"
SOURCE = (
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1"
    " ! timeoverlay ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15"
    " bitrate=512 ! video/x-h264,profile=constrained-baseline ! mpegpsmux ! fdsink fd=1"
)
# A recording played back (the simulator's §9.8): the span's length of frames, then EOS; the
# recorded time it starts at written on the picture (one word: the pipeline splits on blanks).
PLAYBACK = (
    "videotestsrc is-live=true pattern=smpte num-buffers={frames}"
    " ! video/x-raw,width=320,height=240,framerate=15/1"
    " ! textoverlay text=PLAYBACK:{label} valignment=top halignment=left"
    " ! timeoverlay valignment=bottom halignment=right"
    " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15"
    " bitrate=512 ! video/x-h264,profile=constrained-baseline ! mpegpsmux ! fdsink fd=1"
)
DEMUX = (
    "fdsrc fd=0 ! mpegpsdemux ! h264parse ! rtph264pay config-interval=-1 pt=96"
    " ! udpsink host={host} port={port} sync=false"
)


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
    if process is None:
        return
    if process.returncode is None:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout=2)
        except TimeoutError:
            process.kill()
            await process.wait()
    # Close its pipes now, while the loop runs: left to the garbage collector, they would be
    # closed after the loop (asyncio's "Event loop is closed" at exit).
    transport = getattr(process, "_transport", None)
    if isinstance(transport, asyncio.SubprocessTransport):
        transport.close()


Write = Callable[[bytes], None]


class PsSender:
    """A camera's stream: PS from GStreamer, packed into RTP to `target` (UDP, or TCP)."""

    def __init__(
        self, target: Address, ssrc: int, *, tcp: bool = False, source: str = SOURCE
    ) -> None:
        self.target, self.ssrc, self.tcp, self.source = target, ssrc, tcp, source
        self.seq = itertools.count(random.randrange(1 << 16))
        self.process: asyncio.subprocess.Process | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        write, close = await (self._tcp() if self.tcp else self._udp())
        self.process = await gst(self.source, stdout=True)
        self.task = asyncio.create_task(self._pump(write, close))

    async def _udp(self) -> tuple[Write, Callable[[], None]]:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            asyncio.DatagramProtocol, remote_addr=self.target
        )
        return transport.sendto, transport.close

    async def _tcp(self) -> tuple[Write, Callable[[], None]]:
        _, writer = await asyncio.open_connection(*self.target)
        return (lambda packet: writer.write(struct.pack("!H", len(packet)) + packet)), writer.close

    async def _pump(self, write: Write, close: Callable[[], None]) -> None:
        assert self.process is not None and self.process.stdout is not None
        buffer = bytearray()
        try:
            while chunk := await self.process.stdout.read(65536):
                buffer += chunk
                for pack in split_packs(buffer):
                    self._send(write, pack)
        finally:
            close()

    def _send(self, write: Write, pack: bytes) -> None:
        stamp = int(time.monotonic() * 90000)
        for offset in range(0, len(pack), MTU_PAYLOAD):
            last = offset + MTU_PAYLOAD >= len(pack)
            chunk = pack[offset : offset + MTU_PAYLOAD]
            write(
                rtp_packet(chunk, seq=next(self.seq), timestamp=stamp, ssrc=self.ssrc, marker=last)
            )

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
    """One live session's receiving side: RTP/PS in on a UDP port (or a TCP port the device
    connects to, TCP passive), H.264 RTP out to `output`."""

    def __init__(self, host: str, output: Address, ssrc: int, *, tcp: bool = False) -> None:
        self.host, self.output, self.ssrc, self.tcp = host, output, ssrc, tcp
        self.transport: asyncio.DatagramTransport | None = None
        self.server: asyncio.Server | None = None
        self.process: asyncio.subprocess.Process | None = None
        self.packets = 0

    async def start(self) -> int:
        """Listen and start the demuxer; the port the device is to send to."""
        self.process = await self._demuxer()
        if self.tcp:
            self.server = await asyncio.start_server(self._connected, self.host, 0)
            return int(self.server.sockets[0].getsockname()[1])
        loop = asyncio.get_running_loop()
        self.transport, _ = await loop.create_datagram_endpoint(
            lambda: _RtpIn(self), local_addr=(self.host, 0)
        )
        return int(self.transport.get_extra_info("sockname")[1])

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """RFC 4571 framing: a 2-byte length, then the RTP packet."""
        try:
            while True:
                (length,) = struct.unpack("!H", await reader.readexactly(2))
                self.received(await reader.readexactly(length))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def _demuxer(self) -> Awaitable[asyncio.subprocess.Process]:
        return gst(DEMUX.format(host=self.output[0], port=self.output[1]), stdin=True)

    async def restart(self) -> None:
        """A new demuxer for a new PS stream on the same session (a played-back recording
        moved, resumed or sped up: the device starts its stream again, clocks from zero).
        Its H.264 RTP comes with a new SSRC, which Janus takes as a switch of source."""
        old, self.process = self.process, await self._demuxer()
        await stop_process(old)

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
        if self.server is not None:
            self.server.close()
        await stop_process(self.process)
