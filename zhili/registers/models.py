"""The people register (实有人口, GB/T 31000-2015): one `Person` per resident ID number, the
roles they hold (流动人口, 社区矫正 ... with a care level and the kind's own fields), and the
history of every change. Nothing is deleted: a person who moves away is archived."""

from typing import TypeAlias

from django.db import models
from django.utils import timezone

from zhili.core.fields import Ref
from zhili.orgs.models import Grid, User
from zhili.registers.kinds import CareLevel, Kind
from zhili.registers.places import PlaceKind


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Archivable(models.Model):
    """A register's record is archived (注销) with its reason, never deleted; its times order
    the keyset pages."""

    archived = models.BooleanField("已注销", default=False)
    archived_at = models.DateTimeField("注销时间", null=True, blank=True)
    archived_why = models.CharField("注销原因", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Person(Archivable):
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


# A history row's changes: each field's [old, new] value, as JSON.
Changes: TypeAlias = dict[str, list[object]]


class ChangeRow(models.Model):
    """A row of a register's history: who, when, the action, and each field's old and new
    value (personal numbers masked)."""

    actor = Ref(User, "操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField("操作", max_length=40)
    changes = models.JSONField(default=dict)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class PersonChange(ChangeRow):
    """One change to a person or their roles."""

    person = Ref(Person, "人员", related_name="changes")

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = "人员信息变更"


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


class Registered(Archivable):
    """What a house and a place share: the grid that keeps it (its scope), an address, a
    point for the map, archiving instead of deleting, and the keyset's time."""

    grid = Ref(Grid, "所属网格", related_name="+")
    address = models.CharField("地址", max_length=200)
    lat = models.FloatField("纬度", null=True, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)

    class Meta:
        abstract = True


class HouseUse(models.TextChoices):
    HOME = "home", "自住"
    RENTAL = "rental", "出租"
    SHOP = "shop", "商用"
    WORKSHOP = "workshop", "生产经营"
    WAREHOUSE = "warehouse", "仓储"
    VACANT = "vacant", "空置"
    OTHER = "other", "其他"


class HouseOwnership(models.TextChoices):
    PRIVATE = "private", "私有"
    COLLECTIVE = "collective", "集体"
    PUBLIC = "public", "公有"
    ENTERPRISE = "enterprise", "单位自管"
    OTHER = "other", "其他"


class HouseStructure(models.TextChoices):
    CONCRETE = "concrete", "钢混"
    BRICK_CONCRETE = "brick_concrete", "砖混"
    BRICK_WOOD = "brick_wood", "砖木"
    STEEL = "steel", "钢结构"
    OTHER = "other", "其他"


class House(Registered):
    """A house (实有房屋): its use, ownership, structure, area and owner; whether it is let
    (出租) and to whom (`Tenancy`), and the safety hazards found in it (`Hazard`)."""

    use = models.CharField("房屋用途", max_length=12, choices=HouseUse.choices)
    ownership = models.CharField("产权性质", max_length=12, choices=HouseOwnership.choices)
    structure = models.CharField("建筑结构", max_length=16, choices=HouseStructure.choices)
    area_m2 = models.DecimalField("建筑面积（平方米）", max_digits=9, decimal_places=2)
    owner = Ref(Person, "房主", null=True, related_name="houses_owned")
    let = models.BooleanField("出租房屋", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "实有房屋"
        indexes = [
            models.Index(fields=["grid", "-created_at", "-id"], name="house_grid_newest"),
            models.Index(fields=["-created_at", "-id"], name="house_newest"),
        ]

    def __str__(self) -> str:
        return self.address


class Tenancy(models.Model):
    """A letting of a house to a person (承租人), current until `ends_on` has passed."""

    house = Ref(House, "房屋", related_name="tenancies")
    person = Ref(Person, "承租人", related_name="tenancies")
    starts_on = models.DateField("起租日期")
    ends_on = models.DateField("止租日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "房屋租住"
        indexes = [models.Index(fields=["person"], name="tenancy_person")]

    def __str__(self) -> str:
        return f"{self.starts_on}"


class Hazard(models.Model):
    """A safety hazard found in a house (安全隐患), open until fixed."""

    house = Ref(House, "房屋", related_name="hazards")
    found_on = models.DateField("发现日期")
    description = models.CharField("隐患情况", max_length=500)
    fixed_on = models.DateField("整改完成日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "房屋安全隐患"

    def __str__(self) -> str:
        return self.description[:30]


class Place(Registered):
    """An organization or place of the registers (places.PLACE_KINDS): an enterprise or
    social organization, a school, a line under protection or a key area under
    rectification; the kind's own fields in `details`."""

    kind = models.CharField("类别", max_length=20, choices=PlaceKind.choices)
    name = models.CharField("名称", max_length=120)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    details = models.JSONField("专项信息", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "单位场所"
        indexes = [
            models.Index(fields=["kind", "grid", "-created_at", "-id"], name="place_grid_newest"),
            models.Index(fields=["kind", "-created_at", "-id"], name="place_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=models.Q(archived=False) & ~models.Q(credit_code=""),
                name="place_credit_code_open_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RecordChange(ChangeRow):
    """One change to a house or a place (their history, like `PersonChange` for people)."""

    house = Ref(House, "房屋", null=True, related_name="changes")
    place = Ref(Place, "单位场所", null=True, related_name="changes")

    class Meta(ChangeRow.Meta):
        verbose_name = verbose_name_plural = "房屋与单位场所变更"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(house__isnull=True, place__isnull=False)
                | models.Q(house__isnull=False, place__isnull=True),
                name="record_change_one_target",
            )
        ]


class MentionRelation(models.TextChoices):
    REPORTER = "reporter", "反映人"
    PARTY = "party", "当事人"
    RESPONDENT = "respondent", "被反映人"
    CONCERNED = "concerned", "涉及人员"
    HOUSE = "house", "涉及房屋"


class Mention(models.Model):
    """A dossier (a case, a dispute, a petition, an incident) names a person or a house: the
    person's page lists the dossiers that name them (一人一档). The dossier is its kernel kind
    (`dossier`, the kind's audit name) and row; its code is kept to show the link without
    the dossier's table. Unlinking keeps the row (`removed_at`): nothing is deleted."""

    dossier = models.CharField("档案类别", max_length=40)
    record_id = models.BigIntegerField("档案")
    code = models.CharField("档案编号", max_length=40)
    person = Ref(Person, "人员", null=True, related_name="mentions")
    house = Ref(House, "房屋", null=True, related_name="mentions")
    relation = models.CharField("关系", max_length=12, choices=MentionRelation.choices)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = Ref(User, "关联人", null=True, on_delete=models.SET_NULL, related_name="+")
    removed_at = models.DateTimeField("解除时间", null=True, blank=True)
    removed_by = Ref(User, "解除人", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "档案关联"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=True) ^ models.Q(house__isnull=True),
                name="mention_person_or_house",
            ),
            models.UniqueConstraint(
                fields=["dossier", "record_id", "person"],
                condition=models.Q(removed_at__isnull=True, person__isnull=False),
                name="mention_person_once",
            ),
            models.UniqueConstraint(
                fields=["dossier", "record_id", "house"],
                condition=models.Q(removed_at__isnull=True, house__isnull=False),
                name="mention_house_once",
            ),
        ]
        indexes = [
            models.Index(fields=["dossier", "record_id"], name="mention_dossier"),
            models.Index(fields=["person", "-created_at"], name="mention_person"),
            models.Index(fields=["house", "-created_at"], name="mention_house"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_relation_display()}"
