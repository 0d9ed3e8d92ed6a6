"""Leader reception (领导接访): the rota of receiving leaders, appointments booked into a
leader's day, the reception records, and the matters a leader owns until resolved (包案).

Every row carries `org_path`, the materialized path of the organization whose rota it
belongs to (the county center, or a township center for township leaders), so that the
scope filter is one indexed range scan, as for supervision orders.
"""

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhili.core.dossier.history import HistoryRow
from zhili.core.fields import Ref, path_index
from zhili.orgs.models import Organization, User

# How many appointments a rota day takes unless the officer sets another number
# (settings.ZHILI_RECEPTION_SLOTS overrides it), and the default reception hours.
DEFAULT_SLOTS = 6
DEFAULT_START = time(8, 30)
DEFAULT_END = time(11, 30)


def default_slots() -> int:
    return int(getattr(settings, "ZHILI_RECEPTION_SLOTS", DEFAULT_SLOTS))


class RotaDay(models.Model):
    """One leader receiving petitioners on one working day for one organization (领导接访日)."""

    date = models.DateField("接访日期")
    organization = Ref(Organization, "接访中心")
    org_path = models.CharField(max_length=400)
    leader = Ref(settings.AUTH_USER_MODEL, "接访领导", related_name="rota_days")
    place = models.CharField("接访地点", max_length=100)
    starts_at = models.TimeField("开始时间", default=DEFAULT_START)
    ends_at = models.TimeField("结束时间", default=DEFAULT_END)
    slots = models.PositiveSmallIntegerField("预约名额", default=default_slots)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = Ref(settings.AUTH_USER_MODEL, "安排人", null=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "领导接访日"
        ordering = ["date", "org_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "date"], name="receptions_one_leader_per_day"
            )
        ]
        indexes = [
            path_index("org_path", "receptions_rota_path"),
            models.Index(fields=["leader", "date"], name="receptions_rota_leader"),
            models.Index(fields=["date"], name="receptions_rota_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.leader}"


class AppointmentState(models.TextChoices):
    BOOKED = "booked", "已预约"
    RECEIVED = "received", "已接待"
    CANCELLED = "cancelled", "已取消"
    NO_SHOW = "no_show", "未到场"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "现场接访"
    VIDEO = "video", "视频接访"


class OwnershipState(models.TextChoices):
    ACTIVE = "active", "包案中"
    RESOLVED = "resolved", "已化解"


class Appointment(models.Model):
    """A petitioner's appointment in a leader's rota day (预约), booked on the petitioner's
    behalf: by the petition staff arranging the rota, or, for a video reception by a county
    leader, by a township or village center (the booking unit, `booking_unit`), in whose
    reception room (`waiting_room`) the petitioner sits while the leader receives by video.

    Who comes: the registered petitioners (`petitioners`; when `petition` is given, its
    parties), or, for someone not registered yet, `visitor_name` and `visitor_phone`."""

    rota_day = Ref(RotaDay, "接访日", related_name="appointments")
    # Its number, its tracking code (一案一码, JF2026-000123: zhili/receptions/tracking.py).
    number = models.CharField("预约编号", max_length=20, unique=True, null=True, blank=True)
    org_path = models.CharField(max_length=400)
    petitioners = models.ManyToManyField(
        "petitions.Petitioner", verbose_name="信访人", blank=True, related_name="+"
    )
    visitor_name = models.CharField("来访人姓名", max_length=50, blank=True)
    visitor_phone = models.CharField("联系电话", max_length=20, blank=True)
    people_count = models.PositiveSmallIntegerField("来访人数", default=1)
    petition = Ref(
        "petitions.Petition", "信访事项", null=True, related_name="reception_appointments"
    )
    slot_time = models.TimeField("预约时间")
    subject = models.CharField("反映事项", max_length=200)
    note = models.CharField("备注", max_length=500, blank=True)
    state = models.CharField(
        "状态",
        max_length=20,
        choices=AppointmentState.choices,
        default=AppointmentState.BOOKED,
        db_index=True,
    )
    booked_by = Ref(settings.AUTH_USER_MODEL, "预约登记人", null=True)
    booked_at = models.DateTimeField(default=timezone.now)
    # A township's or village's booking (视频接访): its center, that center's path (its
    # staff see and change their own bookings by it) and the room the petitioner sits in.
    booking_unit = Ref(Organization, "预约单位", null=True, related_name="+")
    booking_path = models.CharField(max_length=400, blank=True)
    waiting_room = models.CharField("候访地点", max_length=100, blank=True)
    # When the day's leader called the petitioner into the video room (叫号).
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "接访预约"
        ordering = ["rota_day__date", "slot_time", "id"]
        constraints = [
            # A slot holds one appointment; a cancelled one frees it.
            models.UniqueConstraint(
                fields=["rota_day", "slot_time"],
                condition=~models.Q(state="cancelled"),
                name="receptions_one_appointment_per_slot",
            )
        ]
        indexes = [
            path_index("org_path", "receptions_appt_path"),
            path_index("booking_path", "receptions_appt_booking"),
        ]

    def __str__(self) -> str:
        return f"{self.rota_day_id} {self.slot_time:%H:%M} {self.who}"

    @property
    def who(self) -> str:
        names = [p.name for p in self.petitioners.all()]
        return "、".join(names) if names else self.visitor_name


class AppointmentEvent(HistoryRow):
    """An appointment's history: booked, received, cancelled, no-show; who and when."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")

    record_field = "appointment"

    class Meta(HistoryRow.Meta):
        verbose_name = verbose_name_plural = "接访预约办理记录"
        indexes = [models.Index(fields=["appointment", "created_at"], name="receptions_event_appt")]


class Reception(models.Model):
    """The record of one reception (接访记录): with an appointment, or a walk-in."""

    appointment = models.OneToOneField(
        Appointment,
        verbose_name="预约",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reception",
    )
    rota_day = Ref(RotaDay, "接访日", null=True, related_name="receptions")
    leader = Ref(settings.AUTH_USER_MODEL, "接访领导", related_name="receptions_held")
    organization = Ref(Organization, "接访中心")
    org_path = models.CharField(max_length=400)
    received_at = models.DateTimeField("接访时间", default=timezone.now)
    mode = models.CharField("接访方式", max_length=20, choices=Mode.choices)
    # Filled by the video-reception module (a later issue) with its VideoRoom.
    video_room = models.CharField("视频会议室", max_length=100, blank=True)
    departments = models.ManyToManyField(
        Organization, verbose_name="联合接访部门", blank=True, related_name="+"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="陪同接访人员", blank=True, related_name="+"
    )
    petition = Ref("petitions.Petition", "信访事项", null=True, related_name="receptions")
    petitioners = models.ManyToManyField(
        "petitions.Petitioner", verbose_name="信访人", blank=True, related_name="+"
    )
    visitor_name = models.CharField("来访人姓名", max_length=50, blank=True)
    visitor_phone = models.CharField("联系电话", max_length=20, blank=True)
    people_count = models.PositiveSmallIntegerField("来访人数", default=1)
    request = models.TextField("来访诉求")
    decision = models.TextField("处理意见")
    assigned_unit = Ref(Organization, "责任单位", null=True)
    deadline = models.DateField("办理时限", null=True, blank=True)
    recorded_by = Ref(settings.AUTH_USER_MODEL, "记录人", null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "接访记录"
        ordering = ["-received_at", "-id"]
        indexes = [
            path_index("org_path", "receptions_record_path"),
            models.Index(fields=["leader", "-received_at"], name="receptions_record_leader"),
            models.Index(fields=["received_at"], name="receptions_record_time"),
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.received_at:%Y-%m-%d}"

    @property
    def staff_in_order(self) -> list[User]:
        """The attending staff in the order they were added to the platform (a many-to-many
        read has no order of its own: PostgreSQL answered in another order after deletes)."""
        return sorted(self.staff.all(), key=lambda user: user.pk)

    @property
    def is_joint(self) -> bool:
        return self.departments.exists()


class Ownership(models.Model):
    """A leader owns a petition until it is resolved (领导包案)."""

    leader = Ref(settings.AUTH_USER_MODEL, "包案领导", related_name="ownerships")
    petition = Ref("petitions.Petition", "信访事项", related_name="ownerships")
    # The leader's organization: a township secretary's 包案 counts for that township.
    org_path = models.CharField(max_length=400)
    since = models.DateField("包案日期")
    target_date = models.DateField("化解目标日期")
    due_at = models.DateTimeField(db_index=True)  # the end of the target date, local time
    state = models.CharField(
        "状态",
        max_length=20,
        choices=OwnershipState.choices,
        default=OwnershipState.ACTIVE,
        db_index=True,
    )
    resolved_at = models.DateTimeField("化解时间", null=True, blank=True)
    resolution = models.TextField("化解情况", blank=True)
    created_by = Ref(settings.AUTH_USER_MODEL, null=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "领导包案"
        ordering = ["state", "target_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition"],
                condition=models.Q(state="active"),
                name="receptions_one_active_owner",
            )
        ]
        indexes = [
            path_index("org_path", "receptions_owner_path"),
        ]

    def __str__(self) -> str:
        return f"{self.leader} {self.petition_id}"


class OwnershipNote(models.Model):
    """The 包案's progress: taken, each step reported, resolved."""

    ownership = models.ForeignKey(Ownership, on_delete=models.CASCADE, related_name="notes")
    action = models.CharField(max_length=20)  # assign / progress / resolve
    note = models.TextField()
    actor = Ref(settings.AUTH_USER_MODEL, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "包案进展记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ownership_id} {self.action}"
