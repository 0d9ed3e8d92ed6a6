"""Petitions (信访事项) under the 信访工作条例 (2022): petitioners, petitions, their parties,
their history, and the key-petitioner register (重点上访人员).

One `Petition` row carries the whole chain of one matter: the original handling, the review
(复查) and the re-review (复核), each with its dates and its due date as columns, so that the
sweep reads indexed columns only. `stage` says which of the three the petition is in.
`due_at` / `warn_at` mirror the time limit of the current step (transfer, acceptance,
handling, review, re-review) and are what the card sweep reads.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, newest_first_indexes, path_index, set_index
from zhili.orgs.models import Organization


class Form(models.TextChoices):
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    CALL = "call", "来电"
    ONLINE = "online", "网上信访"
    FAX = "fax", "传真"


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", "建议意见类"
    ACCUSATION = "accusation", "检举控告类"
    CLAIM = "claim", "申诉求决类"


class Route(models.TextChoices):
    """How a claim (申诉求决) is handled (信访工作条例 第三十一条, law.ARTICLES["claim_routes"])."""

    LITIGATION = "litigation", "诉讼"
    ARBITRATION = "arbitration", "仲裁"
    ADMINISTRATIVE_REVIEW = "administrative_review", "行政复议"
    DEPARTMENT_DUTY = "department_duty", "部门职责办理"
    WRITTEN_OPINION = "written_opinion", "出具书面处理意见"


class Category(models.TextChoices):
    """The petition's subject, after the usual headings of a county petition bureau."""

    LAND = "land", "土地征收与房屋拆迁"
    LABOUR = "labour", "劳动保障与欠薪"
    URBAN = "urban", "城乡建设与物业"
    RURAL = "rural", "农村农业"
    LAW = "law", "涉法涉诉"
    ENVIRONMENT = "environment", "生态环境"
    EDUCATION_HEALTH = "education_health", "教育卫生"
    CIVIL_AFFAIRS = "civil_affairs", "民政与社会保障"
    TRANSPORT = "transport", "交通运输"
    DISCIPLINE = "discipline", "纪检监察"
    OTHER = "other", "其他"


class State(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ASSIGNED = "assigned", "已转送交办"
    HAND_BACK_REQUESTED = "hand_back_requested", "异议待核实"
    ACCEPTED = "accepted", "已受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已答复"
    REVIEW_REQUESTED = "review_requested", "复查中"
    REVIEWED = "reviewed", "已复查"
    RE_REVIEW_REQUESTED = "re_review_requested", "复核中"
    RE_REVIEWED = "re_reviewed", "已复核"
    CLOSED = "closed", "已办结"


class Stage(models.TextChoices):
    ORIGINAL = "original", "初次办理"
    REVIEW = "review", "复查"
    RE_REVIEW = "re_review", "复核"


class Card(models.TextChoices):
    NONE = "", "无"
    YELLOW = "yellow", "黄牌"
    RED = "red", "红牌"


class Outcome(models.TextChoices):
    """The written reply's conclusion on the requests (信访工作条例 第三十二条第一款)."""

    SUPPORT = "support", "支持"  # the request is founded in fact and in the rules
    EXPLAIN = "explain", "解释说明"  # reasonable, but without a legal basis: explained
    REJECT = "reject", "不支持"  # without factual basis or against the rules


class Delivery(models.TextChoices):
    """How a written answer reached the petitioner (送达方式)."""

    DIRECT = "direct", "直接送达"
    MAIL = "mail", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"
    LEFT = "left", "留置送达"
    ENTRUSTED = "entrusted", "委托送达"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Petitioner(models.Model):
    """A person who petitions; reused across petitions (matched by ID number when given)."""

    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("住址", max_length=300, blank=True)
    township = Ref(Organization, "所属乡镇", null=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "信访人"
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~models.Q(id_number=""),
                name="petitioner_id_number_once",
            )
        ]
        indexes = [models.Index(fields=["name", "phone"], name="petitioner_name_phone")]

    def __str__(self) -> str:
        return self.name


