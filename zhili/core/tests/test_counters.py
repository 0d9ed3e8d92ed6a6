"""Gap-free counters: one number at a time (`take_next`, one statement when the row exists),
many counter rows at once (`take_blocks`) giving what one `take_block` per row gives, whether
the rows exist or not; and the migration that moved the four apps' counters into core."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext

from zhili.core.counters import take_block, take_blocks, take_next
from zhili.core.models import NumberCounter, Series

pytestmark = pytest.mark.django_db


def _rows(series: str = Series.CASE) -> dict[str, int]:
    return dict(NumberCounter.objects.filter(series=series).values_list("period", "last"))


def test_take_next_counts_each_series_and_period_apart() -> None:
    assert take_next(Series.CASE, "2025-03-01") == 1
    assert take_next(Series.CASE, "2025-03-01") == 2
    assert take_next(Series.CASE, "2025-03-02") == 1
    assert take_next(Series.ORDER, "2025") == 1
    assert take_next(Series.PETITION.value, "2025") == 1  # a plain string does as well
    assert _rows() == {"2025-03-01": 2, "2025-03-02": 1}
    assert _rows(Series.ORDER) == {"2025": 1}
    assert _rows(Series.PETITION) == {"2025": 1}


def test_take_next_is_one_statement_when_the_row_exists() -> None:
    """The intake's hot path: one UPDATE ... RETURNING, no SELECT first."""
    NumberCounter.objects.create(series=Series.DISPUTE, period="2026", last=41)
    with CaptureQueriesContext(connection) as queries:
        assert take_next(Series.DISPUTE, "2026") == 42
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("UPDATE")


def test_take_blocks_continues_existing_rows_and_creates_missing_ones() -> None:
    NumberCounter.objects.create(series=Series.CASE, period="2025-03-02", last=7)
    NumberCounter.objects.create(series=Series.CASE, period="2025-03-04", last=1)
    NumberCounter.objects.create(series=Series.ORDER, period="2025-03-01", last=50)
    counts = {"2025-03-04": 2, "2025-03-01": 3, "2025-03-02": 5}
    with CaptureQueriesContext(connection) as queries:
        firsts = take_blocks(Series.CASE, counts)
    assert firsts == {"2025-03-01": 1, "2025-03-02": 8, "2025-03-04": 2}
    if connection.vendor == "postgresql":
        assert len(queries) <= 3
    assert _rows() == {"2025-03-01": 3, "2025-03-02": 12, "2025-03-04": 3}
    assert _rows(Series.ORDER) == {"2025-03-01": 50}  # another series is left alone
    # The next numbers follow on, whichever way they are taken.
    assert take_blocks(Series.CASE, {"2025-03-01": 1}) == {"2025-03-01": 4}
    assert take_block(Series.CASE, "2025-03-02", 1) == 13
    assert take_blocks(Series.CASE, {}) == {}


def test_take_blocks_refuses_an_empty_block() -> None:
    with pytest.raises(ValueError):
        take_blocks(Series.CASE, {"2025-03-01": 2, "2025-03-02": 0})
    assert not NumberCounter.objects.exists()


# The migrations that moved the apps' own counters into core, each with its old counter model
# holding one row, and where that row's number lives in core.
MOVES = [
    ("cases", "0014_number_counter_to_core", "CaseNumberCounter", {"day": date(2025, 3, 2)}),
    ("petitions", "0009_number_counter_to_core", "PetitionNumberCounter", {"year": 2025}),
    ("mediation", "0009_number_counter_to_core", "DisputeNumberCounter", {"year": 2026}),
    ("supervision", "0006_number_counter_to_core", "OrderNumberCounter", {"year": 2026}),
]
MOVED = {
    ("case", "2025-03-02"): 7,
    ("petition", "2025"): 12,
    ("dispute", "2026"): 3,
    ("order", "2026"): 5,
}


def _counters() -> dict[tuple[str, str], int]:
    rows = NumberCounter.objects.values_list("series", "period", "last")
    return {(series, period): last for series, period, last in rows}


@pytest.mark.django_db(transaction=True)
def test_the_old_counters_move_into_core_and_back() -> None:
    """Each move migration unapplied and applied on its own (rolling the whole project back
    and forth renders every model state and takes half a minute)."""
    executor = MigrationExecutor(connection)
    nodes = [(app, name) for app, name, _, _ in MOVES]

    def move(node: tuple[str, str], forwards: bool) -> None:
        state = executor.loader.project_state(node, at_end=False)  # both ways: the state before
        migration = executor.loader.graph.nodes[node]
        if forwards:
            executor.apply_migration(state, migration)
        else:
            executor.unapply_migration(state, migration)

    try:
        for node in nodes:
            move(node, forwards=False)
        NumberCounter.objects.create(series="other", period="2026", last=3)
        for (app, name, model, key), last in zip(MOVES, MOVED.values(), strict=True):
            apps = executor.loader.project_state((app, name), at_end=False).apps
            apps.get_model(app, model).objects.create(**key, last=last)
            move((app, name), forwards=True)
        assert _counters() == {**MOVED, ("other", "2026"): 3}
        assert take_next(Series.CASE, "2025-03-02") == 8  # the numbering continues

        for (app, name, model, key), last in zip(MOVES, MOVED.values(), strict=True):
            move((app, name), forwards=False)  # and back
            apps = executor.loader.project_state((app, name), at_end=False).apps
            rows = apps.get_model(app, model).objects.values_list(*key, "last")
            assert list(rows) == [(*key.values(), 8 if app == "cases" else last)]
        assert _counters() == {("other", "2026"): 3}
    finally:
        applied = MigrationRecorder(connection).applied_migrations()
        for node in nodes:
            if node not in applied:
                move(node, forwards=True)
