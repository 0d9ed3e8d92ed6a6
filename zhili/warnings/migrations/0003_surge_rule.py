"""Rule (e): a village's category far above its seasonal baseline (统计异常激增)."""

from django.db import migrations

CODE = "surge-village"


def create(apps, schema_editor):
    apps.get_model("warnings", "WarningRule").objects.get_or_create(
        code=CODE,
        defaults=dict(
            kind="surge",
            name="村居同类事项异常激增（较前28天同期显著偏高）",
            level="blue",
            params={"min_count": 3},
            sign_hours=8,
            answer_hours=72,
        ),
    )


def remove(apps, schema_editor):
    apps.get_model("warnings", "WarningRule").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("warnings", "0002_default_rules")]
    operations = [migrations.RunPython(create, remove)]
