"""The hand-back window (5 working days) counted into a year whose holidays are not known
yet: marked 临时日历 wherever it is shown, and counted again when the year is entered."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from zhili.core import outbox
from zhili.core.models import AuditLog
from zhili.core.services import CalendarDay, calendar_year_enter
from zhili.core.statutory import statutory_days
from zhili.petitions.models import Petition
from zhili.petitions.services.calendar import petitions_recompute_provisional
from zhili.petitions.tests.conftest import advance

TZ = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.any_day


def deliver_all() -> None:
    while outbox.deliver_pending(worker_id="test"):
        pass


def enter_2027(staff: Any, *extra: CalendarDay) -> None:
    days = [CalendarDay(d, False, n) for d, n in statutory_days(2027).items()] + list(extra)
    with time_machine.travel(datetime(2026, 12, 29, 9, 0, tzinfo=TZ), tick=False):
        calendar_year_enter(actor=staff.admin, year=2027, days=days, source="imported")
        deliver_all()


def assigned_on_28_december(register: Any, staff: Any) -> Petition:
    with time_machine.travel(datetime(2026, 12, 28, 10, 0, tzinfo=TZ), tick=False):
        return advance(register(), staff, "assign")


def test_a_window_into_2027_is_provisional_and_says_so(register: Any, staff: Any) -> None:
    petition = assigned_on_28_december(register, staff)
    # 12-29, 12-30, 12-31, then 元旦 and the weekend, then 01-04 and 01-05.
    assert timezone.localdate(petition.hand_back_until) == date(2027, 1, 5)
    assert petition.hand_back_provisional is True
    client = Client()
    with time_machine.travel(datetime(2026, 12, 28, 11, 0, tzinfo=TZ), tick=False):
        client.force_login(staff.township)
        page = client.get(f"/petitions/{petition.number}/").content.decode()
        form = client.get(f"/petitions/{petition.number}/act/hand_back/").content.decode()
        api = client.get(f"/api/v1/petitions/{petition.number}").json()
    assert "异议退回期限" in page and 'data-testid="provisional"' in page
    assert "2027-01-05 当日24时<span" in form and "临时日历</span>" in form
    assert api["hand_back_provisional"] is True


def test_a_window_inside_2026_is_not(register: Any, staff: Any) -> None:
    with time_machine.travel(datetime(2026, 11, 26, 18, 0, tzinfo=TZ), tick=False):
        petition = advance(register(), staff, "assign")  # ends 12-03
    assert petition.hand_back_provisional is False


def test_entering_2027_counts_the_window_again_and_says_so(register: Any, staff: Any) -> None:
    petition = assigned_on_28_december(register, staff)
    # The official arrangement (as a notice might give it): 01-04 off too.
    enter_2027(staff, CalendarDay(date(2027, 1, 4), False, "元旦"))
    petition.refresh_from_db()
    assert timezone.localdate(petition.hand_back_until) == date(2027, 1, 6)
    assert petition.hand_back_provisional is False
    line = petition.events.get(action="recompute")
    assert line.note == (
        "2027年节假日安排已确认，异议期限按正式日历重新计算：2027年01月05日 → 2027年01月06日"
    )
    assert AuditLog.objects.filter(
        action="petitions.petition.recompute", target_id=str(petition.pk)
    ).exists()
    # A second delivery of the same event changes nothing.
    assert petitions_recompute_provisional(years=[2027]) == 0
    assert petition.events.filter(action="recompute").count() == 1


def test_a_window_that_does_not_move_loses_its_flag_quietly(register: Any, staff: Any) -> None:
    petition = assigned_on_28_december(register, staff)
    enter_2027(staff)
    petition.refresh_from_db()
    assert timezone.localdate(petition.hand_back_until) == date(2027, 1, 5)
    assert petition.hand_back_provisional is False
    assert not petition.events.filter(action="recompute").exists()


def test_a_window_no_longer_open_is_left_alone(register: Any, staff: Any) -> None:
    petition = assigned_on_28_december(register, staff)
    with time_machine.travel(datetime(2026, 12, 28, 11, 0, tzinfo=TZ), tick=False):
        petition = advance(petition, staff, "accept")
    enter_2027(staff, CalendarDay(date(2027, 1, 4), False, "元旦"))
    petition.refresh_from_db()
    assert timezone.localdate(petition.hand_back_until) == date(2027, 1, 5)
    assert not petition.events.filter(action="recompute").exists()
