"""Registries: what an app built on top of another adds to it, without the lower app importing
the higher one (the layers: zhili/core/tests/test_layers.py).

The lower app owns a `Registry` and reads it; each higher app registers its entries from its
`AppConfig.ready()`, which Django runs once every app is loaded and before any request, so the
lower app never names the higher one. Entries keep the order they were registered in (the
apps' order in INSTALLED_APPS), after those the owning app registered itself.
"""

from collections.abc import Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, what: str) -> None:
        self.what = what  # what the entries are, for the error message
        self._entries: dict[str, T] = {}

    def register(self, key: str, entry: T) -> None:
        """Add `entry` under `key`; the same entry again is a no-op (ready() may run twice in
        tests), another one under a taken key is a configuration error."""
        known = self._entries.get(key)
        if known is not None and known != entry:
            raise ImproperlyConfigured(f"{self.what} {key!r} is registered twice")
        self._entries[key] = entry

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)
