"""The 12345 closed loop: 审核退回 and 申请退单 on the case, and each assisting unit's own task.

The link table Django made for `Case.assisting_units` becomes the `CaseAssist` model in place
(the state learns the model, the table keeps its name and rows), then gains the task's
columns. Existing links become tasks waiting to be acknowledged, with no deadline.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_case_held"),
        ("orgs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="return_requested_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="退单申请时间"),
        ),
        migrations.AddField(
            model_name="case",
            name="return_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="退单理由"),
        ),
        migrations.AddField(
            model_name="case",
            name="sent_back_count",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="case",
            name="send_back_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="审核退回理由"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CaseAssist",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="assists",
                                to="cases.case",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="orgs.organization",
                                verbose_name="协办单位",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "协办任务",
                        "verbose_name_plural": "协办任务",
                        "db_table": "cases_case_assisting_units",
                        "ordering": ["id"],
                        "unique_together": {("case", "organization")},
                    },
                ),
                migrations.AlterField(
                    model_name="case",
                    name="assisting_units",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="cases.CaseAssist",
                        to="orgs.organization",
                        verbose_name="协办单位",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="caseassist",
            name="state",
            field=models.CharField(
                choices=[
                    ("dispatched", "待签收"),
                    ("acknowledged", "已签收"),
                    ("replied", "已反馈"),
                    ("withdrawn", "已撤销"),
                ],
                default="dispatched",
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="dispatched_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="协办时限"),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="clock_from",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="clock_seconds",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="due_provisional",
            field=models.BooleanField(default=False, verbose_name="时限按临时日历计算"),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="acknowledged_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="replied_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="reply",
            field=models.TextField(blank=True, verbose_name="协办意见"),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="replied_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="caseassist",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
