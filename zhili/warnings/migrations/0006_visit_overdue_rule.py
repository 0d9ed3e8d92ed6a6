"""The overdue-visit rule (走访逾期, issue 17): an open role of the people register past its
visit cycle by more than `days`, one warning per grid, cleared when the grid's visits are made
(zhili/warnings/rules.py `visit_overdue_findings`)."""

from django.db import migrations, models

CODE = "visit-overdue-grid"

RULE_KINDS = [
    ("repeat", "同一人反复诉求"),
    ("cluster", "同一网格同类事项聚集"),
    ("group", "群体性事件苗头"),
    ("recurrence", "办结后同址同类复发（假性整改）"),
    ("surge", "村居事项异常激增"),
    ("rota_gap", "县领导接访排班缺位"),
    ("visit_overdue", "重点人员走访逾期"),
]


def create(apps, schema_editor):
    apps.get_model("warnings", "WarningRule").objects.get_or_create(
        code=CODE,
        defaults=dict(
            kind="visit_overdue",
            name="重点人员走访逾期超过7天（按网格）",
            level="yellow",
            params={"days": 7},
            sign_hours=24,
            answer_hours=72,
        ),
    )


def remove(apps, schema_editor):
    apps.get_model("warnings", "WarningRule").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("warnings", "0005_rota_gap_rule"),
    ]

    operations = [
        migrations.AlterField(
            model_name="warning",
            name="kind",
            field=models.CharField(choices=RULE_KINDS, max_length=20, verbose_name="规则类型"),
        ),
        migrations.AlterField(
            model_name="warningrule",
            name="kind",
            field=models.CharField(choices=RULE_KINDS, max_length=20, verbose_name="规则类型"),
        ),
        migrations.AlterField(
            model_name="warningsource",
            name="kind",
            field=models.CharField(
                choices=[("case", "事件工单"), ("petition", "信访事项"), ("visit", "逾期走访")],
                max_length=20,
            ),
        ),
        migrations.RunPython(create, remove),
    ]
