"""An outside service that may be down (Redis): log an outage once, and try it again only
every few seconds.

A dead service must not cost every request a timeout, nor fill the log with one traceback
per request. The first failure logs a warning naming what is used instead and opens a pause
of `pause` seconds during which callers skip the service (`paused()`); the first success
after it logs that the service is back. State is per process.

    redis_down = Outage("Redis channel layer", log, instead="live updates are not pushed")
    if redis_down.paused():
        return
    try:
        ...
    except OSError as exc:
        redis_down.failed(exc)
    else:
        redis_down.succeeded()
"""

import logging
import threading
import time


class Outage:
    def __init__(self, name: str, log: logging.Logger, *, instead: str, pause: float = 5.0):
        self.name = name
        self.log = log
        self.instead = instead
        self.pause = pause
        self._lock = threading.Lock()
        self._since: float | None = None  # monotonic time of the outage's first failure
        self._retry_at = 0.0

    @property
    def down(self) -> bool:
        """The last attempt failed (whether or not the pause is over)."""
        return self._since is not None

    def paused(self) -> bool:
        """True while callers should not try the service: it failed less than `pause` ago."""
        return self._since is not None and time.monotonic() < self._retry_at

    def failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            first = self._since is None
            if first:
                self._since = now
            self._retry_at = now + self.pause
        if first:
            self.log.warning(
                "%s unreachable (%s: %s); %s until it answers again",
                self.name,
                exc.__class__.__name__,
                exc,
                self.instead,
            )

    def succeeded(self) -> None:
        if self._since is None:  # the usual case: no lock, no work
            return
        with self._lock:
            since, self._since = self._since, None
        if since is not None:
            self.log.warning(
                "%s answers again after %.0f s of outage", self.name, time.monotonic() - since
            )

    def reset(self) -> None:
        """Forget any outage (tests)."""
        with self._lock:
            self._since, self._retry_at = None, 0.0