class Petition(models.Model):
    number = models.CharField("信访件编号", max_length=30, unique=True)
    form = models.CharField("信访形式", max_length=10, choices=Form.choices)
    is_group = models.BooleanField("集体访", default=False)
    # An anonymous letter (匿名信): registered and handled, with no petitioner to tell in
    # writing, so no notice, delivery, review or rating.
    is_anonymous = models.BooleanField("匿名信访", default=False)
    people_count = models.PositiveIntegerField("人数", default=1)
    kind = models.CharField("信访类别", max_length=20, choices=Kind.choices)
    route = models.CharField(
        "办理途径", max_length=30, choices=Route.choices, blank=True, default=""
    )
    title = models.CharField("标题", max_length=200)
    matter = models.TextField("信访事项")
    category = models.CharField("内容分类", max_length=30, choices=Category.choices)
    township = Ref(Organization, "问题属地", null=True)
    # Scope: the registering unit's subtree and the handling unit's subtree see the petition.
    registering_unit = Ref(Organization, "登记单位")
    registering_path = models.CharField(max_length=400)
    handling_unit = Ref(Organization, "承办单位", null=True)
    handling_path = models.CharField(max_length=400, blank=True)
    case = Ref("cases.Case", "来源工单", null=True, related_name="petitions")

    state = models.CharField("状态", max_length=30, choices=State.choices, db_index=True)
    stage = models.CharField(
        "办理阶段", max_length=20, choices=Stage.choices, default=Stage.ORIGINAL
    )
    registered_by = Ref(settings.AUTH_USER_MODEL, null=True)
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    # 第二十二条第一款: transferred or assigned within the transfer limit of receipt.
    transfer_due = models.DateTimeField("转送交办时限")
    transferred_at = models.DateTimeField("转送交办时间", null=True, blank=True)
    transfer_note = models.CharField("交办意见", max_length=500, blank=True)
    # 第二十三条第三款: a unit that finds the matter outside its duty objects within 5 working
    # days of receiving it, with its reasons; the petition office checks and, if it agrees,
    # takes the material back (`returned_at`) and transfers it again.
    hand_back_until = models.DateTimeField("异议期限", null=True, blank=True)
    hand_back_provisional = models.BooleanField("异议期限按临时日历计算", default=False)
    hand_back_at = models.DateTimeField("提出异议时间", null=True, blank=True)
    hand_back_reason = models.TextField("异议理由", blank=True)
    returned_at = models.DateTimeField("退回信访部门时间", null=True, blank=True)
    # The handling unit decides within 15 days whether it accepts, and says so in writing.
    accept_due = models.DateTimeField("受理告知时限", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    not_accepted_reason = models.TextField("不予受理理由", blank=True)
    not_accepted_route = models.CharField("告知途径", max_length=300, blank=True)
    # 第三十四条: handled within the limit from acceptance, extended once with the head's approval.
    handle_due = models.DateTimeField("办理时限", null=True, blank=True)
    # The officer asks (`extension_requested_*`, `extension_reason`); the unit's head approves
    # (`extension_days`, `extended_at`: the limit moves) or refuses (`extension_refusal`).
    extension_requested_days = models.PositiveSmallIntegerField("申请延期天数", default=0)
    extension_requested_at = models.DateTimeField("申请延期时间", null=True, blank=True)
    extension_requested_by = Ref(settings.AUTH_USER_MODEL, "申请人", null=True)
    extension_decided_at = models.DateTimeField("延期审批时间", null=True, blank=True)
    extension_decided_by = Ref(settings.AUTH_USER_MODEL, "审批人", null=True)
    extension_refusal = models.CharField("不批准理由", max_length=500, blank=True)
    extension_days = models.PositiveSmallIntegerField("延期天数", default=0)
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)
    extended_at = models.DateTimeField("延期时间", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    # The written reply (答复意见书) states the requests, the facts found, the outcome, the
    # opinion and its legal basis (第三十二条第一款), and the way to a review (第三十五条).
    reply_requests = models.TextField("信访请求", blank=True)
    reply_facts = models.TextField("查明事实", blank=True)
    reply_outcome = models.CharField("处理结论", max_length=10, choices=Outcome.choices, blank=True)
    reply = models.TextField("处理意见", blank=True)
    reply_basis = models.TextField("法律法规及政策依据", blank=True)
    # 送达: the day the petitioner received the written reply; the review window runs from it.
    reply_delivered_on = models.DateField("答复意见书送达日期", null=True, blank=True)
    reply_delivery_method = models.CharField(
        "答复意见书送达方式", max_length=20, choices=Delivery.choices, blank=True
    )

    # 第三十五条: review requested within the window after the reply, decided within its limit.
    review_request_until = models.DateTimeField("复查申请期限", null=True, blank=True)
    review_unit = Ref(Organization, "复查机关", null=True)
    review_requested_at = models.DateTimeField("申请复查时间", null=True, blank=True)
    review_reason = models.TextField("复查请求", blank=True)
    review_due = models.DateTimeField("复查时限", null=True, blank=True)
    review_decided_at = models.DateTimeField("复查意见时间", null=True, blank=True)
    review_opinion = models.TextField("复查意见", blank=True)
    review_delivered_on = models.DateField("复查意见送达日期", null=True, blank=True)
    review_delivery_method = models.CharField(
        "复查意见送达方式", max_length=20, choices=Delivery.choices, blank=True
    )
    review_hearing_days = models.PositiveSmallIntegerField("复查听证天数", default=0)
    # 第三十六条: re-review requested within the window after the review, decided in its limit.
    re_review_request_until = models.DateTimeField("复核申请期限", null=True, blank=True)
    re_review_unit = Ref(Organization, "复核机关", null=True)
    re_review_requested_at = models.DateTimeField("申请复核时间", null=True, blank=True)
    re_review_reason = models.TextField("复核请求", blank=True)
    re_review_due = models.DateTimeField("复核时限", null=True, blank=True)
    re_review_decided_at = models.DateTimeField("复核意见时间", null=True, blank=True)
    re_review_opinion = models.TextField("复核意见", blank=True)
    re_review_delivered_on = models.DateField("复核意见送达日期", null=True, blank=True)
    re_review_delivery_method = models.CharField(
        "复核意见送达方式", max_length=20, choices=Delivery.choices, blank=True
    )
    re_review_hearing_days = models.PositiveSmallIntegerField("复核听证天数", default=0)
    # A hearing in progress (第三十六条第二款): its time is not counted, the clock stops.
    hearing_started_on = models.DateField("听证开始日期", null=True, blank=True)

    # The same facts and reasons after a re-review (第三十六条第三款): flagged at registration.
    repeat_of = Ref("self", "已复核终结的原信访件", null=True, related_name="repeats")
    repeat_flag = models.CharField("重复信访提示", max_length=300, blank=True)
    repeat_override = models.CharField("新事实新理由说明", max_length=500, blank=True)
    # The same matter of the same petitioner still being handled (under another number, maybe
    # at another unit): flagged at registration, the petition is registered all the same.
    pending_of = Ref("self", "同一事项正在办理的信访件", null=True, related_name="pending_repeats")
    pending_flag = models.CharField("同一事项正在办理提示", max_length=300, blank=True)

    # The current step's time limit and its 80 % point (what the card sweep reads).
    due_at = models.DateTimeField("当前时限", null=True, blank=True)
    warn_at = models.DateTimeField(null=True, blank=True)
    card = models.CharField("督办牌", max_length=10, choices=Card.choices, blank=True, default="")
    card_at = models.DateTimeField(null=True, blank=True)

    rating = models.CharField("评价", max_length=20, choices=Rating.choices, blank=True, default="")
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=500, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "信访事项"
        indexes = [
            *newest_first_indexes("petition", "received_at"),
            path_index("registering_path", "petition_registering_path"),
            path_index("handling_path", "petition_handling_path"),
            set_index("warn_at", "petition_warn_open"),
            set_index("due_at", "petition_due_open"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PetitionParty(models.Model):
    """A petitioner of a petition; a group visit names at most 5 representatives."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="parties")
    petitioner = Ref(Petitioner, related_name="parties")
    is_representative = models.BooleanField("代表", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "信访人（事项）"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "petitioner"], name="petition_party_once")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.petitioner_id}"


class PetitionEvent(HistoryRow):
    """A line of the petition's timeline: every step, with who, from where, and why."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")

    record_field = "petition"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "信访事项办理记录"
        indexes = [models.Index(fields=["petition", "created_at"], name="petition_event_petition")]


class KeyLevel(models.TextChoices):
    GENERAL = "general", "一般关注"
    CLOSE = "close", "重点关注"
    HIGH = "high", "高度关注"


class KeyPetitioner(models.Model):
    """The key-petitioner register (重点上访人员): seen only by petition staff and leaders."""

    petitioner = models.OneToOneField(
        Petitioner, on_delete=models.PROTECT, related_name="key_record"
    )
    reason = models.TextField("列管原因")
    level = models.CharField("关注等级", max_length=10, choices=KeyLevel.choices)
    responsible_unit = Ref(Organization, "责任单位")
    responsible_path = models.CharField(max_length=400)
    measures = models.TextField("稳控化解措施", blank=True)
    since = models.DateField("列管日期")
    is_active = models.BooleanField("在管", default=True)
    created_by = Ref(settings.AUTH_USER_MODEL, null=True)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # The record as a role of the people register (services/key_roles.py): the open role
    # while listed, the ended one after; or, with no role, why the person is not there.
    role = Ref("registers.PersonRole", "实有人口中的类别", null=True)
    role_note = models.CharField("未纳入实有人口的原因", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "重点上访人员"
        ordering = ["-since", "-id"]
        indexes = [path_index("responsible_path", "key_petitioner_path")]

    def __str__(self) -> str:
        return f"{self.petitioner} {self.get_level_display()}"
