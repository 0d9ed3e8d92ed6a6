"""Live view through GB/T 28181: INVITE a channel's device to send PS over RTP to one of our
gateways, ACK, and BYE when the last viewer leaves (or the device hangs up).

Media over UDP, or TCP passive (`m=video <port> TCP/RTP/AVP 96`, `a=setup:passive`: the
device connects to our port and sends RFC 4571 length-prefixed packets), which is what 4G
and NAT links need: the device only opens connections outwards.
"""

import itertools
import secrets
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from asgiref.sync import sync_to_async

from zhili.video.gb28181 import manscdp, mansrtsp, sip
from zhili.video.gb28181.endpoint import Address
from zhili.video.gb28181.gateway import PsGateway
from zhili.video.gb28181.media import Sdp, live_ssrc, parse_sdp

if TYPE_CHECKING:
    from zhili.video.gb28181.server import Platform


class LiveError(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Session:
    id: str
    channel: str
    device: str
    addr: Address
    call_id: str
    from_tag: str
    to: str
    cseq: int
    gateway: PsGateway
    playhead: mansrtsp.Playhead | None = None  # a Playback's, where it is in its span


class Live:
    def __init__(self, platform: "Platform") -> None:
        self.platform = platform
        self.sessions: dict[str, Session] = {}
        self.ssrc_seq = itertools.count(1)

    async def invite(
        self,
        channel: str,
        rtp_host: str,
        rtp_port: int,
        *,
        tcp: bool = False,
        span: tuple[int, int] | None = None,
    ) -> str:
        """Start the channel's stream to `rtp_host:rtp_port` as H.264 RTP; the session id.
        `span` (Unix seconds from, to): the recording of that time (Playback, §9.8), not live."""
        p = self.platform
        device = await sync_to_async(p.device_of)(channel)
        addr = await p.device_address(device)
        ssrc = live_ssrc(p.config.domain, next(self.ssrc_seq), playback=span is not None)
        gateway = PsGateway(p.media_host, (rtp_host, rtp_port), int(ssrc), tcp=tcp)
        port = await gateway.start()
        offer = Sdp(p.config.server_id, p.media_host, port, ssrc, tcp=tcp)
        if span is not None:
            offer = replace(
                offer, session="Playback", uri=f"{channel}:0", start=span[0], end=span[1]
            )
        try:
            session = await self._invite(channel, device, addr, offer, gateway)
        except BaseException:
            await gateway.stop()
            raise
        if span is not None:
            session.playhead = mansrtsp.Playhead(length=span[1] - span[0])
        self.sessions[session.id] = session
        return session.id

    async def _invite(
        self, channel: str, device: str, addr: Address, offer: Sdp, gateway: PsGateway
    ) -> Session:
        p = self.platform
        assert p.endpoint is not None
        request = self._invite_request(channel, addr, offer)
        response = await p.endpoint.request(request, addr, timeout=6.0)
        if response.status != 200:
            raise LiveError(f"INVITE answered {response.status}", code="invite_refused")
        parse_sdp(response.body)  # a device that answers without media is refused above
        call_id = request.headers.get("Call-ID")
        from_tag = sip.params(request.headers.get("From"))[1]["tag"]
        session = Session(
            secrets.token_hex(8),
            channel,
            device,
            addr,
            call_id,
            from_tag,
            response.headers.get("To"),
            1,
            gateway,
        )
        p.endpoint.send(self._in_dialog("ACK", session, 1), addr)
        return session

    def _invite_request(self, channel: str, addr: Address, offer: Sdp) -> sip.Request:
        """The INVITE of `channel` at `addr` with the offer; its Subject names the channel with
        the offer's SSRC, then the platform."""
        p = self.platform
        target = sip.Party(channel, p.config.domain, *addr)
        subject = f"{channel}:{offer.ssrc},{p.config.server_id}:0"
        extra = [
            ("Content-Type", "APPLICATION/SDP"),
            ("Subject", subject),
            ("Contact", p.me.contact),
        ]
        return sip.request("INVITE", p.me, target, cseq_no=1, extra=extra, body=offer.encode())

    def _in_dialog(
        self,
        method: str,
        session: Session,
        cseq_no: int,
        *,
        extra: tuple[tuple[str, str], ...] = (),
        body: bytes = b"",
    ) -> sip.Request:
        p = self.platform
        target = sip.Party(session.channel, p.config.domain, *session.addr)
        request = sip.request(
            method,
            p.me,
            target,
            cseq_no=cseq_no,
            call_id=session.call_id,
            from_tag=session.from_tag,
            extra=extra,
            body=body,
        )
        request.headers.set("To", session.to)
        return request

    async def control(
        self, session_id: str, action: str, value: float | None = None
    ) -> dict[str, object]:
        """Pause, resume, seek (`value`: seconds from the span's start) or speed (`value`: a
        scale of `mansrtsp.SCALES`) a playback: MANSRTSP in an INFO of its dialog (§9.8). A
        command that sets the media flowing again restarts the demuxer on the new PS stream.
        The playhead after it: position, scale, paused."""
        session = self.sessions.get(session_id)
        if session is None or session.playhead is None:
            raise LiveError(f"no playback session {session_id}", code="not_found")
        command = _command(action, session.cseq + 1, value, session.playhead.length)
        session.cseq += 1
        info = self._in_dialog(
            "INFO",
            session,
            session.cseq,
            extra=(("Content-Type", mansrtsp.CONTENT_TYPE),),
            body=command.encode(),
        )
        assert self.platform.endpoint is not None
        response = await self.platform.endpoint.request(info, session.addr, timeout=4.0)
        if response.status != 200:
            raise LiveError(f"INFO answered {response.status}", code="control_refused")
        if command.method == "PLAY":
            await session.gateway.restart()
        session.playhead.apply(command)
        return session.playhead.state()

    async def bye(self, session_id: str) -> None:
        session = self.sessions.pop(session_id, None)
        if session is None:
            raise LiveError(f"no session {session_id}", code="not_found")
        assert self.platform.endpoint is not None
        try:
            session.cseq += 1
            bye = self._in_dialog("BYE", session, session.cseq)
            await self.platform.endpoint.request(bye, session.addr, timeout=2.0)
        except TimeoutError:
            pass  # the device is gone: the stream stops with it
        finally:
            await session.gateway.stop()

    async def device_bye(self, request: sip.Request, addr: Address) -> None:
        """The device ended a stream: answer and stop its gateway."""
        call_id = request.headers.get("Call-ID")
        found = [s for s in self.sessions.values() if s.call_id == call_id]
        self.platform.answer(request, addr, 200 if found else 481)
        for session in found:
            self.sessions.pop(session.id, None)
            await session.gateway.stop()

    async def media_status(self, request: sip.Request, doc: manscdp.Doc) -> None:
        """The device's 121 (the end of a played-back file, §9.8): its stream is over; BYE it.
        The Notify comes in the playback's dialog (its Call-ID)."""
        if doc.text("NotifyType") != "121":
            return
        call_id = request.headers.get("Call-ID")
        for session in [s for s in self.sessions.values() if s.call_id == call_id]:
            await self.bye(session.id)

    async def close(self) -> None:
        for session_id in list(self.sessions):
            await self.bye(session_id)


def _command(action: str, cseq: int, value: float | None, length: float) -> mansrtsp.Command:
    """The MANSRTSP command of a viewer's action; ValueError naming what is wrong."""
    if action == "pause":
        return mansrtsp.pause(cseq)
    if action == "resume":
        return mansrtsp.resume(cseq)
    if action not in ("seek", "speed"):
        raise ValueError(f"unknown playback action {action!r}")
    if value is None:
        raise ValueError(f"{action} needs a value")
    if action == "speed":
        return mansrtsp.speed(cseq, value)
    if not 0 <= value < length:
        raise ValueError(f"seek to a second within the span (0 to {length - 1:g})")
    return mansrtsp.seek(cseq, value)
