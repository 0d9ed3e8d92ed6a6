"""Indexes for the unit figures (zhili/cases/figures.py), which the assessment reads for a
whole year (zhili/assessment/metrics.py, `bench/assessment.py`).

- `case_unit_figures` (SQLite only): every column the grouped count of a unit's cases reads,
  led by the unit and the dispatch time, so that SQLite counts a unit's slice of the period
  from the index alone, in the unit's order (no sort for the grouping, no table row). A
  year at 1M cases took 1.5 s through the dispatched_at index (a table row per case, then a
  sort of 835,000 rows), 0.4 s through this one. PostgreSQL counts a year by a parallel
  scan of the table (0.5 s) and never chose this index even with a visibility map, so it
  does not pay for the index on every case write.
- `case_event_action` (both): the timeline's loop rows (退单, 审核退回, 申请退单 ...) of a
  period are found by action and time; the only index on the timeline led by the case, so
  a year's rows meant reading every event of every case.

Raw SQL: the first depends on the engine, and neither changes a model's fields.
"""

from typing import Any

from django.db import migrations

FIGURE_COLUMNS = (
    "lead_unit_id, dispatched_at, acknowledged_at, acknowledge_due_at, held_at, replied_at, "
    "due_at, closed_at, state, extended, card, rating"
)


def create_figures_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS case_unit_figures ON cases_case ({FIGURE_COLUMNS})"
        )


def drop_figures_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS case_unit_figures")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_channel_video"),
    ]

    operations = [
        migrations.RunPython(create_figures_index, drop_figures_index),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS case_event_action ON cases_caseevent (action, created_at)",
            "DROP INDEX IF EXISTS case_event_action",
        ),
    ]
