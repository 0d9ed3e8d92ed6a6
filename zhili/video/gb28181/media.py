"""GB/T 28181 live media, pure: the SDP of a PS stream, RTP packets (payload 96, the SDP's
SSRC) and PS packs. The processes that send and receive it are in `gateway`."""

import struct
from dataclasses import dataclass

PAYLOAD_TYPE = 96
MTU_PAYLOAD = 1400
PACK_START = b"\x00\x00\x01\xba"
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
    # Playback (§9.8): s=Playback, u=<channel>:0 and t=<start> <end> in Unix seconds.
    session: str = "Play"
    uri: str = ""
    start: int = 0
    end: int = 0

    @property
    def playback(self) -> bool:
        return self.session == "Playback"

    def encode(self) -> bytes:
        proto = "TCP/RTP/AVP" if self.tcp else "RTP/AVP"
        lines = [
            "v=0",
            f"o={self.owner} 0 0 IN IP4 {self.host}",
            f"s={self.session}",
            *([f"u={self.uri}"] if self.uri else []),
            f"c=IN IP4 {self.host}",
            f"t={self.start} {self.end}",
            f"m=video {self.port} {proto} {PAYLOAD_TYPE}",
            f"a={self.direction}",
            f"a=rtpmap:{PAYLOAD_TYPE} PS/90000",
        ]
        if self.tcp:
            setup = "passive" if self.direction == "recvonly" else "active"
            lines += [f"a=setup:{setup}", "a=connection:new"]
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
    times = [int(t) if t.isdigit() else 0 for t in ([*values.get("t", "").split(), "0", "0"])]
    return Sdp(
        values.get("o", "").split(" ")[0],
        host[0],
        int(media[1]),
        values.get("y", ""),
        direction,
        media[2].upper().startswith("TCP"),
        values.get("s", "Play").strip() or "Play",
        values.get("u", "").strip(),
        times[0],
        times[1],
    )


def live_ssrc(domain: str, n: int, *, playback: bool = False) -> str:
    """A stream's SSRC: 0 (live) or 1 (history), the domain's digits 4-8, a 4-digit sequence
    (annex F)."""
    return f"{1 if playback else 0}{domain[3:8]}{n % 10000:04d}"


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
