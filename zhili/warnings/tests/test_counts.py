"""The matrix of rule (e) read from the cases (zhili/warnings/counts.py)."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhili.cases.models import Case
from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401  (fixtures)
from zhili.conftest import Tree
from zhili.warnings.counts import case_counts
from zhili.warnings.surge import detect_surges

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 20)  # the scanned day (a Friday); nothing here reads the clock


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 on the county's clock."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def cases(register: Any, catalog: Tree, tree: Tree) -> Tree:  # noqa: F811
    """Cases in v11 (default point), v12 and v21, and one out of every grid; each moved to a
    chosen moment."""

    def case(moment: datetime, category: Any = None, lng: float = 118.705, lat: float = 34.505):
        made = register(category=category or catalog.noise, lat=lat, lng=lng)
        Case.objects.filter(pk=made.pk).update(registered_at=moment)
        return made

    v12 = dict(lng=118.725, lat=34.505)
    v21 = dict(lng=118.705, lat=34.515)
    case(at(20, 9))
    case(at(20, 10))
    case(at(20, 0, 30))  # 16:30 UTC on the 19th: the 20th in the county
    case(at(19, 23, 30))  # 15:30 UTC on the 19th: the 19th
    case(at(19, 8), catalog.lamp, **v12)
    case(at(18, 8), catalog.lamp, **v21)
    case(at(18, 9), catalog.lamp, **v21)
    case(at(21, 0, 0))  # the day after: not read
    case(at(17, 23, 59))  # before the history: not read
    case(at(20, 11), lng=100.0, lat=20.0)  # outside every grid: no village
    return tree


def test_the_matrix_counts_local_days(cases: Tree, catalog: Tree) -> None:  # noqa: F811
    assert Case.objects.filter(village__isnull=True).count() == 1
    with CaptureQueriesContext(connection) as queries:
        counts, villages, categories = case_counts(DAY, history_days=3)
    assert len(queries) == 1
    assert villages == sorted([cases.v11.pk, cases.v12.pk, cases.v21.pk])
    assert categories == sorted([catalog.noise.pk, catalog.lamp.pk])
    assert counts.shape == (3, 2, 3)
    v, c = villages.index, categories.index
    # day axis: the 18th, the 19th, the 20th
    assert counts[v(cases.v11.pk), c(catalog.noise.pk)].tolist() == [0, 1, 3]
    assert counts[v(cases.v12.pk), c(catalog.lamp.pk)].tolist() == [0, 1, 0]
    assert counts[v(cases.v21.pk), c(catalog.lamp.pk)].tolist() == [2, 0, 0]
    assert counts.sum() == 7


def test_a_single_day_and_an_empty_window(cases: Tree, catalog: Tree) -> None:  # noqa: F811
    counts, villages, categories = case_counts(DAY, history_days=1)
    assert villages == [cases.v11.pk] and categories == [catalog.noise.pk]
    assert counts.tolist() == [[[3]]]
    counts, villages, categories = case_counts(date(2026, 1, 1), history_days=29)
    assert counts.shape == (0, 0, 29) and villages == [] and categories == []
    assert detect_surges(counts) == []


def test_the_matrix_feeds_the_scan(cases: Tree, catalog: Tree, register: Any) -> None:  # noqa: F811
    """28 quiet days of one case in v11, then six on the scanned day: a surge, named by the
    ids of the axes."""
    for day in range(23, 31):
        made = register()
        Case.objects.filter(pk=made.pk).update(
            registered_at=datetime(2026, 10, day, 10, tzinfo=SHANGHAI)
        )
    counts, villages, categories = case_counts(DAY, history_days=29)
    assert counts.shape[2] == 29 and counts[:, :, -1].sum() == 3
    for _ in range(5):
        made = register()
        Case.objects.filter(pk=made.pk).update(registered_at=at(20, 15))
    counts, villages, categories = case_counts(DAY, history_days=29)
    [surge] = detect_surges(counts)
    assert (villages[surge.village], categories[surge.category]) == (cases.v11.pk, catalog.noise.pk)
    assert surge.observed == 8


def test_days_across_a_daylight_saving_change(
    register: Any,  # noqa: F811
    catalog: Tree,  # noqa: F811
    tree: Tree,
    settings: Any,
) -> None:
    """A zone whose offset changes inside the days read (Berlin, 25 October 2026: UTC+2, then
    UTC+1) still gets its local days (Django's TruncDate, not a fixed shift)."""
    settings.TIME_ZONE = "Europe/Berlin"
    berlin = ZoneInfo("Europe/Berlin")
    for moment in (
        datetime(2026, 10, 24, 23, 30, tzinfo=berlin),  # 21:30 UTC
        datetime(2026, 10, 25, 0, 30, tzinfo=berlin),  # 22:30 UTC on the 24th
        datetime(2026, 10, 25, 23, 30, tzinfo=berlin),  # 22:30 UTC
    ):
        made = register()
        Case.objects.filter(pk=made.pk).update(registered_at=moment)
    counts, _villages, _categories = case_counts(date(2026, 10, 25), history_days=2)
    assert counts[0, 0].tolist() == [1, 2]
