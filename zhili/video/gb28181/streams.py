"""The simulator's streams: an INVITE's SDP offer answered, the PS stream started on ACK
(GStreamer's mpegpsmux, RTP with the offer's SSRC to the offer's address), stopped on BYE.
A Playback offer (s=Playback, t=<start> <end>) gets the span's length of its recording, then
the Notify MediaStatus 121 (the file's end, §9.8) in the dialog."""

import asyncio
import contextlib
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from zhili.video.gb28181 import manscdp, sip
from zhili.video.gb28181.endpoint import Address
from zhili.video.gb28181.gateway import PLAYBACK, SOURCE, PsSender
from zhili.video.gb28181.media import Sdp, parse_sdp

if TYPE_CHECKING:
    from zhili.video.gb28181.simulator import Simulator


class Streams:
    def __init__(self, device: "Simulator") -> None:
        self.device = device
        self.offers: dict[str, Sdp] = {}  # by Call-ID, until the ACK
        self.senders: dict[str, PsSender] = {}
        self.invites = 0
        self.transports: list[str] = []  # of the streams started
        self.playbacks: list[tuple[str, int, int]] = []  # (channel, start, end) asked
        self.ended: set[asyncio.Task[None]] = set()

    async def on_request(self, request: sip.Request, addr: Address) -> None:
        call_id = request.headers.get("Call-ID")
        if request.method == "INVITE":
            self.answer_invite(request, addr, call_id)
        elif request.method == "ACK" and call_id in self.offers:
            offer = self.offers.pop(call_id)
            sender = PsSender(
                (offer.host, offer.port),
                int(offer.ssrc or "0"),
                tcp=offer.tcp,
                source=_source(offer, self.device.zone),
            )
            self.senders[call_id] = sender
            self.transports.append("tcp" if offer.tcp else "udp")
            await sender.start()
            if offer.playback:
                self._watch_end(request, call_id, sender, addr)
        elif request.method == "BYE":
            sender_or_none = self.senders.pop(call_id, None)
            self.send(sip.response_to(request, 200 if sender_or_none else 481), addr)
            if sender_or_none is not None:
                await sender_or_none.stop()

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

    def _watch_end(
        self, request: sip.Request, call_id: str, sender: PsSender, addr: Address
    ) -> None:
        async def notify() -> None:
            assert sender.task is not None
            with contextlib.suppress(asyncio.CancelledError):
                await sender.task
            if self.senders.get(call_id) is sender:  # ended by itself, not by a BYE
                await self.media_status(request, call_id, addr)

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
        senders, self.senders = list(self.senders.values()), {}
        for sender in senders:
            await sender.stop()


def _source(offer: Sdp, zone: tzinfo) -> str:
    """The live picture, or for Playback the span's length of its recording."""
    if not offer.playback:
        return SOURCE
    label = datetime.fromtimestamp(offer.start, zone).strftime(manscdp.LOCAL_TIME)
    return PLAYBACK.format(frames=15 * max(1, offer.end - offer.start), label=label)
