"""The simulator's streams: an INVITE's SDP offer answered, the PS stream started on ACK
(GStreamer's mpegpsmux, RTP with the offer's SSRC to the offer's address), stopped on BYE.
A Playback offer (s=Playback, t=<start> <end>) gets the span's length of its recording, then
the Notify MediaStatus 121 (the file's end, §9.8) in the dialog; its MANSRTSP INFOs pause it,
resume it, move it or change its speed (the stream started again from the playhead)."""

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from zhili.video.gb28181 import manscdp, mansrtsp, sip
from zhili.video.gb28181.endpoint import Address
from zhili.video.gb28181.gateway import PLAYBACK, SOURCE, PsSender
from zhili.video.gb28181.media import Sdp, parse_sdp

if TYPE_CHECKING:
    from zhili.video.gb28181.simulator import Simulator


@dataclass
class Played:
    """A Playback call after its ACK: its offer, the INVITE and the platform's address (for
    the 121 at the file's end), and where it is."""

    offer: Sdp
    invite: sip.Request
    addr: Address
    playhead: mansrtsp.Playhead


class Streams:
    def __init__(self, device: "Simulator") -> None:
        self.device = device
        self.offers: dict[str, Sdp] = {}  # by Call-ID, until the ACK
        self.senders: dict[str, PsSender] = {}
        self.invites = 0
        self.transports: list[str] = []  # of the streams started
        self.playbacks: list[tuple[str, int, int]] = []  # (channel, start, end) asked
        self.played: dict[str, Played] = {}  # by Call-ID
        self.controls: list[mansrtsp.Command] = []  # the MANSRTSP commands taken
        self.sources: list[str] = []  # the pipelines of the streams started
        self.ended: set[asyncio.Task[None]] = set()

    async def on_request(self, request: sip.Request, addr: Address) -> None:
        call_id = request.headers.get("Call-ID")
        if request.method == "INVITE":
            self.answer_invite(request, addr, call_id)
        elif request.method == "ACK" and call_id in self.offers:
            offer = self.offers.pop(call_id)
            self.transports.append("tcp" if offer.tcp else "udp")
            if offer.playback:
                playhead = mansrtsp.Playhead(length=offer.end - offer.start)
                self.played[call_id] = Played(offer, request, addr, playhead)
            await self._start(call_id, offer)
        elif request.method == "INFO":
            await self.on_info(request, addr, call_id)
        elif request.method == "BYE":
            sender_or_none = self.senders.pop(call_id, None)
            played = self.played.pop(call_id, None)
            known = sender_or_none is not None or played is not None
            self.send(sip.response_to(request, 200 if known else 481), addr)
            if sender_or_none is not None:
                await sender_or_none.stop()

    async def _start(self, call_id: str, offer: Sdp) -> None:
        """Stream the offer's picture: live, or its recording from the playhead on."""
        played = self.played.get(call_id)
        source = SOURCE if played is None else _recording(played, self.device.zone)
        sender = PsSender(
            (offer.host, offer.port), int(offer.ssrc or "0"), tcp=offer.tcp, source=source
        )
        self.senders[call_id] = sender
        self.sources.append(source)
        await sender.start()
        if played is not None:
            self._watch_end(played, call_id, sender)

    async def on_info(self, request: sip.Request, addr: Address, call_id: str) -> None:
        """A playback control (MANSRTSP, §9.8): the stream stops, the playhead moves, and
        unless paused the stream starts again from there."""
        played = self.played.get(call_id)
        try:
            command = mansrtsp.parse(request.body)
        except ValueError:
            self.send(sip.response_to(request, 400), addr)
            return
        if played is None:
            self.send(sip.response_to(request, 481), addr)
            return
        self.controls.append(command)
        sender = self.senders.pop(call_id, None)
        if sender is not None:
            await sender.stop()
        played.playhead.apply(command)
        self.send(sip.response_to(request, 200), addr)
        if not played.playhead.paused:
            await self._start(call_id, played.offer)

    def answer_invite(self, request: sip.Request, addr: Address, call_id: str) -> None:
        try:
            offer = parse_sdp(request.body)
        except ValueError:
            self.send(sip.response_to(request, 488, to_tag=sip.new_tag()), addr)
            return
        self.invites += 1
        self.offers[call_id] = offer
        if offer.playback:
            self.playbacks.append((offer.uri.split(":")[0], offer.start, offer.end))
        me = self.device.me
        answer = Sdp(
            sip.uri_user(request.uri) or me.id,
            me.host,
            me.port + 2,
            offer.ssrc,
            "sendonly",
            offer.tcp,
        )
        extra = [("Contact", me.contact), ("Content-Type", "APPLICATION/SDP")]
        response = sip.response_to(
            request, 200, to_tag=sip.new_tag(), extra=extra, body=answer.encode()
        )
        self.send(response, addr)

    def send(self, message: sip.Message, addr: Address) -> None:
        assert self.device.endpoint is not None
        self.device.endpoint.send(message, addr)

    def _watch_end(self, played: Played, call_id: str, sender: PsSender) -> None:
        async def notify() -> None:
            assert sender.task is not None
            with contextlib.suppress(asyncio.CancelledError):
                await sender.task
            if self.senders.get(call_id) is sender:  # ended by itself, not by a BYE or INFO
                self.played.pop(call_id, None)
                await self.media_status(played.invite, call_id, played.addr)

        task = asyncio.create_task(notify())
        self.ended.add(task)
        task.add_done_callback(self.ended.discard)

    async def media_status(self, request: sip.Request, call_id: str, addr: Address) -> None:
        """Notify MediaStatus 121 (the file played to its end), in the playback's dialog."""
        device = self.device
        body = manscdp.dumps(
            "Notify",
            "MediaStatus",
            next(device.sn),
            device.config.device_id,
            [("NotifyType", "121")],
        )
        channel = sip.uri_user(request.uri) or device.me.id
        me = sip.Party(channel, device.me.domain, device.me.host, device.me.port)
        message = sip.request(
            "MESSAGE",
            me,
            device.config.server,
            cseq_no=next(device.cseq),
            call_id=call_id,
            extra=[("Content-Type", manscdp.CONTENT_TYPE)],
            body=body,
        )
        assert device.endpoint is not None
        with contextlib.suppress(TimeoutError):
            await device.endpoint.request(message, addr)

    async def stop_all(self) -> None:
        for task in list(self.ended):
            task.cancel()
        self.played.clear()
        senders, self.senders = list(self.senders.values()), {}
        for sender in senders:
            await sender.stop()


def _recording(played: Played, zone: tzinfo) -> str:
    """The recording from the playhead to the span's end, at the playhead's speed: the
    recorded time it starts at and the speed written on the picture."""
    head = played.playhead
    position = head.at()
    left = max(1.0, head.length - position)
    at = datetime.fromtimestamp(played.offer.start + position, zone)
    label = f"{at.strftime(manscdp.LOCAL_TIME)}x{head.scale:g}"
    return PLAYBACK.format(frames=max(1, round(15 * left / head.scale)), label=label)
