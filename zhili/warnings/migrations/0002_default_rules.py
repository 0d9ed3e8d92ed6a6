"""The county's starting rules (a)-(d): thresholds as the issue names them; the county
center changes them on the rules page."""

from django.db import migrations

KEYWORDS = ["讨薪", "欠薪", "集体", "堵路", "拉横幅", "征地拆迁", "群体", "上访", "聚集"]
RULES = [
    (
        "repeat-30d",
        "repeat",
        "同一人30天内3次以上诉求",
        "yellow",
        {"threshold": 3, "days": 30},
        4,
        48,
    ),
    (
        "cluster-72h",
        "cluster",
        "同一网格72小时内同类事项5件以上",
        "orange",
        {"threshold": 5, "hours": 72},
        2,
        24,
    ),
    (
        "group-precursor",
        "group",
        "群体性事件苗头（10人以上或敏感关键词）",
        "red",
        {"people": 10, "hours": 24, "keywords": KEYWORDS},
        1,
        12,
    ),
    (
        "recurrence-30d",
        "recurrence",
        "办结后30天内同址同类复发",
        "yellow",
        {"days": 30, "hours": 24},
        4,
        72,
    ),
]


def create(apps, schema_editor):
    WarningRule = apps.get_model("warnings", "WarningRule")
    for code, kind, name, level, params, sign, answer in RULES:
        WarningRule.objects.get_or_create(
            code=code,
            defaults=dict(
                kind=kind,
                name=name,
                level=level,
                params=params,
                sign_hours=sign,
                answer_hours=answer,
            ),
        )


def remove(apps, schema_editor):
    apps.get_model("warnings", "WarningRule").objects.filter(
        code__in=[r[0] for r in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("warnings", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
