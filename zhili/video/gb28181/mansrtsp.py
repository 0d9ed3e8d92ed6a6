"""MANSRTSP, pure: the playback controls of GB/T 28181-2016 (§9.8, Annex B), carried in
the body of an INFO inside a Playback dialog (`Content-Type: Application/MANSRTSP`).

RTSP's request line and headers (RFC 2326) without a URL, e.g.

    PAUSE RTSP/1.0            PLAY RTSP/1.0            PLAY RTSP/1.0
    CSeq: 2                   CSeq: 3                  CSeq: 4
    PauseTime: now            Range: npt=now-          Scale: 2.0

`Range: npt=<s>-` jumps to <s> seconds after the span's start (the SDP's `t=` start);
`npt=now-` resumes where it paused; `Scale` sets the speed, one of `SCALES`.
"""

import time
from dataclasses import dataclass, field

CONTENT_TYPE = "Application/MANSRTSP"
SCALES = (0.25, 0.5, 1.0, 2.0, 4.0)  # the speeds the standard's devices take
METHODS = ("PLAY", "PAUSE", "TEARDOWN")


@dataclass(frozen=True)
class Command:
    method: str
    cseq: int
    npt: float | None = None  # PLAY from this second of the span; None: from where it is
    scale: float | None = None  # PLAY at this speed; None: unchanged

    def encode(self) -> bytes:
        lines = [f"{self.method} RTSP/1.0", f"CSeq: {self.cseq}"]
        if self.method == "PAUSE":
            lines.append("PauseTime: now")
        if self.npt is not None:
            lines.append(f"Range: npt={self.npt:g}-")
        elif self.method == "PLAY" and self.scale is None:
            lines.append("Range: npt=now-")
        if self.scale is not None:
            lines.append(f"Scale: {self.scale:g}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


def pause(cseq: int) -> Command:
    return Command("PAUSE", cseq)


def resume(cseq: int) -> Command:
    return Command("PLAY", cseq)


def seek(cseq: int, seconds: float) -> Command:
    if seconds < 0:
        raise ValueError("a seek is to a second of the span, 0 or later")
    return Command("PLAY", cseq, npt=seconds)


def speed(cseq: int, scale: float) -> Command:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(f'{s:g}' for s in SCALES)}")
    return Command("PLAY", cseq, scale=scale)


def parse(body: bytes) -> Command:
    """A MANSRTSP body; ValueError for a method, CSeq, Range or Scale that does not read."""
    lines = body.decode("utf-8", errors="replace").strip().splitlines()
    request_line = lines[0].split() if lines else []
    if len(request_line) != 2 or request_line[1] != "RTSP/1.0" or request_line[0] not in METHODS:
        raise ValueError(f"not a MANSRTSP request: {lines[:1]}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if not headers.get("cseq", "").isdigit():
        raise ValueError("MANSRTSP without a CSeq")
    npt = None
    range_ = headers.get("range", "")
    if range_:
        start = range_.removeprefix("npt=").split("-")[0].strip()
        npt = None if start == "now" else float(start)
    scale = float(headers["scale"]) if "scale" in headers else None
    return Command(request_line[0], int(headers["cseq"]), npt, scale)


@dataclass
class Playhead:
    """Where a playback is in its span, in seconds from its start: kept alike by the platform
    (to answer the viewer) and by the simulated device (to stream from there)."""

    length: float
    position: float = 0.0  # at `since`
    scale: float = 1.0
    paused: bool = False
    since: float = field(default_factory=time.monotonic)

    def at(self, now: float | None = None) -> float:
        if self.paused:
            return self.position
        now = time.monotonic() if now is None else now
        return min(self.length, self.position + (now - self.since) * self.scale)

    def apply(self, command: Command, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        position = self.at(now)
        if command.method in ("PAUSE", "PLAY"):
            self.paused = command.method == "PAUSE"
        if command.npt is not None:
            position = min(max(command.npt, 0.0), self.length)
        if command.scale is not None:
            self.scale = command.scale
        self.position, self.since = position, now

    def state(self) -> dict[str, object]:
        return {"position": round(self.at(), 1), "scale": self.scale, "paused": self.paused}
