"""Keeping the screen's daily figures current: a day's rows are rebuilt from four grouped
queries over that day's cases (each by an indexed or bounded moment column), never by a loop
over cases. The scheduler rebuilds today and yesterday every SCREEN_REFRESH_SECONDS
(config/schedule.py); `zhili screen_backfill` rebuilds the past once."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from zhili.cases.figures import ON_TIME
from zhili.cases.models import Card, Case, Rating
from zhili.core.dates import period_bounds
from zhili.screen.models import ALL_CATEGORIES, ALL_SOURCES, DailyFigure
from zhili.screen.sources import source_of

Key = tuple[str, str, int]  # path, source, category id

# Each count: the moment that dates it, and the condition a case must meet to be counted.
MEASURES: dict[str, tuple[str, dict[str, Q]]] = {
    "registered_at": ("received", {"received": Q()}),
    "dispatched_at": ("dispatched", {"dispatched": Q()}),
    "closed_at": ("closed", {"closed": Q(), "closed_on_time": ON_TIME}),
    "rated_at": (
        "rated",
        {
            "rated": Q(),
            "satisfied": Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED]),
        },
    ),
    "card_at": (
        "cards",
        {"red_cards": Q(card=Card.RED), "yellow_cards": Q(card=Card.YELLOW)},
    ),
}


def _day_counts(day: date) -> dict[Key, dict[str, int]]:
    """`day`'s rows: per area and source, every count over all categories (category 0);
    per area and category, the cases received over all sources (source "")."""
    begin, end = period_bounds(day, day)
    counts: dict[Key, dict[str, int]] = defaultdict(dict)
    area = Coalesce(NullIf(F("area_path"), Value("")), F("dispatch_path"))
    for moment, (_, measures) in MEASURES.items():
        rows = (
            Case.objects.filter(**{f"{moment}__gte": begin, f"{moment}__lt": end})
            .annotate(area=area)
            .values("area", "channel", "category_id")
            .annotate(**{name: Count("pk", filter=cond) for name, cond in measures.items()})
            .order_by()
        )
        for row in rows:
            values: dict[str, Any] = dict(row)
            total = counts[(values["area"], source_of(values["channel"]), ALL_CATEGORIES)]
            for name in measures:
                total[name] = total.get(name, 0) + values[name]
            if moment == "registered_at":
                by_category = counts[(values["area"], ALL_SOURCES, values["category_id"])]
                by_category["received"] = by_category.get("received", 0) + values["received"]
    return counts


def prefixes(path: str) -> list[str]:
    """The organization paths that hold `path`, itself included: "/a/b/" -> "/a/", "/a/b/"."""
    parts = path.strip("/").split("/")
    return [f"/{'/'.join(parts[: n + 1])}/" for n in range(len(parts))]


def roll_up(counts: dict[Key, dict[str, int]]) -> dict[Key, dict[str, int]]:
    """Counts per area path -> counts per organization path over its whole subtree: each
    area's counts added to the row of every path that holds it (village, township, county),
    so that a screen reads its own path's rows alone, a few hundred whatever the cases."""
    subtree: dict[Key, dict[str, int]] = defaultdict(dict)
    for (path, source, category), values in counts.items():
        for prefix in prefixes(path):
            row = subtree[(prefix, source, category)]
            for name, n in values.items():
                row[name] = row.get(name, 0) + n
    return subtree


def figure_rows(day: date, counts: dict[Key, dict[str, int]]) -> list[DailyFigure]:
    return [
        DailyFigure(day=day, path=path, source=source, category_id=category, **values)
        for (path, source, category), values in roll_up(counts).items()
        if any(values.values())
    ]


@transaction.atomic
def refresh_day(day: date) -> int:
    """Rebuild `day`'s rows from the cases; the number of rows written."""
    rows = figure_rows(day, _day_counts(day))
    DailyFigure.objects.filter(day=day).delete()
    DailyFigure.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def refresh_days(days: Iterable[date]) -> int:
    return sum(refresh_day(day) for day in days)


def refresh_recent(now: datetime | None = None) -> int:
    """Today and yesterday (a case closed or rated after midnight moves yesterday's counts
    only through its own moment, but a card or a reopening may change yesterday's rows)."""
    today = timezone.localdate(now or timezone.now())
    return refresh_days([today - timedelta(days=1), today])
