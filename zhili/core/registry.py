"""Registries: what an app built on top of another adds to it, without the lower app importing
the higher one (the layers: zhili/core/tests/test_layers.py).

The lower app owns a `Registry` and reads it; each higher app registers its entries from its
`AppConfig.ready()` (directly, or by importing the module whose `Registry.entry` decorators
register them), which Django runs once every app is loaded and before any request, so the
lower app never names the higher one. Entries keep the order they were registered in (the
apps' order in INSTALLED_APPS), after those the owning app registered itself.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Model

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


M = TypeVar("M", bound="Model")
# A panel of records listed many to a page: the rows of every given record at once, by the
# record's primary key (a record with no rows may be left out).
BatchPanel = Callable[["Actor", Sequence[M]], Mapping[Any, Iterable[object]]]


class BatchPanels(Registry[BatchPanel[M]]):
    """Panels beside records that a page lists many at a time (the video rooms beside each
    appointment of a reception day): each entry answers for all the listed records in a few
    queries, so that a page of rows does not cost each panel's queries once per row. A record
    page alone asks for its one record the same way (`context`)."""

    def context_many(self, user: "Actor", records: Sequence[M]) -> list[dict[str, list[object]]]:
        """Every registered panel's rows for each of `records`, in their order, by the name
        the templates read."""
        found = {name: rows(user, records) for name, rows in self.items()} if records else {}
        return [
            {name: list(by_pk.get(record.pk, ())) for name, by_pk in found.items()}
            for record in records
        ]

    def context(self, user: "Actor", record: M) -> dict[str, list[object]]:
        return self.context_many(user, [record])[0]
