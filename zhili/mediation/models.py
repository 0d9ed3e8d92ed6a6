"""People's mediation (人民调解法): committees, mediators, rooms, and the dispute dossiers.

A dispute (矛盾纠纷) belongs to one mediation committee; the committee belongs to a
governance center (village, township or county), whose materialized `path` is copied onto
the committee and onto every dispute so that the scope filter is one indexed range scan.
Mediation is free: no model has a fee.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from zhili.cases.models import Card
from zhili.orgs.models import Grid, Level, Organization


def _path_index(field: str, name: str) -> models.Index:
    # LIKE 'prefix%' on PostgreSQL needs pattern ops unless the collation is C.
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


# --- committees, mediators, rooms ------------------------------------------------------------
class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Position(models.TextChoices):
    CHAIR = "chair", "主任"
    VICE_CHAIR = "vice_chair", "副主任"
    MEMBER = "member", "委员"


class Committee(models.Model):
    """A people's mediation committee (人民调解委员会) of a village, township or the county."""

    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="所属综治中心",
        on_delete=models.PROTECT,
        related_name="mediation_committees",
    )
    path = models.CharField(max_length=400, editable=False)
    term_start = models.DateField("本届任期开始")
    term_end = models.DateField("本届任期届满")
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "人民调解委员会"
        ordering = ["path", "name"]
        indexes = [_path_index("path", "mediation_committee_path")]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    """A member of a committee for part of a term; `until` is set when the member leaves."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    position = models.CharField("职务", max_length=20, choices=Position.choices)
    since = models.DateField("任职起始")
    until = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "调委会组成人员"
        ordering = ["committee", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_position_display()}）"


class Employment(models.TextChoices):
    FULL_TIME = "full_time", "专职"
    PART_TIME = "part_time", "兼职"


class MediationRoom(models.Model):
    """A mediation room (调解室); `video_room` is the place the video issue fills."""

    name = models.CharField("名称", max_length=100)
    organization = models.ForeignKey(
        Organization, verbose_name="所在综治中心", on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=400, editable=False)
    committee = models.ForeignKey(
        Committee, verbose_name="调委会", on_delete=models.PROTECT, related_name="rooms"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    video_room = models.CharField("视频调解室", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "调解室"
        ordering = ["path", "name"]
        indexes = [_path_index("path", "mediation_room_path")]

    def __str__(self) -> str:
        return self.name


class Education(models.TextChoices):
    JUNIOR = "junior", "初中及以下"
    SENIOR = "senior", "高中、中专"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    GRADUATE = "graduate", "研究生"


class Mediator(models.Model):
    """A mediator (调解员): an account, its committee, its specialities and rooms, and what
    人民调解法 第十四条 asks of a mediator: the qualification (education, certificate) and the
    regular training by the county justice bureau (`MediatorTraining`). The workload (open
    disputes) is counted by a selector, never stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mediator"
    )
    committee = models.ForeignKey(
        Committee, verbose_name="调委会", on_delete=models.PROTECT, related_name="mediators"
    )
    employment = models.CharField(
        "专兼职", max_length=10, choices=Employment.choices, default=Employment.PART_TIME
    )
    # Dispute kinds (DisputeKind codes) the mediator is good at.
    specialities = models.JSONField("擅长纠纷类型", default=list, blank=True)
    rooms = models.ManyToManyField(
        MediationRoom, verbose_name="调解室", blank=True, related_name="mediators"
    )
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    education = models.CharField("文化程度", max_length=10, choices=Education.choices, blank=True)
    qualification = models.CharField("资格证书或职业资格", max_length=100, blank=True)
    certificate_no = models.CharField("证书编号", max_length=50, blank=True)
    appointed_on = models.DateField("聘任日期", null=True, blank=True)
    is_active = models.BooleanField("在岗", default=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "调解员"
        ordering = ["committee", "id"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def speciality_labels(self) -> list[str]:
        labels = dict(DisputeKind.choices)
        return [labels.get(code, code) for code in self.specialities or []]


class MediatorTraining(models.Model):
    """A training a mediator attended (人民调解法 第十四条: the county justice bureau trains
    mediators regularly). A mediator without one in the current year is warned about."""

    mediator = models.ForeignKey(
        Mediator, verbose_name="调解员", on_delete=models.PROTECT, related_name="trainings"
    )
    trained_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    organizer = models.CharField("组织单位", max_length=100)
    content = models.CharField("培训内容", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调解员培训记录"
        ordering = ["-trained_on", "-id"]
        indexes = [models.Index(fields=["mediator", "trained_on"], name="mediation_training")]

    def __str__(self) -> str:
        return f"{self.mediator_id} {self.trained_on} {self.content}"


# --- disputes --------------------------------------------------------------------------------
class Source(models.TextChoices):
    SCREENING = "screening", "主动排查"
    APPLICATION = "application", "当事人申请"
    COURT_REFERRAL = "court_referral", "法院委托移送"
    POLICE_REFERRAL = "police_referral", "公安委托移送"
    PETITION_REFERRAL = "petition_referral", "信访移送"
    CASE = "case", "事件工单转入"


class DisputeKind(models.TextChoices):
    """The 15 statistical types of the justice bureau's monthly report, in its order."""

    MARRIAGE_FAMILY = "marriage_family", "婚姻家庭"
    NEIGHBOURHOOD = "neighbourhood", "邻里"
    HOUSING_HOMESTEAD = "housing_homestead", "房屋宅基地"
    CONTRACT = "contract", "合同"
    BUSINESS = "business", "生产经营"
    DAMAGES = "damages", "损害赔偿"
    LAND_FOREST = "land_forest", "山林土地"
    EXPROPRIATION = "expropriation", "征地拆迁"
    POLLUTION = "pollution", "环境污染"
    LABOUR = "labour", "劳动争议"
    CONSUMER = "consumer", "消费"
    MEDICAL = "medical", "医疗"
    TRAFFIC = "traffic", "道路交通事故"
    PROPERTY_MGMT = "property_mgmt", "物业"
    OTHER = "other", "其它"


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

    committee = models.ForeignKey(
        Committee, verbose_name="调委会", on_delete=models.PROTECT, related_name="disputes"
    )
    path = models.CharField(max_length=400, editable=False)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    township = models.ForeignKey(
        Organization,
        verbose_name="乡镇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        Grid, verbose_name="网格", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField("发生地点", max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    summary = models.TextField("纠纷简要情况")
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="来源工单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )

    state = models.CharField(
        "状态", max_length=20, choices=DisputeState.choices, default=DisputeState.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    mediation_started_at = models.DateTimeField("开始调解时间", null=True, blank=True)
    outcome = models.CharField("调解结果", max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField("结果时间", null=True, blank=True)
    # Who ended the mediation (a party, 人民调解法 第二十三条) and why.
    terminated_by = models.ForeignKey(
        "Party",
        verbose_name="终止调解的当事人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
    exemplary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    risk_criminal = models.BooleanField("可能激化为刑事案件", default=False)
    risk_group_petition = models.BooleanField("可能引发群体性上访", default=False)
    risk_note = models.TextField("风险说明", blank=True)
    risk_flagged_at = models.DateTimeField(null=True, blank=True)

    lead_mediator = models.ForeignKey(
        Mediator,
        verbose_name="主办调解员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_disputes",
    )
    mediators = models.ManyToManyField(
        Mediator, verbose_name="参与调解员", blank=True, related_name="disputes"
    )
    room = models.ForeignKey(
        MediationRoom,
        verbose_name="调解室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "矛盾纠纷"
        ordering = ["-registered_at", "-id"]
        indexes = [
            _path_index("path", "mediation_dispute_path"),
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
    room = models.ForeignKey(
        MediationRoom, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    mediators = models.ManyToManyField(Mediator, blank=True, related_name="sessions")
    mode = models.CharField(
        "方式", max_length=20, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    video_room = models.CharField("视频会议室", max_length=100, blank=True)
    record = models.TextField("调解记录")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调解记录"
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class ConfirmationResult(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "确认有效"
    REFUSED = "refused", "驳回申请"


class Performed(models.TextChoices):
    YES = "yes", "已履行"
    PARTLY = "partly", "部分履行"
    NO = "no", "未履行"


class AgreementForm(models.TextChoices):
    WRITTEN = "written", "书面调解协议"
    ORAL = "oral", "口头调解协议"


class SignMethod(models.TextChoices):
    SIGN = "sign", "签名"
    SEAL = "seal", "盖章"
    FINGERPRINT = "fingerprint", "按指印"


class Agreement(models.Model):
    """A mediation agreement (人民调解法 第二十八条 to 第三十三条).

    Written (调解协议书): the facts and each party's liability (`AgreementParty`), the terms,
    how and when they are performed; it takes effect when every party has signed, sealed or
    fingerprinted, the mediator has signed and the committee has sealed it (第二十九条), so
    `effective_at` is derived, the last of those moments, never typed. Until then it is null.
    Oral (口头协议, 第二十八条): the mediator records what was agreed (`terms`); it takes effect
    when the parties reach it (第三十条), `signed_at`.

    The judicial confirmation window (第三十三条) runs from the written agreement's effective
    day: `confirmation_due` is its last day (moved past a holiday, deadlines.py), flagged
    `confirmation_provisional` when the calendar used was provisional, and
    `confirmation_warn_on` its 25th day, when an unused window is warned about. An oral
    agreement has no 调解协议书 to bring to a court, so no window."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="agreement")
    form = models.CharField(
        "协议形式", max_length=10, choices=AgreementForm.choices, default=AgreementForm.WRITTEN
    )
    matters = models.TextField("纠纷主要事实、争议事项", blank=True)
    terms = models.TextField("经调解自愿达成协议如下")
    performance = models.TextField("履行方式、时限", blank=True)
    signed_at = models.DateTimeField("达成时间")
    mediator = models.ForeignKey(
        Mediator,
        verbose_name="签名调解员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mediator_signed_at = models.DateTimeField("调解员签名时间", null=True, blank=True)
    sealed_at = models.DateTimeField("调委会盖章时间", null=True, blank=True)
    effective_at = models.DateTimeField("生效时间", null=True, blank=True)

    confirmation_due = models.DateField("司法确认申请截止日", null=True, blank=True)
    confirmation_provisional = models.BooleanField("截止日按临时日历计算", default=False)
    confirmation_warn_on = models.DateField("司法确认提醒日", null=True, blank=True)
    confirmation_applied_at = models.DateTimeField("申请司法确认时间", null=True, blank=True)
    court = models.CharField("受理法院", max_length=100, blank=True)
    confirmation_result = models.CharField(
        "司法确认结果", max_length=20, choices=ConfirmationResult.choices, blank=True
    )
    result_at = models.DateTimeField("确认结果时间", null=True, blank=True)
    confirmation_warned_at = models.DateTimeField("到期提醒时间", null=True, blank=True)

    performed = models.CharField("履行情况", max_length=10, choices=Performed.choices, blank=True)
    performance_note = models.TextField("回访情况", blank=True)
    performance_checked_at = models.DateTimeField("回访时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调解协议"
        indexes = [
            models.Index(fields=["confirmation_warn_on"], name="mediation_agreement_warn"),
            models.Index(fields=["confirmation_due"], name="mediation_agreement_due"),
        ]

    def __str__(self) -> str:
        return f"协议 {self.dispute_id}"

    @property
    def is_written(self) -> bool:
        return self.form == AgreementForm.WRITTEN

    @property
    def is_effective(self) -> bool:
        return self.effective_at is not None


class AgreementParty(models.Model):
    """A party to a written agreement: its liability (第二十九条) and its signature (who
    signed, how, when). One row per party of the dispute, written with the agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    liability = models.TextField("当事人责任")
    signed_at = models.DateTimeField("签署时间", null=True, blank=True)
    method = models.CharField("签署方式", max_length=20, choices=SignMethod.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "协议当事人责任与签署"
        ordering = ["agreement", "party__side", "party_id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="mediation_signatory_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.party_id}"


class DisputeEvent(models.Model):
    """A line of the dossier's timeline: every transition, with who and why."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "纠纷办理记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dispute", "created_at"], name="mediation_event_dispute")]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.action}"


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
    unit = models.ForeignKey(
        Organization, verbose_name="接收单位", on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=400)
    note = models.TextField("风险说明", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
            _path_index("unit_path", "mediation_risk_unit_path"),
            models.Index(
                fields=["warn_at"],
                name="mediation_risk_warn_open",
                condition=models.Q(warn_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.kind}"
