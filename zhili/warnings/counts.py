"""The matrix rule (e) scans (zhili/warnings/surge.py): cases per village × category × day.

Days are the county's calendar days (settings.TIME_ZONE, Asia/Shanghai), not UTC ones: a case
registered at 07:30 UTC+8 belongs to that morning, not to the evening before.
"""

from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import Count
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
    rows = (
        Case.objects.filter(
            registered_at__gte=datetime.combine(first, time.min, tzinfo=zone),
            registered_at__lt=datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone),
            village__isnull=False,
        )
        .annotate(day=TruncDate("registered_at", tzinfo=zone))
        .values_list("village_id", "category_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    villages, categories, days, numbers = [], [], [], []
    for village, category, on, n in rows:
        villages.append(village)
        categories.append(category)
        days.append(on)
        numbers.append(n)
    village_ids, village_at = np.unique(np.array(villages, dtype=np.int64), return_inverse=True)
    category_ids, category_at = np.unique(np.array(categories, dtype=np.int64), return_inverse=True)
    day_at = (np.array(days, dtype="datetime64[D]") - np.datetime64(first, "D")).astype(np.int64)
    counts = np.zeros((len(village_ids), len(category_ids), history_days), dtype=np.int64)
    counts[village_at, category_at, day_at] = numbers
    return counts, village_ids.tolist(), category_ids.tolist()
