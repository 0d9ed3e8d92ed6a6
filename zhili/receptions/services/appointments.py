"""Appointments (预约): petition staff book a petitioner into a leader's rota day, cancel it,
or note that the petitioner did not come. Receiving is done by recording the reception
(`records.reception_record`)."""

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, DomainError, Forbidden, InvalidInput
from zhili.core.personal import validate_phone
from zhili.core.workflow import TransitionRefused, actor_roles, refusal_to_error
from zhili.petitions.models import Petition, Petitioner
from zhili.receptions import workflow
from zhili.receptions.models import Appointment, AppointmentEvent, AppointmentState, RotaDay
from zhili.receptions.services.common import (
    check_covers,
    check_day_side,
    is_arranger_for,
    require_arranger,
    text,
    user_or_none,
)

MAX_PEOPLE = 200


def history(
    appointment: Appointment,
    action: str,
    from_state: str,
    to_state: str,
    actor: Any,
    note: str = "",
    *,
    at: datetime | None = None,
) -> AppointmentEvent:
    return AppointmentEvent.objects.create(
        appointment=appointment,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=user_or_none(actor),
        note=note,
        created_at=at or timezone.now(),
    )


def _check_slot(rota_day: RotaDay, slot_time: time) -> None:
    if not rota_day.starts_at <= slot_time < rota_day.ends_at:
        raise InvalidInput(
            f"预约时间应在接访时段 {rota_day.starts_at:%H:%M}–{rota_day.ends_at:%H:%M} 内",
            field="slot_time",
        )
    taken = rota_day.appointments.filter(slot_time=slot_time, state__in=workflow.HOLDING)
    if taken.exists():
        raise Conflict(f"{slot_time:%H:%M} 这一时段已被预约，请换一个时段", field="slot_time")


def _check_capacity(rota_day: RotaDay) -> None:
    held = rota_day.appointments.filter(state__in=workflow.HOLDING).count()
    if held >= rota_day.slots:
        raise Conflict(
            f"{rota_day.date:%m月%d日}的接访预约已满（共{rota_day.slots}个名额），请预约其他日期",
            field="rota_day",
        )


def _petitioners(ids: Iterable[int]) -> list[Petitioner]:
    wanted = {int(i) for i in ids}
    found = list(Petitioner.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise InvalidInput("所选信访人不存在", field="petitioners")
    return found


@transaction.atomic
def appointment_book(
    *,
    actor: Any,
    rota_day: RotaDay,
    slot_time: time,
    subject: str = "",
    petition: Petition | None = None,
    petitioner_ids: Iterable[int] = (),
    visitor_name: str = "",
    visitor_phone: str = "",
    people_count: int | None = None,
    note: str = "",
) -> Appointment:
    """Book a slot of `rota_day`. Who comes: the petition's parties, the given registered
    petitioners, or a person not registered yet (name and phone)."""
    require_arranger(actor)
    check_covers(actor, rota_day.org_path)
    rota_day = RotaDay.objects.select_for_update().get(pk=rota_day.pk)
    if rota_day.date < timezone.localdate():
        raise InvalidInput("该接访日已经过去，不能再预约", field="rota_day")
    _check_capacity(rota_day)
    _check_slot(rota_day, slot_time)
    people = _petitioners(petitioner_ids)
    if petition is not None and not people:
        people = [party.petitioner for party in petition.parties.select_related("petitioner")]
    visitor_name = text(visitor_name, "visitor_name", "来访人姓名", 50, required=not people)
    visitor_phone = (visitor_phone or "").strip()
    if visitor_phone or not people:
        visitor_phone = validate_phone(visitor_phone, field="visitor_phone")
    default_subject = petition.title if petition is not None else ""
    subject = text(subject or default_subject, "subject", "反映事项", 200, required=True)
    count = people_count or max(len(people), 1)
    if not 1 <= count <= MAX_PEOPLE:
        raise InvalidInput(f"来访人数应在1到{MAX_PEOPLE}之间", field="people_count")
    now = timezone.now()
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                rota_day=rota_day,
                org_path=rota_day.org_path,
                visitor_name=visitor_name,
                visitor_phone=visitor_phone,
                people_count=count,
                petition=petition,
                slot_time=slot_time,
                subject=subject,
                note=text(note, "note", "备注", 500),
                booked_by=user_or_none(actor),
                booked_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:  # a concurrent booking took the slot first
        raise Conflict(
            f"{slot_time:%H:%M} 这一时段已被预约，请换一个时段", field="slot_time"
        ) from exc
    appointment.petitioners.set(people)
    history(appointment, "book", "", AppointmentState.BOOKED, actor, subject, at=now)
    audit(
        actor,
        "receptions.appointment.book",
        appointment,
        rota_day=rota_day.pk,
        date=rota_day.date.isoformat(),
        slot=f"{slot_time:%H:%M}",
        petition=petition.number if petition else "",
    )
    return appointment


# --- transitions ------------------------------------------------------------------------------


def check_transition(actor: Any, appointment: Appointment, action: str) -> workflow.Transition:
    try:
        transition = workflow.check(action, state=appointment.state, roles=actor_roles(actor))
    except TransitionRefused as refused:
        raise refusal_to_error(refused) from refused
    day = appointment.rota_day
    if transition.side == "center":
        check_covers(actor, day.org_path)
        if not is_arranger_for(actor, day.org_path):
            raise Forbidden("只有安排接访的信访部门可以取消预约")
    else:
        check_day_side(actor, path=day.org_path, leader_id=day.leader_id)
    return transition


def actions_for(actor: Any, appointment: Appointment) -> list[workflow.Transition]:
    allowed = []
    for name, transition in workflow.TRANSITIONS.items():
        try:
            check_transition(actor, appointment, name)
        except DomainError:
            continue
        allowed.append(transition)
    return allowed


def apply(
    appointment: Appointment,
    transition: workflow.Transition,
    actor: Any,
    note: str,
    **changes: Any,
) -> Appointment:
    """Move the appointment with a conditional update on its old state."""
    now = timezone.now()
    from_state = appointment.state
    to_state = transition.target or from_state
    won = Appointment.objects.filter(pk=appointment.pk, state=from_state).update(
        **changes, state=to_state, updated_at=now
    )
    if not won:
        raise Conflict("该预约刚被他人处理，请刷新后重试", code="concurrent_update")
    appointment.refresh_from_db()
    history(appointment, transition.name, from_state, to_state, actor, note, at=now)
    audit(
        actor,
        f"receptions.appointment.{transition.name}",
        appointment,
        from_state=from_state,
        to_state=to_state,
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, actor: Any, appointment: Appointment, reason: str) -> Appointment:
    """Petition staff cancel a booking (the petitioner withdrew, the matter was settled ...);
    the slot is free again."""
    transition = check_transition(actor, appointment, "cancel")
    reason = text(reason, "reason", "取消原因", 500, required=True)
    return apply(appointment, transition, actor, reason, cancel_reason=reason)


@transaction.atomic
def appointment_no_show(*, actor: Any, appointment: Appointment, note: str = "") -> Appointment:
    """The petitioner did not come: only once the day has come."""
    transition = check_transition(actor, appointment, "no_show")
    if appointment.rota_day.date > timezone.localdate():
        raise Conflict("接访日尚未到，不能登记未到场", field="rota_day")
    return apply(appointment, transition, actor, text(note, "note", "说明", 500))
