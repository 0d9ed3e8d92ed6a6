"""What the 月分析's sections share: the three months compared (the month, the month before for
环比, the same month a year before for 同比), the month's cases counted once by (channel,
category, township, lead unit) and kept on the builder for every section, and the links to
the case list with the filters that list exactly the counted cases.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count

from zhili.cases.models import Case, Category, Rating
from zhili.reports.periods import day_start
from zhili.reports.sections import Builder

CASES = "cases:list"
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)


@dataclass(frozen=True)
class Span:
    """A month as the case list filters it: [first, last] local days."""

    name: str  # "本月", "上月", "去年同月"
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        return day_start(self.last + timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.first.year}年{self.first.month}月"

    def registered(self) -> dict[str, str]:
        return {
            "registered_from": f"{self.first:%Y-%m-%d}",
            "registered_to": f"{self.last:%Y-%m-%d}",
        }

    def dispatched(self) -> dict[str, str]:
        return {
            "dispatched_from": f"{self.first:%Y-%m-%d}",
            "dispatched_to": f"{self.last:%Y-%m-%d}",
        }


def _month(first: date, name: str) -> Span:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Span(name, first, following - timedelta(days=1))


def spans(builder: Builder) -> tuple[Span, Span, Span]:
    """The month, the month before and the same month of the year before."""
    first = builder.period.first
    before = (first - timedelta(days=1)).replace(day=1)
    return (
        Span("本月", first, builder.period.last),
        _month(before, "上月"),
        _month(first.replace(year=first.year - 1), "去年同月"),
    )


@dataclass
class MonthCounts:
    """One month's cases, grouped: (channel, category id, township id, rating) -> cases. The
    rating is a key rather than a filtered count: SQLite groups a column at a third of the cost
    of two conditional counts (bench/reports.py). The sums by one part of the key and the
    rows of one category are summed once, the first time a section asks."""

    rows: dict[tuple[str, int, int | None, str], int]
    _parts: dict[int, Counter[Any]] = field(default_factory=dict, repr=False, compare=False)
    _categories: dict[int, "MonthCounts"] | None = field(default=None, repr=False, compare=False)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def by(self, index: int) -> Counter[Any]:
        """Cases by one part of the key (0 channel, 1 category, 2 township, 3 rating)."""
        if index not in self._parts:
            counts: Counter[Any] = Counter()
            for key, n in self.rows.items():
                counts[key[index]] += n
            self._parts[index] = counts
        return Counter(self._parts[index])

    def of_category(self, category: int) -> "MonthCounts":
        """The rows of one category, as counts of their own."""
        if self._categories is None:
            grouped: dict[int, dict[tuple[str, int, int | None, str], int]] = {}
            for key, n in self.rows.items():
                grouped.setdefault(key[1], {})[key] = n
            self._categories = {pk: MonthCounts(rows) for pk, rows in grouped.items()}
        return self._categories.get(category) or MonthCounts({})

    def rated(self) -> tuple[int, int]:
        """(rated, satisfied or basically satisfied)."""
        ratings = self.by(3)
        rated = sum(n for rating, n in ratings.items() if rating)
        return rated, sum(ratings[rating] for rating in SATISFIED)


def month_counts(builder: Builder, span: Span) -> MonthCounts:
    """The month's grouped counts, one query per month and report (kept on the builder)."""
    key = f"monthly.counts.{span.first:%Y-%m}"
    if key not in builder.shared:
        rows = (
            Case.objects.filter(registered_at__gte=span.start, registered_at__lt=span.end)
            .order_by()
            .values_list("channel", "category_id", "township_id", "rating")
            .annotate(n=Count("id"))
        )
        builder.shared[key] = MonthCounts({tuple(r[:4]): r[4] for r in rows})  # type: ignore[misc]
    counts: MonthCounts = builder.shared[key]
    return counts


def categories(builder: Builder) -> dict[int, Category]:
    """Every category by id (a few hundred rows), read once per report."""
    if "monthly.categories" not in builder.shared:
        builder.shared["monthly.categories"] = {c.pk: c for c in Category.objects.all()}
    found: dict[int, Category] = builder.shared["monthly.categories"]
    return found


def change(now: int, then: int) -> str:
    """环比 / 同比 as a signed percentage; "—" without a base."""
    return f"{(now - then) / then:+.1%}" if then else "—"


def share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "—"


def cases_url(builder: Builder, span: Span, **filters: object) -> str:
    return builder.list_url(CASES, **span.registered(), **filters)
