"""The screen's first paint at a million cases (issue 16).

- A daily figure's row counts its organization's whole subtree (the village's, its
  township's and the county's rows), no longer its own area path alone: the rows there are
  rolled up day by day, without reading the cases; the keys follow (a screen reads its own
  path's days).
- The open carded cases (warnings, the red-card layer) through a partial index of the carded
  cases by state, newest card first: the few hundred carded rows of the open states, not the
  open cases (570,000 of the bench's million). Raw SQL, valid on SQLite and PostgreSQL, as
  0001's, because the cases app owns the table; `card_at IS NOT NULL` (set and cleared with
  the card) is a condition without a value, which SQLite matches in a query
  (selectors.carded)."""

from typing import Any

from django.db import migrations, models

FIELDS = (
    "received",
    "dispatched",
    "closed",
    "closed_on_time",
    "rated",
    "satisfied",
    "red_cards",
    "yellow_cards",
)


def rows_per_subtree(apps: Any, schema_editor: Any) -> None:
    from zhili.screen.services import roll_up

    figures = apps.get_model("screen", "DailyFigure")
    days = list(figures.objects.values_list("day", flat=True).distinct().order_by("day"))
    for day in days:
        rows = figures.objects.filter(day=day)
        counts = {
            (row.path, row.source, row.category_id): {name: getattr(row, name) for name in FIELDS}
            for row in rows
        }
        rows.delete()
        figures.objects.bulk_create(
            [
                figures(day=day, path=path, source=source, category_id=category, **values)
                for (path, source, category), values in roll_up(counts).items()
                if any(values.values())
            ],
            batch_size=1000,
        )


def rows_per_area(apps: Any, schema_editor: Any) -> None:
    """Back: the rows are dropped; `zhili screen_backfill` of the older code rebuilds them."""
    apps.get_model("screen", "DailyFigure").objects.all().delete()


CARDED = migrations.RunSQL(
    "CREATE INDEX IF NOT EXISTS screen_case_carded ON cases_case "
    "(state, card_at DESC, id DESC) WHERE card_at IS NOT NULL",
    "DROP INDEX IF EXISTS screen_case_carded",
)


class Migration(migrations.Migration):
    dependencies = [
        ("screen", "0001_initial"),
    ]

    operations = [
        CARDED,
        migrations.RemoveConstraint(model_name="dailyfigure", name="screen_daily_once"),
        migrations.RemoveIndex(model_name="dailyfigure", name="screen_daily_path"),
        migrations.RunPython(rows_per_subtree, rows_per_area),
        migrations.AddConstraint(
            model_name="dailyfigure",
            constraint=models.UniqueConstraint(
                fields=("path", "day", "source", "category_id"), name="screen_daily_once"
            ),
        ),
    ]
