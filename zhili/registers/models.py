"""The people register (实有人口, GB/T 31000-2015): one `Person` per resident ID number, the
roles they hold (流动人口, 社区矫正 ... with a care level and the kind's own fields), and the
history of every change. Nothing is deleted: a person who moves away is archived."""

from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref
from zhili.orgs.models import Grid, User
from zhili.registers.kinds import CareLevel, Kind


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Person(models.Model):
    id_number = models.CharField("公民身份号码", max_length=18, unique=True)
    name = models.CharField("姓名", max_length=60)
    former_names = models.CharField("曾用名", max_length=120, blank=True)
    sex = models.CharField("性别", max_length=6, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    native_place = models.CharField("籍贯", max_length=100, blank=True)
    marital_status = models.CharField("婚姻状况", max_length=20, blank=True)
    political_status = models.CharField("政治面貌", max_length=20, blank=True)
    education = models.CharField("学历", max_length=20, blank=True)
    religion = models.CharField("宗教信仰", max_length=20, blank=True)
    occupation = models.CharField("职业", max_length=60, blank=True)
    workplace = models.CharField("服务处所", max_length=200, blank=True)
    registered_address = models.CharField("户籍地详址", max_length=200, blank=True)
    current_address = models.CharField("现住地详址", max_length=200, blank=True)
    grid = Ref(Grid, "所属网格", related_name="people")
    house = models.CharField("房屋（楼栋、门牌）", max_length=120, blank=True)
    room = models.CharField("房间", max_length=40, blank=True)
    same_as_registered = models.BooleanField("人户一致", default=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    archived = models.BooleanField("已注销", default=False)
    archived_at = models.DateTimeField("注销时间", null=True, blank=True)
    archived_why = models.CharField("注销原因", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "实有人口"
        indexes = [
            models.Index(fields=["grid", "-created_at", "-id"], name="person_grid_newest"),
            models.Index(fields=["phone"], name="person_phone"),
            models.Index(fields=["grid", "name"], name="person_grid_name"),
            models.Index(fields=["-created_at", "-id"], name="person_newest"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonRole(models.Model):
    """A role on a person (their kind of 特殊人群 or 重点人群), open until `ended_at`."""

    person = Ref(Person, "人员", related_name="roles")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    care_level = models.CharField(
        "关注程度", max_length=10, choices=CareLevel.choices, default=CareLevel.NORMAL
    )
    details = models.JSONField("类别信息", default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_why = models.CharField("结束原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员类别"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=models.Q(ended_at__isnull=True),
                name="person_role_open_once",
            )
        ]
        indexes = [models.Index(fields=["kind", "ended_at"], name="person_role_kind")]

    def __str__(self) -> str:
        return Kind(self.kind).label


class PersonChange(models.Model):
    """One change to a person or their roles: who, when, and each field's old and new value
    (personal numbers masked)."""

    person = Ref(Person, "人员", related_name="changes")
    actor = Ref(User, "操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField("操作", max_length=40)
    changes = models.JSONField(default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "人员信息变更"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class Visit(models.Model):
    """A visit to a person for one of their roles (走访), sent from the phone, maybe offline:
    `client_uuid` makes a resend record nothing new."""

    role = Ref(PersonRole, "人员类别", related_name="visits")
    by = Ref(User, "走访人", related_name="+")
    visited_at = models.DateTimeField("走访时间")
    client_uuid = models.UUIDField(unique=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    notes = models.TextField("走访情况", blank=True, max_length=2000)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "走访记录"
        indexes = [models.Index(fields=["role", "-visited_at"], name="visit_role_newest")]

    def __str__(self) -> str:
        return f"{self.visited_at:%Y-%m-%d}"
