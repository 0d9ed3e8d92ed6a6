"""Time limits that run into a year the holiday calendar does not know yet (2027 and later
for chinese-calendar 1.11): counted on the provisional calendar, marked, and recomputed when
the year's official arrangement is entered."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhili.cases.models import Card, Case, CaseEvent, State
from zhili.cases.services import case_act
from zhili.cases.sweep import sweep_cards
from zhili.cases.tests.test_api import act, auth
from zhili.core import outbox
from zhili.core.models import AuditLog
from zhili.core.services import CalendarDay, calendar_year_enter
from zhili.core.statutory import statutory_days

TZ = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.any_day


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def deliver_all() -> None:
    while outbox.deliver_pending(worker_id="test"):
        pass


def official_2027(*extra: CalendarDay) -> list[CalendarDay]:
    days = [CalendarDay(d, False, n) for d, n in statutory_days(2027).items()]
    return days + list(extra)


def test_dispatch_on_28_december_answers_200_with_a_provisional_deadline_in_january(
    client: Any, staff: Any, register: Any
) -> None:
    with time_machine.travel(at(2026, 12, 28, 10, 0), tick=False):
        case = register()
        response = act(client, staff.dispatcher, case.case_no, "dispatch", {})
        assert response.status_code == 200, response.content
        body = response.json()["case"]
        listed = client.get("/api/v1/cases", **auth(staff.dispatcher)).json()["items"]
    # 12-29, 12-30, 12-31, then 元旦 (Fri) and the weekend, then 01-04 and 01-05.
    assert datetime.fromisoformat(body["due_at"]) == at(2027, 1, 5, 10, 0)
    assert body["due_provisional"] is True
    assert [item["due_provisional"] for item in listed] == [True]
    case.refresh_from_db()
    assert case.due_provisional and case.clock_from == at(2026, 12, 28, 10, 0)


def test_a_deadline_inside_2026_is_not_provisional(staff: Any, register: Any) -> None:
    with time_machine.travel(at(2026, 12, 1, 10, 0), tick=False):
        case = case_act(actor=staff.township, case=register(), action="dispatch")
    assert case.due_at == at(2026, 12, 8, 10, 0) and not case.due_provisional


def spring_festival_case(staff: Any, register: Any) -> Case:
    """Dispatched Wednesday 2027-02-03 with five working days: on the provisional calendar
    02-04, then 除夕..初三 (02-05..02-08) off, then 02-09..02-12."""
    with time_machine.travel(at(2027, 2, 3, 10, 0), tick=False):
        return case_act(actor=staff.township, case=register(), action="dispatch")


def test_entering_2027_recomputes_the_open_deadline_and_says_so(staff: Any, register: Any) -> None:
    case = spring_festival_case(staff, register)
    assert case.due_at == at(2027, 2, 12, 10, 0) and case.due_provisional
    # The official arrangement (as the notice would give it): 02-09 and 02-10 off as well,
    # Saturday 02-20 a make-up working day.
    arrangement = official_2027(
        CalendarDay(date(2027, 2, 9), False, "春节"),
        CalendarDay(date(2027, 2, 10), False, "春节"),
        CalendarDay(date(2027, 2, 20), True, "春节"),
    )
    with time_machine.travel(at(2027, 1, 20, 9, 0), tick=False):
        calendar_year_enter(actor=staff.admin, year=2027, days=arrangement, source="imported")
        deliver_all()
    case.refresh_from_db()
    # 02-04, 02-11, 02-12, 02-15, 02-16.
    assert case.due_at == at(2027, 2, 16, 10, 0)
    assert not case.due_provisional
    line = CaseEvent.objects.get(case=case, action="recompute")
    assert (
        "2027年节假日安排已确认" in line.note and "2027-02-12 10:00 → 2027-02-16 10:00" in line.note
    )
    assert AuditLog.objects.filter(action="cases.case.recompute", target_id=str(case.pk)).exists()
    # A second delivery of the same event changes nothing.
    from zhili.cases.services.clock import cases_recompute_provisional

    assert cases_recompute_provisional(years=[2027]) == 0
    assert CaseEvent.objects.filter(case=case, action="recompute").count() == 1


def test_a_red_card_that_fell_on_the_provisional_deadline_is_withdrawn(
    staff: Any, register: Any
) -> None:
    case = spring_festival_case(staff, register)
    with time_machine.travel(at(2027, 2, 12, 10, 30), tick=False):
        assert sweep_cards().red == 1
        arrangement = official_2027(
            CalendarDay(date(2027, 2, 9), False, "春节"),
            CalendarDay(date(2027, 2, 10), False, "春节"),
        )
        calendar_year_enter(actor=staff.admin, year=2027, days=arrangement, source="imported")
        deliver_all()
    case.refresh_from_db()
    assert case.due_at == at(2027, 2, 16, 10, 0)
    # 80 % of the 37.5 office hours end on 02-15 at 10:00: no card yet, the next look then.
    assert case.card == Card.NONE and case.warn_at == at(2027, 2, 15, 10, 0)
    assert "原红牌撤销" in CaseEvent.objects.get(case=case, action="recompute").note


def test_a_resumed_case_is_recomputed_from_its_time_left(staff: Any, register: Any) -> None:
    with time_machine.travel(at(2027, 1, 27, 10, 0), tick=False):
        case = case_act(actor=staff.township, case=register(), action="dispatch")
        case = case_act(actor=staff.township, case=case, action="suspend", reason="等待鉴定")
    with time_machine.travel(at(2027, 2, 3, 10, 0), tick=False):
        case = case_act(actor=staff.township, case=case, action="resume")
    assert case.clock_seconds == 5 * 7.5 * 3600 and case.due_provisional
    assert case.due_at == at(2027, 2, 12, 10, 0)
    calendar_year_enter(
        actor=staff.admin,
        year=2027,
        days=official_2027(CalendarDay(date(2027, 2, 9), False, "春节")),
        source="imported",
    )
    deliver_all()
    case.refresh_from_db()
    assert case.due_at == at(2027, 2, 15, 10, 0)
    assert case.state == State.DISPATCHED


def test_the_case_page_marks_a_provisional_deadline(client: Any, staff: Any, register: Any) -> None:
    case = spring_festival_case(staff, register)
    client.force_login(staff.dispatcher)
    page = client.get(f"/cases/{case.case_no}/").content.decode()
    assert 'data-testid="provisional"' in page and "临时日历" in page


def test_the_export_and_open311_say_a_deadline_is_provisional(staff: Any, register: Any) -> None:
    from zhili.imports.exports import COLUMNS
    from zhili.open311.outputs import state_notice

    case = spring_festival_case(staff, register)
    flag = next(value for header, _, value in COLUMNS if header == "时限按临时日历")
    assert flag(case) == "是"
    assert "临时节假日日历" in state_notice(case)
    case.due_provisional = False
    assert flag(case) == "" and "临时" not in state_notice(case)
