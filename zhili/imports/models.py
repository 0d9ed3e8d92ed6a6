"""Import jobs: one uploaded XLSX of historical work orders, its state, progress and report."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    VALIDATING = "validating", "校验中"
    REJECTED = "rejected", "校验未通过"
    IMPORTING = "importing", "导入中"
    DONE = "done", "导入完成"
    FAILED = "failed", "导入失败"


FINISHED = {JobState.REJECTED, JobState.DONE, JobState.FAILED}


def upload_path(instance: "ImportJob", filename: str) -> str:
    now = timezone.now()
    return f"imports/{now:%Y/%m}/{now:%d%H%M%S}-{filename}"


class ImportJob(models.Model):
    """An upload of one kind of rows (`kind`, a code of zhili.imports.kinds.KINDS: historical
    work orders, people ...).

    `errors` holds the validation report: ``[{"row": 7, "column": "联系电话", "message": ...}]``,
    at most `zhili.imports.validation.MAX_REPORTED` entries (`error_count` is the full count).
    `processed` counts the rows read so far in the current phase (validating, then importing).
    """

    file = models.FileField(upload_to=upload_path, max_length=300)
    kind = models.CharField("导入类别", max_length=30, default="cases", db_index=True)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = Ref(settings.AUTH_USER_MODEL, "上传人")
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    state = models.CharField(
        "状态", max_length=20, choices=JobState.choices, default=JobState.QUEUED, db_index=True
    )
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    processed = models.PositiveIntegerField("已处理行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    skipped_count = models.PositiveIntegerField("已存在跳过", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    error_rows = models.PositiveIntegerField("错误行数", default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        """Progress over both phases: validation is the first half, the import the second."""
        if self.state in (JobState.DONE, JobState.REJECTED):
            return 100
        if not self.total_rows:
            return 0
        done = min(self.processed, self.total_rows) / self.total_rows
        half = 50 if self.state == JobState.IMPORTING else 0
        return min(99, int(half + done * 50))
