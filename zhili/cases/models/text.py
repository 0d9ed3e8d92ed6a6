"""A case's indexed text (full-text search, duplicate detection) and the likely duplicates found."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.cases.models.case import Case
from zhili.core.fields import Ref
from zhili.orgs.models import Grid, Organization


class CaseText(models.Model):
    """A case's text, indexed: jieba tokens for full-text search and a MinHash signature for
    duplicate detection, with the columns the duplicate check filters on copied from the case
    (so that finding candidates is an index range scan on this table alone).

    Written in the intake's transaction (zhili.cases.text). Full-text search reads `tokens`
    (and `scope`) through an FTS5 table (SQLite) or a generated tsvector column and GIN
    indexes (PostgreSQL), created by this app's migrations only on their own database.
    """

    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="text_index"
    )
    tokens = models.TextField()  # space-separated jieba tokens (cut_for_search) of title + text
    signature = models.BinaryField()  # MinHash, NUM_PERM little-endian uint32
    group = models.CharField(max_length=40)  # the category's top-level group code
    registered_at = models.DateTimeField()
    grid = models.ForeignKey(
        Grid,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    township = models.ForeignKey(
        Organization,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    # A square of about 1.1 km (zhili.cases.text.cell_of): "within distance_m" is a few cells.
    cell = models.BigIntegerField(null=True)
    lat = models.FloatField(null=True)
    lng = models.FloatField(null=True)
    # Who may see the case (zhili.cases.text.scope_keys): every organization path that is a
    # leading part of its area, dispatch-center, lead-unit or assisting-unit path, space-
    # separated. A user whose scope prefix is one of them sees the case, so a full-text search
    # narrows to the user's scope on this table alone (a GIN index on PostgreSQL: migration
    # 0009). Kept current by zhili.cases.text.rescope when those paths change.
    scope = models.TextField(default="", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单全文索引"
        indexes = [
            models.Index(fields=["group", "grid", "registered_at"], name="casetext_grid"),
            models.Index(fields=["group", "cell", "registered_at"], name="casetext_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.tokens[:40]}"


class DuplicateState(models.TextChoices):
    OPEN = "open", "待确认"
    MERGED = "merged", "已合并"
    DISMISSED = "dismissed", "非重复"


class CaseDuplicate(models.Model):
    """A likely duplicate found at intake: the new case resembles an earlier one (text and
    place). A dispatcher merges it (the workflow's merge) or dismisses it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duplicate_flags")
    candidate = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField("得分")
    text_similarity = models.FloatField("文本相似度")
    distance_m = models.FloatField("距离（米）", null=True, blank=True)
    reason = models.CharField("疑似原因", max_length=300)
    state = models.CharField(
        "状态", max_length=20, choices=DuplicateState.choices, default=DuplicateState.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = Ref(settings.AUTH_USER_MODEL, null=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "疑似重复件"
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["case", "candidate"], name="duplicate_once"),
        ]
        indexes = [models.Index(fields=["case", "state"], name="duplicate_case_state")]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.candidate_id} ({self.score:.2f})"
