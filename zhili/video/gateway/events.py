"""Janus's HTTP event handler posts every plugin's events to one endpoint of the platform
(/api/v1/rooms/janus-events, the URL the installed gateways already use). Each app that keeps
rooms on a plugin registers its reader here (in its AppConfig.ready): the VideoRoom's for
zhili/rooms' attendance, the AudioBridge's for zhili/intercom's talk log.

A reader takes one event's plugin data and Janus's time of the event, and says whether it
used it; events of plugins nobody reads are ignored.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from django.utils import timezone

Reader = Callable[[dict[str, object], datetime], bool]
_readers: dict[str, Reader] = {}


def register(plugin: str, reader: Reader) -> None:
    _readers[plugin] = reader


def when(event: dict[str, object]) -> datetime:
    """Janus's time of the event (microseconds since the epoch), or now."""
    stamp = event.get("timestamp")
    if isinstance(stamp, int):
        return datetime.fromtimestamp(stamp / 1_000_000, tz=UTC)
    return timezone.now()


def dispatch(events: list[object]) -> int:
    """Hand each plugin event to its plugin's reader; how many were used."""
    used = 0
    for event in events:
        if not isinstance(event, dict):
            continue
        body = event.get("event")
        if not isinstance(body, dict):
            continue
        reader = _readers.get(str(body.get("plugin")))
        data = body.get("data")
        if reader is not None and isinstance(data, dict) and reader(data, when(event)):
            used += 1
    return used
