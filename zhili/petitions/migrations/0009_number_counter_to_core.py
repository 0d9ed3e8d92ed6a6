"""PetitionNumberCounter moves into core's NumberCounter, series "petition", period a year ("2026").

The rows move, in both directions, so that a migration back and forth keeps every number.
"""

from django.db import migrations

SERIES = "petition"


def to_core(apps, schema_editor):
    db = schema_editor.connection.alias
    old = apps.get_model("petitions", "PetitionNumberCounter")
    new = apps.get_model("core", "NumberCounter")
    rows = [
        new(series=SERIES, period=str(row.year), last=row.last) for row in old.objects.using(db)
    ]
    new.objects.using(db).bulk_create(rows, batch_size=1000)


def from_core(apps, schema_editor):
    db = schema_editor.connection.alias
    old = apps.get_model("petitions", "PetitionNumberCounter")
    moved = apps.get_model("core", "NumberCounter").objects.using(db).filter(series=SERIES)
    rows = [old(year=int(row.period), last=row.last) for row in moved]
    old.objects.using(db).bulk_create(rows, batch_size=1000)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_number_counter"),
        ("petitions", "0008_chinese_names"),
    ]

    operations = [
        migrations.RunPython(to_core, from_core),
        migrations.DeleteModel(name="PetitionNumberCounter"),
    ]
