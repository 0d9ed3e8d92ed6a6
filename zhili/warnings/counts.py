"""The matrix rule (e) scans (zhili/warnings/surge.py): cases per village × category × day.

Days are the county's calendar days (settings.TIME_ZONE, Asia/Shanghai), not UTC ones: a case
registered at 07:30 UTC+8 belongs to that morning, not to the evening before.

When the zone's offset is the same all through the days read (always, for China: no daylight
saving since 1991), every local day is 86,400 s from the first day's local midnight, and the
database gives each case's day as a whole number of days from it (`DayIndex`). The cases come
back as one row of two lists (`Packed`: the village ids, and category id × days + day
index, each in the cases' one order) that numpy reads: 84,000 rows through the driver took
longer than the query (about 110 ms of a 240 ms read at 1M cases a year on SQLite), and the
database's grouping sorted them to gain nothing, a village × category × day holding one case
or none. Otherwise (a zone with daylight saving) the database truncates each moment to its
local date (Django's `TruncDate`, a Python function per row on SQLite) and groups.
"""

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import numpy as np
from django.db.models import Aggregate, Count, F, Func, IntegerField, QuerySet, TextField, Value
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
    every grid) are left out. One query (see the module's docstring)."""
    if history_days < 1:
        raise ValueError("history_days must be at least 1")
    zone = timezone.get_default_timezone()
    first = day - timedelta(days=history_days - 1)
    start = datetime.combine(first, time.min, tzinfo=zone)
    cases = Case.objects.filter(
        registered_at__gte=start,
        registered_at__lt=datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone),
        village__isnull=False,
    ).order_by()
    if _fixed_offset(zone, first, history_days):
        villages, categories, day_at, numbers = _packed(cases, start, history_days)
    else:
        villages, categories, day_at, numbers = _grouped(cases, zone, first)
    village_ids, village_at = np.unique(villages, return_inverse=True)
    category_ids, category_at = np.unique(categories, return_inverse=True)
    shape = (len(village_ids), len(category_ids), history_days)
    cell = np.ravel_multi_index((village_at, category_at, day_at), shape)
    counts = np.bincount(cell, weights=numbers, minlength=int(np.prod(shape)))
    return (
        counts.astype(np.int64).reshape(shape),
        village_ids.tolist(),
        category_ids.tolist(),
    )


Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _packed(cases: QuerySet[Case], start: datetime, days: int) -> Arrays:
    """(village, category, day index, 1) per case, read as one row of two lists."""
    cell = F("category_id") * days + DayIndex("registered_at", start)
    row = cases.aggregate(villages=Packed("village_id"), cells=Packed(cell))
    villages = _numbers(row["villages"])
    cells = _numbers(row["cells"])
    if len(villages) != len(cells):  # both lists are of the same rows, in the same order
        raise RuntimeError("the packed lists of the cases differ in length")
    categories, day_at = np.divmod(cells, days)
    return villages, categories, day_at, np.ones(len(villages), dtype=np.int64)


def _numbers(text: str | None) -> np.ndarray:
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


def _grouped(cases: QuerySet[Case], zone: tzinfo, first: date) -> Arrays:
    """(village, category, day index, count) per village × category × local date, grouped by
    the database (`TruncDate` in the zone)."""
    rows = list(
        cases.annotate(day=TruncDate("registered_at", tzinfo=zone))
        .values_list("village_id", "category_id", "day")
        .annotate(n=Count("id"))
    )
    n = len(rows)
    return (
        np.fromiter((row[0] for row in rows), np.int64, n),
        np.fromiter((row[1] for row in rows), np.int64, n),
        np.fromiter(((row[2] - first).days for row in rows), np.int64, n),
        np.fromiter((row[3] for row in rows), np.int64, n),
    )


def _fixed_offset(zone: tzinfo, first: date, days: int) -> bool:
    """Whether `zone` keeps one UTC offset from `first`'s midnight to the last day's end."""
    offsets = {
        datetime.combine(first + timedelta(days=n), time.min, tzinfo=zone).utcoffset()
        for n in range(days + 1)
    }
    return len(offsets) == 1


class Packed(Aggregate):
    """The values of an integer expression over the rows, as one comma-separated text."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="STRING_AGG((%(expressions)s)::text, ',')", **extra
        )


class DayIndex(Func):
    """Whole days (of 86,400 s) from `start` to the moment in `field`, for moments at or
    after `start` (the division truncates: it is the floor)."""

    output_field = IntegerField()

    def __init__(self, field: str, start: datetime) -> None:
        super().__init__(F(field), Value(int(start.timestamp())))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "((CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) - %(start)s) / 86400)"
        return self._with_start(compiler, connection, template)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(FLOOR((EXTRACT(EPOCH FROM %(expressions)s) - %(start)s) / 86400)::bigint)"
        return self._with_start(compiler, connection, template)

    def _with_start(self, compiler: Any, connection: Any, template: str) -> Any:
        field, start = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        start_sql, start_params = compiler.compile(start)
        sql = template % {"expressions": field_sql, "start": start_sql}
        return sql, (*field_params, *start_params)
