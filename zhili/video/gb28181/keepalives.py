"""Keepalives answered from memory, written to the register once a flush.

A device the server knows to be online and registered (it registered, or its last keepalive
went through the database) has its next keepalives answered at once: the time is kept here and
the server writes all of them in one update each flush (`devices.keepalives_record`), about
once a second. One transaction per keepalive (a locked read and an update) cost most of the
server's CPU with 500 devices on PostgreSQL.

What stays exact: a device is forgotten when the server sweeps it offline or it unregisters,
so its next keepalive goes through the database again (and revives it, or gets 403). A device
taken offline elsewhere (the scheduler's sweep) is found by the flush, whose update only
touches online rows; the server then handles its keepalive one by one.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from zhili.video.devices import CHANNELS_SEEN_EVERY


class Keepalives:
    def __init__(self, channels_every: timedelta = CHANNELS_SEEN_EVERY) -> None:
        self.channels_every = channels_every
        # code -> when its channels' 最后在线 was last written (or the device was trusted)
        self.trusted: dict[str, datetime] = {}
        self.seen: dict[str, datetime] = {}  # answered from memory since the last flush

    def trust(self, code: str) -> None:
        """`code` is online and registered in the register, as of now."""
        self.trusted.setdefault(code, timezone.now())

    def forget(self, codes: list[str] | set[str]) -> None:
        """These went offline or unregistered: their next keepalive goes to the database. A
        keepalive answered meanwhile stays pending; the flush finds its device not online."""
        for code in codes:
            self.trusted.pop(code, None)

    def answer(self, code: str) -> bool:
        """Whether the keepalive of `code` is answered from memory (200, written at the next
        flush); False: the caller asks the database."""
        if code not in self.trusted:
            return False
        self.seen[code] = timezone.now()
        return True

    def take(self) -> tuple[dict[str, datetime], list[str]]:
        """The keepalives to write, and the devices whose channels' 最后在线 is due with them."""
        seen, self.seen = self.seen, {}
        due = [
            code
            for code, at in seen.items()
            if code in self.trusted and at - self.trusted[code] >= self.channels_every
        ]
        for code in due:
            self.trusted[code] = seen[code]
        return seen, due
