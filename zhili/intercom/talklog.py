"""The AudioBridge's events, from Janus's event handler (zhili/video/gateway/events.py):
`joined` and `leaving` mark a seat present or gone; `talking` confirms the floor holder's talk
(its `heard_at`); a seat Janus reports unmuted without its user holding the floor (a page that
sent its own `configure`) is muted again at once: the server decides who speaks.
"""

from datetime import datetime

from django.utils import timezone

from zhili.intercom import gateway
from zhili.intercom.models import Seat, Talk


def audiobridge_event(data: dict[str, object], at: datetime) -> bool:
    # Janus names most events in `event` ("joined", "configured", "leaving") and the talking
    # ones in `audiobridge` ("talking", "stopped-talking").
    what = data.get("event") or data.get("audiobridge")
    room_id, seat_id = data.get("room"), data.get("id")
    if not isinstance(room_id, int) or not isinstance(seat_id, int):
        return False
    seat = Seat.objects.select_related("group").filter(pk=seat_id, group__janus_id=room_id).first()
    if seat is None:
        return False
    group = seat.group
    if what == "joined":
        Seat.objects.filter(pk=seat.pk, present_at=None).update(present_at=at)
    elif what in ("leaving", "kicked"):
        Seat.objects.filter(pk=seat.pk, left_at=None).update(left_at=at)
    elif what == "talking":
        if group.speaker_id == seat.user_id:
            Talk.objects.filter(
                group=group, user_id=seat.user_id, ended_at=None, heard_at=None
            ).update(heard_at=at)
    elif what != "stopped-talking" and what != "configured":
        return False
    holds = group.speaker_id == seat.user_id and (
        group.floor_until is not None and group.floor_until > timezone.now()
    )
    if data.get("muted") is False and not holds and group.janus_id is not None:
        gateway.set_muted(group.gateway, group.janus_id, group.janus_secret, [seat.pk], True)
    return True
