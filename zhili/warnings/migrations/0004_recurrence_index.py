"""Rule (d), recurrence after closure (zhili/warnings/rules.py `recurrence_findings`): the
cases closed at an address in a category, by closing time, for one look-up per case of the
scan's window. Only closed cases are indexed, and a case enters it once, when it closes.
Raw SQL (valid on SQLite and PostgreSQL) because the cases app owns the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("warnings", "0003_surge_rule"),
        ("cases", "0017_unit_figures_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS case_recurrence ON cases_case "
            "(address, category_id, closed_at) WHERE closed_at IS NOT NULL",
            "DROP INDEX IF EXISTS case_recurrence",
        ),
    ]
