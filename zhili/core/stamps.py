"""In-process caches that follow a database version stamp.

A process builds an expensive structure (the grid STRtree, a year's holidays) once and
keeps it until the data changes. Writers call `bump(key)` in their transaction; readers
check the stamp at most once per `max_age` seconds, and at once after a local write.
"""

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import transaction
from django.db.models import F

from zhili.core.models import ChangeStamp

T = TypeVar("T")
_caches: dict[str, list["StampedCache"]] = {}


def current(key: str) -> int:
    row = ChangeStamp.objects.filter(key=key).values_list("version", flat=True).first()
    return row or 0


def bump(key: str) -> None:
    """Mark data set `key` as changed, in the caller's transaction."""
    updated = ChangeStamp.objects.filter(key=key).update(version=F("version") + 1)
    if not updated:
        ChangeStamp.objects.get_or_create(key=key, defaults={"version": 1})
    for cache in _caches.get(key, []):
        cache.invalidate()
        transaction.on_commit(cache.invalidate)


class StampedCache(Generic[T]):
    def __init__(self, key: str, build: Callable[[], T], max_age: float = 1.0):
        self.key, self.build, self.max_age = key, build, max_age
        self._value: T | None = None
        self._version = -1
        self._checked = 0.0
        self._lock = threading.Lock()
        _caches.setdefault(key, []).append(self)

    def invalidate(self) -> None:
        self._checked = 0.0
        self._version = -1

    def get(self) -> T:
        now = time.monotonic()
        if self._value is not None and now - self._checked < self.max_age:
            return self._value
        with self._lock:
            version = current(self.key)
            if self._value is None or version != self._version:
                self._value = self.build()
                # Built inside a transaction, the value may hold uncommitted rows that a
                # rollback discards: keep it unversioned so the next check rebuilds it.
                in_transaction = transaction.get_connection().in_atomic_block
                self._version = -1 if in_transaction else version
            self._checked = time.monotonic()
            return self._value
