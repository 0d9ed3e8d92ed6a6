"""How the training reacts to other apps' events (listed in config/event_handlers.py)."""

from zhili.rooms.events import RoomTransitioned
from zhili.rooms.models import Purpose, RoomState
from zhili.training.services import live_attendance_take


def take_live_attendance(event: RoomTransitioned, **_: object) -> None:
    """A training room that ended: its lesson's length and each learner's time in it."""
    if event.purpose == Purpose.TRAINING and event.to_state == RoomState.ENDED:
        live_attendance_take(room_id=event.room_id)
