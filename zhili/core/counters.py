"""Gap-free sequence numbers (case, petition, dispute and supervision-order numbers) from the
rows of `NumberCounter`, one per series and period: a day ("2026-12-03") for case numbers, a
year ("2026") for the others.

A counter row is bumped in the caller's transaction: concurrent callers queue on its row lock
(PostgreSQL) or on the write lock (SQLite), and a rollback gives the number back, so the
numbers have no gaps. Take the number as late in the transaction as possible: the row stays
locked until commit. When the row exists, a number costs one UPDATE ... RETURNING.
"""

from collections.abc import Mapping

from django.db import IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper

from zhili.core.models import NumberCounter

_TABLE = NumberCounter._meta.db_table
_WHERE = "WHERE series = %s AND period = %s RETURNING last"
_NEXT = f"UPDATE {_TABLE} SET last = last + 1 {_WHERE}"  # noqa: S608
_BLOCK = f"UPDATE {_TABLE} SET last = last + %s {_WHERE}"  # noqa: S608


def take_next(series: str, period: str) -> int:
    """`last` + 1 of the counter row (series, period), created at 1 when it does not exist yet."""
    return _bump(str(series), period, 1)


def take_block(series: str, period: str, count: int) -> int:
    """The first of `count` consecutive numbers of the counter row (series, period), all taken
    at once (bulk imports, demo data); gap-free like `take_next`, whose rules it follows."""
    if count < 1:
        raise ValueError("count must be at least 1")
    return _bump(str(series), period, count) - count + 1


def _bump(series: str, period: str, count: int) -> int:
    """`last` of the row after adding `count` to it; a missing row is created at `count`."""
    with connection.cursor() as cursor:
        if count == 1:
            cursor.execute(_NEXT, [series, period])
        else:
            cursor.execute(_BLOCK, [count, series, period])
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    try:
        with transaction.atomic():
            NumberCounter.objects.create(series=series, period=period, last=count)
    except IntegrityError:
        return _bump(series, period, count)  # another caller created the row first
    return count


def take_blocks(series: str, counts: Mapping[str, int]) -> dict[str, int]:
    """`take_block` of many periods of one series, e.g. {"2025-03-02": count} -> {"2025-03-02":
    first number}: what a loop of `take_block` over the sorted periods gives, gap-free alike.
    On PostgreSQL it costs at most three statements whatever the number of periods (a bulk
    import's batch spans a year of days). The existing rows are locked in period order, as
    the loop would; rows created here come after them, so two loads that create the same new
    periods at the same time may deadlock: PostgreSQL then rolls one back whole (its numbers
    unused, no gap). Periods of one series have one format, so their text order is the order
    of the days or years they name."""
    if any(count < 1 for count in counts.values()):
        raise ValueError("count must be at least 1")
    periods = sorted(counts)
    if connection.vendor != "postgresql" or len(periods) < 2:
        return {period: take_block(series, period, counts[period]) for period in periods}
    series = str(series)
    with connection.cursor() as cursor:
        last = _bump_existing(cursor, series, periods, counts)
        missing = [p for p in periods if p not in last]
        if missing:
            last |= _create_missing(cursor, series, missing, counts)
    return {
        p: int(last[p]) - counts[p] + 1 if p in last else take_block(series, p, counts[p])
        for p in periods
    }


def _bump_existing(
    cursor: CursorWrapper, series: str, periods: list[str], counts: Mapping[str, int]
) -> dict[str, int]:
    """The existing rows of `periods`, locked in period order and bumped: period -> last."""
    cursor.execute(
        f"SELECT 1 FROM {_TABLE} WHERE series = %s AND period = ANY(%s::text[])"  # noqa: S608
        ' ORDER BY period COLLATE "C" FOR UPDATE',  # byte order, as sorted() in take_blocks
        [series, periods],
    )
    cursor.execute(
        f"UPDATE {_TABLE} AS c SET last = c.last + v.n"  # noqa: S608
        " FROM unnest(%s::text[], %s::integer[]) AS v(p, n)"
        " WHERE c.series = %s AND c.period = v.p RETURNING c.period, c.last",
        [periods, [counts[p] for p in periods], series],
    )
    return dict(cursor.fetchall())


def _create_missing(
    cursor: CursorWrapper, series: str, missing: list[str], counts: Mapping[str, int]
) -> dict[str, int]:
    """New rows start at their count; a row another caller created meanwhile is left out (to
    take_block)."""
    cursor.execute(
        f"INSERT INTO {_TABLE} (series, period, last)"  # noqa: S608
        " SELECT %s, v.p, v.n FROM unnest(%s::text[], %s::integer[]) AS v(p, n)"
        " ON CONFLICT (series, period) DO NOTHING RETURNING period, last",
        [series, missing, [counts[p] for p in missing]],
    )
    return dict(cursor.fetchall())
