"""People's mediation (人民调解法): committees, mediators, rooms, and the dispute dossiers.

A dispute (矛盾纠纷) belongs to one mediation committee; the committee belongs to a
governance center (village, township or county), whose materialized `path` is copied onto
the committee and onto every dispute so that the scope filter is one indexed range scan.
Mediation is free: no model has a fee.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.cases.models import Card
from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index, set_index
from zhili.mediation.models.committees import Committee, MediationRoom, Mediator
from zhili.mediation.models.kinds import DisputeKind
from zhili.orgs.models import Grid, Level, Organization


# --- disputes --------------------------------------------------------------------------------
class Source(models.TextChoices):
    SCREENING = "screening", "主动排查"
    APPLICATION = "application", "当事人申请"
    COURT_REFERRAL = "court_referral", "法院委托移送"
    POLICE_REFERRAL = "police_referral", "公安委托移送"
    PETITION_REFERRAL = "petition_referral", "信访移送"
    CASE = "case", "事件工单转入"


class Scale(models.TextChoices):
    ORDINARY = "ordinary", "一般"
    MAJOR = "major", "重大"
    GROUP = "group", "群体性"


class DisputeState(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ACCEPTED = "accepted", "已受理"
    NOT_MEDIATED = "not_mediated", "不予调解"
    MEDIATING = "mediating", "调解中"
    AGREED = "agreed", "达成协议"
    FAILED = "failed", "调解不成"
    # A party ended the mediation (人民调解法 第二十三条), distinct from 调解不成.
    TERMINATED = "terminated", "当事人终止"
    FOLLOWING_UP = "following_up", "履行回访"
    ARCHIVED = "archived", "已归档"


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", "调解成功"
    NO_AGREEMENT = "no_agreement", "调解不成"
    REFUSED = "refused", "不予受理/一方不同意"
    TERMINATED = "terminated", "当事人终止调解"


class Dispute(models.Model):
    number = models.CharField("纠纷编号", max_length=30, unique=True)
    title = models.CharField("纠纷名称", max_length=200)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    kind = models.CharField("纠纷类型", max_length=20, choices=DisputeKind.choices)
    scale = models.CharField("规模", max_length=10, choices=Scale.choices, default=Scale.ORDINARY)
    people_count = models.PositiveIntegerField("涉及人数", default=2)

    committee = Ref(Committee, "调委会", related_name="disputes")
    path = models.CharField(max_length=400, editable=False)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    township = Ref(Organization, "乡镇", null=True)
    grid = Ref(Grid, "网格", null=True)
    place = models.CharField("发生地点", max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    summary = models.TextField("纠纷简要情况")
    case = Ref("cases.Case", "来源工单", null=True, related_name="disputes")

    state = models.CharField(
        "状态", max_length=20, choices=DisputeState.choices, default=DisputeState.REGISTERED
    )
    registered_by = Ref(settings.AUTH_USER_MODEL, "登记人", null=True)
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    mediation_started_at = models.DateTimeField("开始调解时间", null=True, blank=True)
    outcome = models.CharField("调解结果", max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField("结果时间", null=True, blank=True)
    # Who ended the mediation (a party, 人民调解法 第二十三条) and why.
    terminated_by = Ref("Party", "终止调解的当事人", null=True)
    termination_reason = models.TextField("终止调解的理由", blank=True)
    # The handling target (deadlines.handling_due, from acceptance) and its yellow warning.
    handling_due = models.DateField("办理目标日期", null=True, blank=True)
    handling_warned_at = models.DateTimeField("超过办理目标提醒时间", null=True, blank=True)
    # The notice of other routes (告知书) given when the dispute is not mediated or fails.
    routes_notice = models.TextField("告知其他救济途径", blank=True)
    closed_at = models.DateTimeField("归档时间", null=True, blank=True)
    # The jieba tokens of the title, summary, session records and agreement, joined by
    # spaces; filled when the dispute is archived (the full-text search of closed disputes).
    search_tokens = models.TextField(blank=True)

    is_exemplary = models.BooleanField("典型案例", default=False)
    exemplary_note = models.TextField("典型案例评语", blank=True)
    exemplary_at = models.DateTimeField(null=True, blank=True)
    exemplary_by = Ref(settings.AUTH_USER_MODEL, null=True)

    risk_criminal = models.BooleanField("可能激化为刑事案件", default=False)
    risk_group_petition = models.BooleanField("可能引发群体性上访", default=False)
    risk_note = models.TextField("风险说明", blank=True)
    risk_flagged_at = models.DateTimeField(null=True, blank=True)

    lead_mediator = Ref(Mediator, "主办调解员", null=True, related_name="led_disputes")
    mediators = models.ManyToManyField(
        Mediator, verbose_name="参与调解员", blank=True, related_name="disputes"
    )
    room = Ref(MediationRoom, "调解室", null=True, related_name="disputes")
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "矛盾纠纷"
        ordering = ["-registered_at", "-id"]
        indexes = [
            path_index("path", "mediation_dispute_path"),
            # A township's tabs and counts: its path range, grouped or filtered by state.
            models.Index(
                fields=["path", "state"],
                name="mediation_dispute_path_state",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["state", "registered_at"], name="mediation_dispute_state"),
            models.Index(fields=["kind", "registered_at"], name="mediation_dispute_kind"),
            models.Index(fields=["committee", "state"], name="mediation_dispute_committee"),
            models.Index(fields=["registered_at"], name="mediation_dispute_registered"),
            models.Index(fields=["closed_at"], name="mediation_dispute_closed"),
            models.Index(fields=["township", "registered_at"], name="mediation_dispute_township"),
            models.Index(fields=["is_exemplary", "closed_at"], name="mediation_dispute_exemplary"),
            # The monthly report and the rankings count what ended in a period.
            models.Index(fields=["outcome_at"], name="mediation_dispute_outcome_at"),
            # The hourly sweep of handling targets (services.warnings.handling_warn_due).
            models.Index(fields=["handling_due", "state"], name="mediation_dispute_target"),
            # The search of closed disputes (reports.selectors.dispute_search): archived, newest
            # archive first, the scope's path read from the index. Matching the text goes
            # through the full-text index of migration 0004 (an FTS5 table kept by triggers on
            # SQLite, a generated tsvector column `search` with a GIN index on PostgreSQL),
            # which Django's model state does not know; see that migration before a change
            # that makes Django rebuild this table on SQLite.
            models.Index(
                fields=["state", "closed_at", "id", "path"], name="mediation_dispute_archive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def target_running(self) -> bool:
        """Accepted and not concluded: the handling target applies."""
        return self.handling_due is not None and self.state in (
            DisputeState.ACCEPTED,
            DisputeState.MEDIATING,
        )

    @property
    def past_target(self) -> bool:
        """Still being mediated after the handling target: the yellow warning shows."""
        return (
            self.handling_due is not None
            and self.state in (DisputeState.ACCEPTED, DisputeState.MEDIATING)
            and self.handling_due < timezone.localdate()
        )


class PartySide(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    OTHER = "other", "其他当事人"


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANIZATION = "organization", "法人或其他组织"


class Consent(models.TextChoices):
    PENDING = "pending", "待确认"
    AGREED = "agreed", "同意调解"
    REFUSED = "refused", "不同意调解"


class Party(models.Model):
    """A party (当事人). The ID number is validated (GB 11643) and masked on every page."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField("身份", max_length=20, choices=PartySide.choices)
    kind = models.CharField(
        "类型", max_length=20, choices=PartyKind.choices, default=PartyKind.PERSON
    )
    name = models.CharField("姓名或名称", max_length=100)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    org_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    consent = models.CharField(
        "是否同意调解", max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        ordering = ["dispute", "side", "id"]

    def __str__(self) -> str:
        return self.name


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", "现场调解"
    VIDEO = "video", "视频调解"


class Session(models.Model):
    """A mediation session (调解记录): when, where, who mediated, and the record."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField("调解时间")
    place = models.CharField("调解地点", max_length=200, blank=True)
    room = Ref(MediationRoom, null=True, related_name="sessions")
    mediators = models.ManyToManyField(Mediator, blank=True, related_name="sessions")
    mode = models.CharField(
        "方式", max_length=20, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    video_room = models.CharField("视频会议室", max_length=100, blank=True)
    record = models.TextField("调解记录")
    created_by = Ref(settings.AUTH_USER_MODEL, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调解记录"
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class DisputeEvent(HistoryRow):
    """A line of the dossier's timeline: every transition, with who and why."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="events")

    record_field = "dispute"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "纠纷办理记录"
        indexes = [models.Index(fields=["dispute", "created_at"], name="mediation_event_dispute")]


class RiskKind(models.TextChoices):
    CRIMINAL = "criminal", "可能激化为刑事案件"
    GROUP_PETITION = "group_petition", "可能引发群体性上访"


class RiskAlert(models.Model):
    """A risk warning pushed to the police station or petition center concerned, to be signed
    (签收) by it within `deadlines.ALERT_SIGN_HOURS`: left unsigned, it gets a yellow card at
    80 % of that time and a red card past it, by the sweep every carded record shares
    (zhili.core.cards; `due_at` / `warn_at` / `card` / `card_at`, as on cases)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="risk_alerts")
    kind = models.CharField("风险类型", max_length=20, choices=RiskKind.choices)
    unit = Ref(Organization, "接收单位")
    unit_path = models.CharField(max_length=400)
    note = models.TextField("风险说明", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = Ref(settings.AUTH_USER_MODEL, null=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField("签收时限", null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    card = models.CharField("督办牌", max_length=10, choices=Card.choices, blank=True, default="")
    card_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "风险预警"
        ordering = ["-created_at", "-id"]
        constraints = [
            # The handler may run twice for one event: one alert per dispute, kind and unit.
            models.UniqueConstraint(
                fields=["dispute", "kind", "unit"], name="mediation_risk_alert_once"
            )
        ]
        indexes = [
            path_index("unit_path", "mediation_risk_unit_path"),
            set_index("warn_at", "mediation_risk_warn_open"),
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.kind}"
