"""The matrix rule (e) scans (zhili/warnings/surge.py): cases per village × category × day.

Days are the county's calendar days (settings.TIME_ZONE, Asia/Shanghai), not UTC ones: a case
registered at 07:30 UTC+8 belongs to that morning, not to the evening before.

The database truncates each moment to its local date. PostgreSQL does it natively
(`AT TIME ZONE`, Django's `TruncDate`); SQLite knows no time zones, and Django's `TruncDate`
calls a Python function there for every row (about 4 s for the 84,000 cases of 29 days at a
million a year), so when the zone's offset is the same all through the days read (always, for
China: no daylight saving since 1991) SQLite shifts by that offset in its own `date()`
(about 0.3 s).
"""

from datetime import date, datetime, time, timedelta, tzinfo

import numpy as np
from django.db import connection
from django.db.models import CharField, Count, Func, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import TruncDate
from django.utils import timezone

from zhili.cases.models import Case
from zhili.warnings.surge import BASELINE_DAYS


def case_counts(
    day: date, *, history_days: int = BASELINE_DAYS + 1
) -> tuple[np.ndarray, list[int], list[int]]:
    """(counts, village ids, category ids) for the `history_days` days ending with `day`.

    counts[i, j, k] is the number of cases of category `category_ids[j]` registered in village
    `village_ids[i]` on day `day - (history_days - 1 - k)`, so that `day` is the last index.
    The axes hold the villages and categories with at least one case in those days (ids in
    ascending order); a cell that had none cannot surge. Cases without a village (outside
    every grid) are left out. One grouped query: the database truncates to the local date
    and groups by village, category and day."""
    if history_days < 1:
        raise ValueError("history_days must be at least 1")
    zone = timezone.get_default_timezone()
    first = day - timedelta(days=history_days - 1)
    query = (
        Case.objects.filter(
            registered_at__gte=datetime.combine(first, time.min, tzinfo=zone),
            registered_at__lt=datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone),
            village__isnull=False,
        )
        .annotate(day=local_date("registered_at", zone, first, history_days))
        .values_list("village_id", "category_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    # The ORM's query on a plain cursor: some 80,000 rows, without the per-row converters.
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    n = len(rows)
    villages = np.fromiter((row[0] for row in rows), np.int64, n)
    categories = np.fromiter((row[1] for row in rows), np.int64, n)
    numbers = np.fromiter((row[3] for row in rows), np.int64, n)
    # 29 distinct days among the rows: each converted once.
    index = {on: (as_date(on) - first).days for on in {row[2] for row in rows}}
    day_at = np.fromiter((index[row[2]] for row in rows), np.int64, n)
    village_ids, village_at = np.unique(villages, return_inverse=True)
    category_ids, category_at = np.unique(categories, return_inverse=True)
    counts = np.zeros((len(village_ids), len(category_ids), history_days), dtype=np.int64)
    counts[village_at, category_at, day_at] = numbers
    return counts, village_ids.tolist(), category_ids.tolist()


def local_date(field: str, zone: tzinfo, first: date, days: int) -> Combinable:
    """`field`'s date in `zone`, computed by the database, for moments of the `days` days from
    `first` on (see the module's docstring)."""
    if connection.vendor != "sqlite":
        return TruncDate(field, tzinfo=zone)
    offsets = {
        datetime.combine(first + timedelta(days=n), time.min, tzinfo=zone).utcoffset()
        for n in range(days + 1)
    }
    if len(offsets) != 1:  # daylight saving begins or ends in these days
        return TruncDate(field, tzinfo=zone)
    seconds = int(offsets.pop().total_seconds())  # type: ignore[union-attr]
    # The ISO text as SQLite gives it (case_counts converts each distinct day once, rather
    # than Django's DateField converter on every row).
    return Func(field, Value(f"{seconds:+d} seconds"), function="date", output_field=CharField())


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
