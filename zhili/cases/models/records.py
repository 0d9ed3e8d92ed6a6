"""What a case keeps of its handling: the timeline and the attached files."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.cases.models.case import Case
from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref


class CaseEvent(HistoryRow):
    """A line of the case's timeline: every transition, with who, from where, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")

    record_field = "case"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "工单办理记录"
        indexes = [models.Index(fields=["case", "created_at"])]


def attachment_path(instance: "CaseAttachment", filename: str) -> str:
    now = timezone.now()
    return f"cases/{now:%Y/%m}/{instance.case_id}/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = Ref(settings.AUTH_USER_MODEL, null=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    event = Ref(CaseEvent, null=True, on_delete=models.SET_NULL, related_name="attachments")

    class Meta:
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name
