"""CaseNumberCounter moves into core's NumberCounter, series "case", period a day ("2026-12-03").

The rows move, in both directions, so that a migration back and forth keeps every number.
"""

from datetime import date

from django.db import migrations

SERIES = "case"


def to_core(apps, schema_editor):
    db = schema_editor.connection.alias
    old = apps.get_model("cases", "CaseNumberCounter")
    new = apps.get_model("core", "NumberCounter")
    rows = [
        new(series=SERIES, period=row.day.isoformat(), last=row.last)
        for row in old.objects.using(db)
    ]
    new.objects.using(db).bulk_create(rows, batch_size=1000)


def from_core(apps, schema_editor):
    db = schema_editor.connection.alias
    old = apps.get_model("cases", "CaseNumberCounter")
    moved = apps.get_model("core", "NumberCounter").objects.using(db).filter(series=SERIES)
    rows = [old(day=date.fromisoformat(row.period), last=row.last) for row in moved]
    old.objects.using(db).bulk_create(rows, batch_size=1000)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_number_counter"),
        ("cases", "0013_chinese_names"),
    ]

    operations = [
        migrations.RunPython(to_core, from_core),
        migrations.DeleteModel(name="CaseNumberCounter"),
    ]
