"""Appointments (预约): petition staff book a petitioner into a leader's rota day, or a
township's or village's center books one of its petitioners into a county leader's day, to be
received by video from its reception room (视频接访); the day's leader calls them in one by
one (叫号); the bookers cancel, or the day notes that the petitioner did not come. Receiving
is done by recording the reception (`records.reception_record`). The transitions run on the
dossier kernel (`zhili.receptions.workflow.KIND`)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.dossier import actions_for as kernel_actions_for
from zhili.core.dossier import apply_transition, check_action, record_history
from zhili.core.errors import Conflict, DomainError, InvalidInput
from zhili.core.models import Series
from zhili.core.personal import validate_phone
from zhili.core.types import Actor, SystemActor
from zhili.core.workflow import Transition
from zhili.orgs.models import Organization
from zhili.petitions.models import Petition, Petitioner
from zhili.receptions import selectors, workflow
from zhili.receptions.models import Appointment, AppointmentState, RotaDay
from zhili.receptions.services.common import (
    check_arranger_for,
    check_covers,
    check_on_day,
    create_or_conflict,
    text,
    user_or_none,
)

MAX_PEOPLE = 200
PREFIX = "JF"  # 接访: the appointments' numbers, their tracking codes


def next_appointment_no(now: datetime) -> str:
    """JF2026-000123: sequential per local year, gap-free (taken in the caller's transaction;
    a booking refused for its slot gives its number back with the rollback)."""
    year = timezone.localdate(now).year
    return f"{PREFIX}{year}-{take_next(Series.APPOINTMENT, str(year)):06d}"


def slot_taken(slot_time: time) -> Conflict:
    return Conflict(f"{slot_time:%H:%M} 这一时段已被预约，请换一个时段", field="slot_time")


def _check_slot(rota_day: RotaDay, slot_time: time) -> None:
    if not rota_day.starts_at <= slot_time < rota_day.ends_at:
        raise InvalidInput(
            f"预约时间应在接访时段 {rota_day.starts_at:%H:%M}–{rota_day.ends_at:%H:%M} 内",
            field="slot_time",
        )
    if rota_day.appointments.filter(slot_time=slot_time, state__in=workflow.HOLDING).exists():
        raise slot_taken(slot_time)


def _check_capacity(rota_day: RotaDay) -> None:
    held = rota_day.appointments.filter(state__in=workflow.HOLDING).count()
    if not workflow.places_left(rota_day, held):
        raise Conflict(
            f"{rota_day.date:%m月%d日}的接访预约已满（共{rota_day.slots}个名额），请预约其他日期",
            field="rota_day",
        )


def _booking_unit(actor: Actor, rota_day: RotaDay) -> Organization | None:
    """Who books: petition staff arranging the day (None: the rota's own booking), or a
    township's or village's booking staff on a county leader's day (their center, where the
    petitioner will sit); anyone else is refused (404 out of sight, then 403)."""
    if workflow.arranges(actor, rota_day.org_path):
        return None
    unit = selectors.booking_unit(actor)
    if unit is not None and rota_day.organization.level == workflow.BOOKED_LEVEL:
        return unit
    check_arranger_for(actor, rota_day.org_path)
    return None


def _check_bookable(actor: Actor, rota_day: RotaDay) -> Organization | None:
    """Who books the day, before the day is gone: the booking center (None for the rota's
    petition staff)."""
    unit = _booking_unit(actor, rota_day)
    if rota_day.date < timezone.localdate():
        raise InvalidInput("该接访日已经过去，不能再预约", field="rota_day")
    return unit


def may_book(actor: Actor, rota_day: RotaDay) -> bool:
    """Whether the day page offers `actor` to book on `rota_day` (any slot may be taken)."""
    try:
        _check_bookable(actor, rota_day)
    except DomainError:
        return False
    return True


def _open_day(
    actor: Actor, rota_day: RotaDay, slot_time: time
) -> tuple[RotaDay, Organization | None]:
    """The day, locked against a concurrent booking, once it may take one at `slot_time`,
    and the booking center (None for the rota's petition staff)."""
    unit = _check_bookable(actor, rota_day)
    rota_day = RotaDay.objects.select_for_update().get(pk=rota_day.pk)
    _check_capacity(rota_day)
    _check_slot(rota_day, slot_time)
    return rota_day, unit


def _booking_fields(unit: Organization | None, waiting_room: str) -> dict[str, object]:
    """A booking center's own fields: the center, its path, the room the petitioner sits in
    (its reception room unless another is named)."""
    if unit is None:
        return {}
    room = text(waiting_room, "waiting_room", "候访地点", 100) or f"{unit.name}视频接访室"
    return {"booking_unit": unit, "booking_path": unit.path, "waiting_room": room[:100]}


def _check_own_area(unit: Organization | None, people: list[Petitioner]) -> None:
    """A booking center books its own petitioners: one registered with another township is
    refused (one with no township is taken as the center's)."""
    if unit is None:
        return
    for person in people:
        township = person.township
        if township is not None and not (
            unit.path.startswith(township.path) or township.path.startswith(unit.path)
        ):
            raise InvalidInput(
                f"信访人{person.name}登记在{township.name}，不是本地信访人", field="petitioners"
            )


@dataclass(frozen=True)
class Visitors:
    """Who comes: registered petitioners, or a person not registered yet; how many."""

    people: list[Petitioner]
    name: str
    phone: str
    count: int

    def fields(self) -> dict[str, object]:
        return {"visitor_name": self.name, "visitor_phone": self.phone, "people_count": self.count}


def _petitioners(ids: Iterable[int]) -> list[Petitioner]:
    wanted = {int(i) for i in ids}
    found = list(Petitioner.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise InvalidInput("所选信访人不存在", field="petitioners")
    return found


def parties(petition: Petition | None) -> list[Petitioner]:
    """The petitioners of `petition` (none without one)."""
    if petition is None:
        return []
    return [party.petitioner for party in petition.parties.select_related("petitioner")]


def people_count(count: int | None, people: list[Petitioner]) -> int:
    count = count or max(len(people), 1)
    if not 1 <= count <= MAX_PEOPLE:
        raise InvalidInput(f"来访人数应在1到{MAX_PEOPLE}之间", field="people_count")
    return count


def _visitors(
    petition: Petition | None,
    petitioner_ids: Iterable[int],
    name: str,
    phone: str,
    count: int | None,
) -> Visitors:
    """The given petitioners, else the petition's parties; a name and a phone without them."""
    people = _petitioners(petitioner_ids) or parties(petition)
    name = text(name, "visitor_name", "来访人姓名", 50, required=not people)
    phone = (phone or "").strip()
    if phone or not people:
        phone = validate_phone(phone, field="visitor_phone")
    return Visitors(people, name, phone, people_count(count, people))


def _insert(
    actor: Actor, rota_day: RotaDay, slot_time: time, fields: dict[str, object], now: datetime
) -> Appointment:
    return create_or_conflict(
        Appointment,
        slot_taken(slot_time),  # a concurrent booking took the slot first
        number=next_appointment_no(now),
        rota_day=rota_day,
        org_path=rota_day.org_path,
        slot_time=slot_time,
        booked_by=user_or_none(actor),
        booked_at=now,
        updated_at=now,
        **fields,
    )


@transaction.atomic
def appointment_book(
    *,
    actor: Actor,
    rota_day: RotaDay,
    slot_time: time,
    subject: str = "",
    petition: Petition | None = None,
    petitioner_ids: Iterable[int] = (),
    visitor_name: str = "",
    visitor_phone: str = "",
    people_count: int | None = None,
    note: str = "",
    waiting_room: str = "",
) -> Appointment:
    """Book a slot of `rota_day`. Who comes: the petition's parties, the given registered
    petitioners, or a person not registered yet (name and phone). A township's or village's
    booking staff book a county leader's day for their own petitioner, who sits in their
    center's reception room (`waiting_room`, by default the center's 视频接访室)."""
    rota_day, unit = _open_day(actor, rota_day, slot_time)
    who = _visitors(petition, petitioner_ids, visitor_name, visitor_phone, people_count)
    _check_own_area(unit, who.people)
    default_subject = petition.title if petition is not None else ""
    subject = text(subject or default_subject, "subject", "反映事项", 200, required=True)
    note = text(note, "note", "备注", 500)
    now = timezone.now()
    fields = {**who.fields(), "petition": petition, "subject": subject, "note": note}
    fields.update(_booking_fields(unit, waiting_room))
    appointment = _insert(actor, rota_day, slot_time, fields, now)
    appointment.petitioners.set(who.people)
    _record_booking(actor, appointment, at=now)
    return appointment


def _record_booking(actor: Actor, appointment: Appointment, *, at: datetime) -> None:
    day = appointment.rota_day
    record_history(
        workflow.KIND,
        appointment,
        "book",
        from_state="",
        to_state=AppointmentState.BOOKED,
        actor=actor,
        note=appointment.subject,
        at=at,
    )
    audit(
        actor,
        "receptions.appointment.book",
        appointment,
        rota_day=day.pk,
        date=day.date.isoformat(),
        slot=f"{appointment.slot_time:%H:%M}",
        petition=appointment.petition.number if appointment.petition else "",
        booking_unit=appointment.booking_unit.code if appointment.booking_unit else "",
    )


# --- transitions (the dossier kernel) ---------------------------------------------------------


def check_transition(actor: Actor, appointment: Appointment, action: str) -> Transition:
    return check_action(workflow.KIND, actor, appointment, action)


def actions_for(actor: Actor, appointment: Appointment) -> list[Transition]:
    """The transitions `actor` may take on `appointment` now (the day page's buttons)."""
    return kernel_actions_for(workflow.KIND, actor, appointment)


def apply(
    appointment: Appointment,
    transition: Transition,
    actor: SystemActor,
    note: str,
    **changes: object,
) -> Appointment:
    """Move the appointment: a conditional update on its state and version, its history,
    audit and event (`zhili.core.dossier.apply_transition`)."""
    step = apply_transition(workflow.KIND, appointment, transition, actor, changes, note=note)
    return step.record


@transaction.atomic
def appointment_cancel(*, actor: Actor, appointment: Appointment, reason: str) -> Appointment:
    """Petition staff cancel a booking (the petitioner withdrew, the matter was settled ...);
    the slot is free again."""
    transition = check_transition(actor, appointment, "cancel")
    reason = text(reason, "reason", "取消原因", 500, required=True)
    return apply(appointment, transition, actor, reason, cancel_reason=reason)


@transaction.atomic
def appointment_no_show(*, actor: Actor, appointment: Appointment, note: str = "") -> Appointment:
    """The petitioner did not come: only once the day has come (the kind's guard)."""
    transition = check_transition(actor, appointment, "no_show")
    return apply(appointment, transition, actor, text(note, "note", "说明", 500))


# --- the day's queue: the leader calls the next one in (叫号) ----------------------------------


def next_in_queue(rota_day: RotaDay) -> Appointment | None:
    """The first booked appointment of the day, by its slot, not called yet."""
    return (
        rota_day.appointments.filter(state=AppointmentState.BOOKED, called_at=None)
        .order_by("slot_time", "id")
        .first()
    )


def _check_caller(actor: Actor, rota_day: RotaDay) -> None:
    """Who calls the day's queue, and when: the day's leader or the staff arranging the day
    (404 out of sight, else 403), on the day itself (409 before it or after it)."""
    check_covers(actor, rota_day.org_path)
    check_on_day(actor, rota_day)
    refusal = workflow.not_on_the_day(rota_day, "叫号")
    if refusal is not None:
        raise refusal


def may_call(actor: Actor, rota_day: RotaDay) -> bool:
    """Whether the day page offers `actor` 叫下一位: they may call the day's queue now, and
    someone waits in it."""
    try:
        _check_caller(actor, rota_day)
    except DomainError:
        return False
    return next_in_queue(rota_day) is not None


@transaction.atomic
def appointment_call(*, actor: Actor, rota_day: RotaDay) -> Appointment:
    """叫号: the day's leader (or the staff arranging the day) calls the next petitioner of
    the queue into the video room, on the day itself; the caller opens the room for them
    (zhili.rooms.reception). 409 when no one waits."""
    _check_caller(actor, rota_day)
    rota_day = RotaDay.objects.select_for_update().get(pk=rota_day.pk)
    appointment = next_in_queue(rota_day)
    if appointment is None:
        raise Conflict("当日已无候访的信访人", field="rota_day")
    now = timezone.now()
    Appointment.objects.filter(pk=appointment.pk).update(called_at=now)
    appointment.called_at = now
    where = appointment.waiting_room or rota_day.place
    record_history(
        workflow.KIND,
        appointment,
        "call",
        from_state=appointment.state,
        to_state=appointment.state,
        actor=actor,
        note=f"请{where}的信访人进入视频接访室",
        at=now,
    )
    audit(actor, "receptions.appointment.call", appointment, rota_day=rota_day.pk)
    return appointment
