"""Registries: what an app built on top of another adds to it, without the lower app importing
the higher one (the layers: zhili/core/tests/test_layers.py).

The lower app owns a `Registry` and reads it; each higher app registers its entries from its
`AppConfig.ready()` (directly, or by importing the module whose `Registry.entry` decorators
register them), which Django runs once every app is loaded and before any request, so the
lower app never names the higher one. Entries keep the order they were registered in (the
apps' order in INSTALLED_APPS), after those the owning app registered itself.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from zhili.core.types import Actor

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

    def entry(self, key: str) -> Callable[[T], T]:
        """`register` as a decorator: ``@CASE_PANELS.entry("name")`` over the entry's
        definition, in a module the higher app's ready() imports."""

        def add(entry: T) -> T:
            self.register(key, entry)
            return entry

        return add

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)


R = TypeVar("R")
# A panel's rows: records, mostly; a panel may give other values its template reads (the link
# of an action the user may take on the record, or none).
Panel = Callable[["Actor", R], Iterable[object]]


class Panels(Registry[Panel[R]]):
    """What higher apps show on a lower app's record page (the supervision orders on a case or
    a petition): each entry gives the rows of the record the user may see, under the name the
    page's templates read them by."""

    def context(self, user: "Actor", record: R) -> dict[str, list[object]]:
        """Every registered panel's rows for `user`, by the name the templates read."""
        return {name: list(rows(user, record)) for name, rows in self.items()}
