"""An index for the data-quality metric (zhili/assessment/data_quality.py), which counts the
cases each township's own people registered in a period (a whole year for the assessment's
year, `bench/assessment.py`).

- `case_registrar` (SQLite only): the registering user, the time, and every column the
  metric's checks read, for the cases that name a registrar. SQLite counts each of the
  townships' users' slice of the period from the index alone, already grouped; through the
  registered_at index it read every case of the year, a table row each, and sorted those
  the county's dispatchers registered (most of them, none a township's entry) for the
  grouping: 0.48 s of CPU for a year at 1M cases against 0.045 s (the metric's whole count,
  with the keepers a ranked unit owns, `bench/assessment.py`). The index covers the checks as
  they stand (`RECORDS` in data_quality.py): a check on another column still counts right,
  reading the table rows again. PostgreSQL scans the year in parallel and chose the seq
  scan over this index (the same as over `case_unit_figures`, migration 0017), so it does
  not pay for the index on every case write.

Raw SQL: it depends on the engine and changes no model field.
"""

from typing import Any

from django.db import migrations

REGISTRAR_COLUMNS = (
    "registered_by_id, registered_at, grid_id, out_of_area, anonymous, reporter_phone, "
    "reporter_name"
)


def create_registrar_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS case_registrar ON cases_case ({REGISTRAR_COLUMNS}) "
            "WHERE registered_by_id IS NOT NULL"
        )


def drop_registrar_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS case_registrar")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_unit_figures_indexes"),
    ]

    operations = [
        migrations.RunPython(create_registrar_index, drop_registrar_index),
    ]
