"""The shared cache for what must keep working when Redis is down: rate-limit counters
(zhili.core.ratelimit) and the citizen challenge's used tokens (zhili.portal.challenge).

Each operation goes to Django's default cache (Redis in production, shared by every process).
On a cache error it falls back to a store in this process's memory, bounded and with expiry:
the citizen channel stays open and its limits hold per process instead of everywhere. The
outage is logged once (zhili.core.outage); the cache is tried again every few seconds and used
as soon as it answers. `cache_ok()` asks the cache now, for /healthz. The values are integers
(counts, and 1 for a used token).
"""

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from redis.exceptions import RedisError

from zhili.core.outage import Outage

log = logging.getLogger(__name__)

T = TypeVar("T")

# What a cache that cannot be reached raises (redis-py's errors; sockets for other backends).
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)
MAX_KEYS = 10_000  # the fallback's bound: rate-limit windows and challenge tokens, per process
PROBE_KEY = "sharedcache:probe"


class MemoryStore:
    """A bounded mapping with expiry, for one process. Full, it drops the oldest entries."""

    def __init__(self, max_keys: int = MAX_KEYS):
        self.max_keys = max_keys
        self._data: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _live(self, key: str) -> tuple[int, float] | None:
        entry = self._data.get(key)
        if entry is not None and entry[1] <= time.time():
            del self._data[key]
            return None
        return entry

    def _put(self, key: str, value: int, timeout: float | None) -> None:
        expires = float("inf") if timeout is None else time.time() + timeout
        self._data[key] = (value, expires)
        self._data.move_to_end(key)
        while len(self._data) > self.max_keys:
            self._data.popitem(last=False)

    def get(self, key: str, default: int | None = None) -> int | None:
        with self._lock:
            entry = self._live(key)
        return default if entry is None else entry[0]

    def has(self, key: str) -> bool:
        with self._lock:
            return self._live(key) is not None

    def add(self, key: str, value: int, timeout: float | None) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._put(key, value, timeout)
            return True

    def set(self, key: str, value: int, timeout: float | None) -> None:
        with self._lock:
            self._put(key, value, timeout)

    def incr(self, key: str) -> int:
        """Like the cache's incr: ValueError for a missing (or expired) key."""
        with self._lock:
            entry = self._live(key)
            if entry is None:
                raise ValueError(f"key {key!r} not found")
            value = int(entry[0]) + 1
            self._data[key] = (value, entry[1])
            return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


memory = MemoryStore()
outage = Outage(
    "shared cache",
    log,
    instead="rate limits and citizen challenges fall back to this process's memory",
)


def _shared(operation: Callable[[], T], fallback: Callable[[], T]) -> T:
    if outage.paused():
        return fallback()
    try:
        result = operation()
    except CACHE_ERRORS as exc:
        outage.failed(exc)
        return fallback()
    outage.succeeded()
    return result


def get(key: str, default: int | None = None) -> int | None:
    return _shared(lambda: cache.get(key, default), lambda: memory.get(key, default))


def set(key: str, value: int, timeout: float | None) -> None:
    _shared(lambda: cache.set(key, value, timeout), lambda: memory.set(key, value, timeout))


def add(key: str, value: int, timeout: float | None) -> bool:
    """Store `value` unless `key` is there; True if stored. A key added to the fallback during
    an outage still counts once the cache is back (a challenge token stays used)."""

    def shared() -> bool:
        return not (len(memory) and memory.has(key)) and cache.add(key, value, timeout)

    return _shared(shared, lambda: memory.add(key, value, timeout))


def incr(key: str) -> int:
    """Add one to `key`'s number; ValueError if the key is missing."""
    return _shared(lambda: cache.incr(key), lambda: memory.incr(key))


def cache_ok() -> bool:
    """Whether the shared cache answers now: one round trip, even during the retry pause.
    For /healthz; it also ends the outage when the cache is back."""
    try:
        cache.get(PROBE_KEY)
    except CACHE_ERRORS as exc:
        outage.failed(exc)
        return False
    outage.succeeded()
    return True


def reset() -> None:
    """Forget the fallback's entries and any outage (tests)."""
    memory.clear()
    outage.reset()
