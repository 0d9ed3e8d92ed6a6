"""Time limits with a controlled clock: working days across holidays, urgent and emergency
limits, the cards at 80 % and at the deadline, extensions and suspension."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from zhili.cases.models import Card, State, Urgency
from zhili.cases.services import case_act
from zhili.cases.sweep import sweep_cards

TZ = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def dispatched(register, staff, moment, **fields):
    """A noise case of township T1 registered and dispatched at `moment`."""
    with time_machine.travel(moment, tick=False):
        case = register(**fields)
        return case_act(actor=staff.township, case=case, action="dispatch")


def sweep_at(moment):
    with time_machine.travel(moment, tick=False):
        return sweep_cards()


def test_normal_case_is_due_after_the_national_day_holiday(register, staff):
    case = dispatched(register, staff, at(2026, 9, 30, 16, 0))
    # Oct 1-7 off; working days 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13.
    assert case.acknowledge_due_at == at(2026, 10, 8, 16, 0)
    assert case.due_at == at(2026, 10, 13, 16, 0)
    assert case.calendar_clock is False
    # 37.5 office hours (7.5 a day) in all; 80 % of them (30 h) end on 10-12 at 16:00.
    assert case.warn_at == at(2026, 10, 12, 16, 0)


def test_urgent_case_counts_working_hours(register, staff):
    case = dispatched(register, staff, at(2026, 11, 26, 11, 0), urgency=Urgency.URGENT)
    # 11:00-12:00, lunch break, 13:30-14:30.
    assert case.acknowledge_due_at == at(2026, 11, 26, 14, 30)
    assert case.due_at == at(2026, 11, 27, 11, 0)


def test_urgent_case_on_friday_afternoon_runs_into_monday(register, staff):
    case = dispatched(register, staff, at(2026, 11, 27, 16, 30), urgency=Urgency.URGENT)
    # One office hour left on Friday, the second starts Monday 08:30.
    assert case.acknowledge_due_at == at(2026, 11, 30, 9, 30)
    assert case.due_at == at(2026, 11, 30, 16, 30)


def test_emergency_case_counts_calendar_minutes_at_night_on_a_holiday(register, staff):
    case = dispatched(register, staff, at(2026, 10, 3, 23, 0), urgency=Urgency.EMERGENCY)
    assert case.calendar_clock is True
    assert case.acknowledge_due_at == at(2026, 10, 3, 23, 30)
    assert case.due_at == at(2026, 10, 4, 1, 0)
    assert case.warn_at == at(2026, 10, 4, 0, 36)  # 80 % of 120 minutes


def test_cards_fall_at_80_percent_and_at_the_deadline_not_before(register, staff):
    case = dispatched(register, staff, at(2026, 9, 30, 16, 0))

    assert sweep_at(at(2026, 10, 12, 15, 59)).carded == 0
    case.refresh_from_db()
    assert case.card == Card.NONE

    assert sweep_at(at(2026, 10, 12, 16, 0)).yellow == 1
    case.refresh_from_db()
    assert (case.card, case.warn_at) == (Card.YELLOW, at(2026, 10, 13, 16, 0))

    assert sweep_at(at(2026, 10, 13, 15, 59)).carded == 0
    case.refresh_from_db()
    assert case.card == Card.YELLOW

    assert sweep_at(at(2026, 10, 13, 16, 0)).red == 1
    case.refresh_from_db()
    assert (case.card, case.warn_at, case.card_at) == (Card.RED, None, at(2026, 10, 13, 16, 0))
    assert sweep_at(at(2026, 10, 20, 9, 0)).carded == 0


def test_a_late_sweep_gives_the_red_card_directly(register, staff):
    case = dispatched(register, staff, at(2026, 11, 26, 10, 0), urgency=Urgency.EMERGENCY)
    result = sweep_at(at(2026, 11, 26, 13, 0))
    assert (result.yellow, result.red) == (0, 1)
    case.refresh_from_db()
    assert case.card == Card.RED


def test_approved_extension_moves_the_deadline_and_clears_the_yellow_card(register, staff):
    case = dispatched(register, staff, at(2026, 9, 30, 16, 0))
    sweep_at(at(2026, 10, 12, 16, 10))
    case.refresh_from_db()
    assert case.card == Card.YELLOW
    with time_machine.travel(at(2026, 10, 12, 16, 30), tick=False):
        case = case_act(actor=staff.township, case=case, action="acknowledge")
        case = case_act(
            actor=staff.township,
            case=case,
            action="request_extension",
            reason="需协调施工单位",
            until="2026-10-20T16:00",
        )
        case = case_act(actor=staff.township, case=case, action="approve_extension")
    assert case.due_at == at(2026, 10, 20, 16, 0)
    assert case.card == Card.NONE
    assert case.extended is True
    assert at(2026, 10, 12, 16, 30) < case.warn_at < case.due_at

    # The old deadline passes without a card; the new 80 % point gives the yellow one.
    assert sweep_at(at(2026, 10, 13, 16, 0)).carded == 0
    assert sweep_at(case.warn_at).yellow == 1
    assert sweep_at(at(2026, 10, 20, 16, 0)).red == 1


def test_suspend_and_resume_keep_the_remaining_calendar_time(register, staff):
    case = dispatched(register, staff, at(2026, 11, 26, 10, 0), urgency=Urgency.EMERGENCY)
    with time_machine.travel(at(2026, 11, 26, 11, 0), tick=False):
        case = case_act(actor=staff.township, case=case, action="suspend", reason="等待鉴定")
    assert case.state == State.SUSPENDED
    assert case.remaining_seconds == 3600
    assert sweep_at(at(2026, 11, 26, 14, 0)).carded == 0  # no clock while suspended
    with time_machine.travel(at(2026, 11, 26, 15, 0), tick=False):
        case = case_act(actor=staff.township, case=case, action="resume")
    assert case.state == State.DISPATCHED
    assert case.due_at == at(2026, 11, 26, 16, 0)
    assert sweep_at(at(2026, 11, 26, 15, 59)).red == 0
    assert sweep_at(at(2026, 11, 26, 16, 0)).red == 1


def test_suspend_and_resume_keep_the_remaining_working_time(register, staff):
    case = dispatched(register, staff, at(2026, 11, 23, 9, 0))  # Monday; due Mon 11-30 09:00
    assert case.due_at == at(2026, 11, 30, 9, 0)
    # Friday 17:00: half an hour left on Friday, half an hour on Monday morning.
    with time_machine.travel(at(2026, 11, 27, 17, 0), tick=False):
        case = case_act(actor=staff.township, case=case, action="suspend", reason="等待鉴定")
    assert case.remaining_seconds == 3600
    with time_machine.travel(at(2026, 12, 2, 11, 30), tick=False):  # Wednesday 11:30
        case = case_act(actor=staff.township, case=case, action="resume")
    assert case.due_at == at(2026, 12, 2, 14, 0)  # 30 min before lunch, 30 min after
