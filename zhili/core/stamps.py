"""In-process caches that follow a database version stamp.

A process builds an expensive structure (the grid STRtree, a year's holidays) once and
keeps it until the data changes. Writers call `bump(key)` in their transaction; readers
check the stamp at most once per `max_age` seconds, and at once after a local write.
"""

import functools
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import transaction
from django.db.models import F

from zhili.core.models import ChangeStamp

T = TypeVar("T")
_caches: dict[str, list["StampedCache"]] = {}
# Keys bumped by this thread's open transaction: a value built before it ends may hold rows a
# rollback would discard. The transaction is recognised by a marker callback registered with
# on_commit: Django runs and drops it on commit and drops it on rollback, so once the marker
# is no longer pending, that transaction has ended one way or the other.
_uncommitted = threading.local()


def _marker() -> None:
    """Registered with on_commit to mark the transaction that bumped stamps; does nothing."""


def _pending(marker: object) -> bool:
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(
        entry[1] is marker for entry in connection.run_on_commit
    )


def _dirty_keys(*, create: bool = False) -> set[str]:
    state: tuple[object, set[str]] | None = getattr(_uncommitted, "state", None)
    if state is not None and _pending(state[0]):
        return state[1]
    if not create:
        _uncommitted.state = None
        return set()
    marker = functools.partial(_marker)  # a new object per transaction
    transaction.on_commit(marker)
    _uncommitted.state = (marker, set())
    return _uncommitted.state[1]


def current(key: str) -> int:
    row = ChangeStamp.objects.filter(key=key).values_list("version", flat=True).first()
    return row or 0


def bump(key: str) -> None:
    """Mark data set `key` as changed, in the caller's transaction."""
    updated = ChangeStamp.objects.filter(key=key).update(version=F("version") + 1)
    if transaction.get_connection().in_atomic_block:
        _dirty_keys(create=True).add(key)
    if not updated:
        ChangeStamp.objects.get_or_create(key=key, defaults={"version": 1})
    for cache in _caches.get(key, []):
        cache.invalidate()
        transaction.on_commit(cache.invalidate)


class StampedCache(Generic[T]):
    """`build()`'s value, rebuilt when any of the data sets `keys` has changed."""

    def __init__(self, keys: str | tuple[str, ...], build: Callable[[], T], max_age: float = 1.0):
        self.keys = (keys,) if isinstance(keys, str) else keys
        self.build, self.max_age = build, max_age
        self._value: T | None = None
        self._version: tuple[int, ...] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        for key in self.keys:
            _caches.setdefault(key, []).append(self)

    def invalidate(self) -> None:
        self._checked = 0.0
        self._version = None

    def _current(self) -> tuple[int, ...]:
        found = dict(ChangeStamp.objects.filter(key__in=self.keys).values_list("key", "version"))
        return tuple(found.get(key, 0) for key in self.keys)

    def get(self) -> T:
        now = time.monotonic()
        if self._value is not None and now - self._checked < self.max_age:
            return self._value
        with self._lock:
            version = self._current()
            if self._value is None or version != self._version:
                self._value = self.build()
                # Built after this transaction changed the data, the value may hold rows a
                # rollback discards: keep it unversioned so the next check rebuilds it.
                dirty = bool(_dirty_keys() & set(self.keys))
                self._version = None if dirty else version
            self._checked = time.monotonic()
            return self._value
