"""How many rows a list holds: the exact number up to 10,000, an estimate above.

A list pages by keyset, so it never needs a total to page; the total tells the officer how
big the result is. Counting exactly is cheap for small results and for small tables, but a
scoped list over a big table pays for every row of its scope: at 1M cases a township's
COUNT took 1.1-2.0 s on SQLite and on PostgreSQL (its scope is an OR of three paths and an
EXISTS, which neither database turns into index ranges for a count), and PostgreSQL's
planner, asked for an estimate instead, was 5-10 times off for it (529,773 for 66,493 rows).

So (docs/architecture.md, "Totals of the lists"):

- a table of up to SMALL_TABLE rows (by its id range) is counted exactly;
- otherwise a systematic sample estimates the result: POINTS ids spread evenly over the id
  range, read by primary key with the list's own filters, in one statement; the share that
  matches, times the id range, is the estimate. Single ids, not runs of ids: a result
  gathered in one stretch of the table (the last week's cases) holds its fair share of the
  points, where a run of 500 ids falling inside it made it look 100 times bigger. The
  relative error is about 1/sqrt(matches): some 11 % at 20,000 of 1M;
- an estimate of at least twice EXACT_UP_TO is shown as such ("约 6.5 万条"); below that the
  rows are counted exactly up to EXACT_UP_TO + 1 (a LIMIT, so a big result costs at most that
  many rows), and a result past EXACT_UP_TO shows the estimate, never less than that.
"""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from zhili.core.sharedcache import CACHE_ERRORS

EXACT_UP_TO = 10_000
SMALL_TABLE = 50_000
POINTS = 4_000


@dataclass(frozen=True)
class Total:
    value: int
    exact: bool

    @property
    def text(self) -> str:
        """共 9,876 条 / 约 6.5 万条 / 约 43 万条."""
        if self.exact:
            return f"共 {self.value:,} 条"
        wan = self.value / 10_000
        return f"约 {wan:.1f} 万条" if wan < 100 else f"约 {wan:,.0f} 万条"


def count_or_estimate(qs: QuerySet) -> Total:
    """The number of rows of `qs`, exact up to EXACT_UP_TO, else estimated (see above)."""
    qs = qs.order_by()
    ids = id_range(qs)
    if ids is None:
        return Total(0, True)
    low, high = ids
    if high - low + 1 <= max(SMALL_TABLE, POINTS):
        return Total(qs.count(), True)
    estimate = sampled(qs, low, high)
    if estimate >= 2 * EXACT_UP_TO:
        return Total(estimate, False)
    counted = qs[: EXACT_UP_TO + 1].count()
    if counted <= EXACT_UP_TO:
        return Total(counted, True)
    return Total(max(estimate, counted), False)


def id_range(qs: QuerySet) -> tuple[int, int] | None:
    """The lowest and highest id of `qs`'s whole table (two index lookups), or None when it
    is empty."""
    rows = qs.model._default_manager.order_by()
    low = rows.order_by("pk").values_list("pk", flat=True).first()
    high = rows.order_by("-pk").values_list("pk", flat=True).first()
    return None if low is None or high is None else (int(low), int(high))


def sampled(qs: QuerySet, low: int, high: int) -> int:
    """The rows of `qs` estimated from POINTS ids spread evenly from `low` to `high`, in one
    statement."""
    span = high - low + 1
    step = span / POINTS
    points = sorted({low + int(n * step) for n in range(POINTS)})
    matches = qs.filter(pk__in=points).count()
    return round(matches * span / len(points))


def remembered(key: str, compute: Callable[[], Total], *, seconds: int = 60) -> Total:
    """`compute()`, kept in the cache under `key` for `seconds`: paging through a list asks
    for its total once a minute, not on every page. A cache that cannot be reached is not
    an error: the total is computed."""
    try:
        found = cache.get(key)
    except CACHE_ERRORS:
        found = None
    if isinstance(found, Total):
        return found
    total = compute()
    with suppress(*CACHE_ERRORS):
        cache.set(key, total, seconds)
    return total
