"""The simulator's live streams: an INVITE's SDP offer answered, the PS stream started on
ACK (GStreamer's mpegpsmux, RTP with the offer's SSRC to the offer's address), stopped on
BYE."""

from typing import TYPE_CHECKING

from zhili.video.gb28181 import sip
from zhili.video.gb28181.endpoint import Address
from zhili.video.gb28181.gateway import PsSender
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

    async def on_request(self, request: sip.Request, addr: Address) -> None:
        call_id = request.headers.get("Call-ID")
        if request.method == "INVITE":
            self.answer_invite(request, addr, call_id)
        elif request.method == "ACK" and call_id in self.offers:
            offer = self.offers.pop(call_id)
            sender = PsSender((offer.host, offer.port), int(offer.ssrc or "0"), tcp=offer.tcp)
            self.senders[call_id] = sender
            self.transports.append("tcp" if offer.tcp else "udp")
            await sender.start()
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

    async def stop_all(self) -> None:
        senders, self.senders = list(self.senders.values()), {}
        for sender in senders:
            await sender.stop()
