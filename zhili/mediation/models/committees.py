"""People's mediation committees (人民调解委员会), their members, mediators and rooms.

A committee belongs to a governance center (village, township or county), whose materialized
`path` is copied onto the committee (and onto its rooms and disputes) so that the scope filter
is one indexed range scan.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref, path_index
from zhili.mediation.models.kinds import DisputeKind
from zhili.orgs.models import Level, Organization


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
    organization = Ref(Organization, "所属综治中心", related_name="mediation_committees")
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
        indexes = [path_index("path", "mediation_committee_path")]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    """A member of a committee for part of a term; `until` is set when the member leaves."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = Ref(settings.AUTH_USER_MODEL, "账号", null=True)
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
    organization = Ref(Organization, "所在综治中心")
    path = models.CharField(max_length=400, editable=False)
    committee = Ref(Committee, "调委会", related_name="rooms")
    address = models.CharField("地址", max_length=200, blank=True)
    video_room = models.CharField("视频调解室", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "调解室"
        ordering = ["path", "name"]
        indexes = [path_index("path", "mediation_room_path")]

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
    committee = Ref(Committee, "调委会", related_name="mediators")
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

    mediator = Ref(Mediator, "调解员", related_name="trainings")
    trained_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    organizer = models.CharField("组织单位", max_length=100)
    content = models.CharField("培训内容", max_length=200)
    created_by = Ref(settings.AUTH_USER_MODEL, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调解员培训记录"
        ordering = ["-trained_on", "-id"]
        indexes = [models.Index(fields=["mediator", "trained_on"], name="mediation_training")]

    def __str__(self) -> str:
        return f"{self.mediator_id} {self.trained_on} {self.content}"
