"""The rota-gap rule: a working day within a week with no county leader on the reception rota
(领导接访排班缺位, issue 15)."""

from django.db import migrations, models

CODE = "rota-gap-county"


def create(apps, schema_editor):
    apps.get_model("warnings", "WarningRule").objects.get_or_create(
        code=CODE,
        defaults=dict(
            kind="rota_gap",
            name="工作日无县领导接访排班（提前7天）",
            level="yellow",
            params={"days": 7},
            sign_hours=8,
            answer_hours=48,
        ),
    )


def remove(apps, schema_editor):
    apps.get_model("warnings", "WarningRule").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("warnings", "0004_recurrence_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="warning",
            name="kind",
            field=models.CharField(
                choices=[
                    ("repeat", "同一人反复诉求"),
                    ("cluster", "同一网格同类事项聚集"),
                    ("group", "群体性事件苗头"),
                    ("recurrence", "办结后同址同类复发（假性整改）"),
                    ("surge", "村居事项异常激增"),
                    ("rota_gap", "县领导接访排班缺位"),
                ],
                max_length=20,
                verbose_name="规则类型",
            ),
        ),
        migrations.AlterField(
            model_name="warningrule",
            name="kind",
            field=models.CharField(
                choices=[
                    ("repeat", "同一人反复诉求"),
                    ("cluster", "同一网格同类事项聚集"),
                    ("group", "群体性事件苗头"),
                    ("recurrence", "办结后同址同类复发（假性整改）"),
                    ("surge", "村居事项异常激增"),
                    ("rota_gap", "县领导接访排班缺位"),
                ],
                max_length=20,
                verbose_name="规则类型",
            ),
        ),
        migrations.RunPython(create, remove),
    ]
