"""The mediation agreement (人民调解法 第二十八条 to 第三十三条) and its parties' liability and
signatures."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref
from zhili.mediation.models.committees import Mediator
from zhili.mediation.models.disputes import Dispute, Party


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
    mediator = Ref(Mediator, "签名调解员", null=True)
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
    created_by = Ref(settings.AUTH_USER_MODEL, null=True)
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
    party = Ref(Party)
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
