"""A room page's heartbeat over Channels (/ws/rooms/seat/), beside Janus's event handler.

The page sends ``{"seat": <its seat>}`` every beat; each is `attendance.seat_beat` (the
attendance stays open, or opens when Janus's event has not come; a fresh Janus token comes
back), answered ``{"type": "beat", "token", "expires_at", "recording"}``. A refusal (kicked, the
room ended, a seat that is no one's) is answered ``{"type": "refused", "code", "message"}``
and the socket closed with 4409. The seat is the credential, as for the HTTP beat
(`POST /api/v1/rooms/beat`, which a page without a socket still uses): outside parties have no
session.

A socket's closing is not a leave: a reload or a network blip would cut the attendance in
two. Janus's event handler (the peer gone) and the sweep of a silent seat
(`attendance.rooms_sweep`) close it; the page's own leave says so at once.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from zhili.core.errors import DomainError
from zhili.rooms import attendance

REFUSED = 4409


class SeatConsumer(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content: object, **kwargs: object) -> None:
        seat = content.get("seat") if isinstance(content, dict) else None
        if not isinstance(seat, str) or not seat or len(seat) > 200:
            await self.send_json(
                {"type": "refused", "code": "invalid", "field": "seat", "message": "缺少座位凭据"}
            )
            return
        try:
            beat = await database_sync_to_async(attendance.seat_beat)(seat=seat)
        except DomainError as exc:
            await self.send_json({"type": "refused", "code": exc.code, "message": exc.message})
            await self.close(code=REFUSED)
            return
        await self.send_json(
            {
                "type": "beat",
                "token": beat.token,
                "expires_at": beat.expires_at.isoformat(),
                "recording": beat.recording,
            }
        )
