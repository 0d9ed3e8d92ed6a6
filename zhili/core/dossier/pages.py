"""Keyset pages for the API's lists: `{items, next_cursor}`, newest first, no OFFSET.

A cursor is the (moment, id) of the last row of a page, so a deep page costs what the first
one does and a row added meanwhile neither repeats nor hides one. The moment column is the
list's own (a case's `registered_at`, a dispute's `created_at` ...).
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from zhili.core.errors import InvalidInput

M = TypeVar("M", bound=models.Model)
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def pack_cursor(*parts: object) -> str:
    """A cursor: `parts` joined and base64-encoded (URL-safe, without padding)."""
    raw = "|".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def unpack_cursor(cursor: str, read: Callable[[list[str]], T]) -> T:
    """The parts of a cursor made by `pack_cursor`, as `read` makes them; a cursor not made
    here (any part `read` refuses with ValueError) is a 422 naming `cursor`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return read(raw.split("|"))
    except (ValueError, UnicodeDecodeError, OverflowError) as exc:
        raise InvalidInput("分页游标无效", field="cursor") from exc


def encode_cursor(moment: datetime, pk: int) -> str:
    return pack_cursor(moment.isoformat(), pk)


def _moment_and_pk(parts: list[str]) -> tuple[datetime, int]:
    moment, pk = parts
    at = datetime.fromisoformat(moment)
    # The cursors made here carry an offset; one without, or that overflows once in UTC
    # (year 1, year 9999), was not made here.
    if at.tzinfo is None:
        raise ValueError(moment)
    return at.astimezone(UTC), int(pk)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    return unpack_cursor(cursor, _moment_and_pk)


def after_cursor(qs: QuerySet[M], field: str, cursor: str) -> QuerySet[M]:
    """The rows of `qs` after the cursor's row in the order (-field, -id)."""
    moment, pk = decode_cursor(cursor)
    # The first condition alone is what an index range can use; the OR settles ties.
    return qs.filter(**{f"{field}__lte": moment}).filter(
        Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "id__lt": pk})
    )


def keyset_page(
    qs: QuerySet[M],
    *,
    field: str,
    cursor: str | None = None,
    size: int = 50,
    rows_of: Callable[[QuerySet[M], QuerySet[M, dict[str, object]]], QuerySet[M]] | None = None,
) -> Page[M]:
    """`size` rows of `qs`, newest `field` first, after `cursor` (from the previous page).
    `rows_of(qs, ids)` reads the rows of the page chosen by `ids` (a sliced subquery), for a
    list whose joins would make the database sort every candidate row (the cases')."""
    qs = qs.order_by(f"-{field}", "-id")
    if cursor:
        qs = after_cursor(qs, field, cursor)
    chosen = qs[: size + 1] if rows_of is None else rows_of(qs, qs.values("pk")[: size + 1])
    items = list(chosen)
    more = len(items) > size
    items = items[:size]
    last = items[-1] if more and items else None
    return Page(items, encode_cursor(getattr(last, field), last.pk) if last else None)
