"""Windows computed on a provisional calendar (a year whose holiday arrangement is not yet
official: 2027 for chinese-calendar 1.11): flagged and printed "(临时日历)", and computed
again, with a timeline entry, when the year's arrangement is entered (the mediation handler
of `core.calendar_changed`)."""

from datetime import date, datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from docx import Document

from zhili.cases.tests.test_api import get
from zhili.core import outbox
from zhili.core.services import CalendarDay, calendar_year_enter
from zhili.core.statutory import statutory_days
from zhili.mediation.documents import agreement_document
from zhili.mediation.tests.conftest import walk
from zhili.mediation.tests.test_views import client_for

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
# Effective Sunday 10 January 2027: day 30 is Tuesday 9 February, a working day on the
# provisional calendar (春节 2027 is 5-8 February by the statutory days alone).
AGREED = datetime(2027, 1, 10, 10, 0, tzinfo=TZ)


def deliver_all() -> None:
    while outbox.deliver_pending(worker_id="test"):
        pass


def official_2027() -> list[CalendarDay]:
    """A State Council notice for 2027 (made up for the test): 春节 off 5 to 12 February."""
    days = [CalendarDay(d, False, n) for d, n in statutory_days(2027).items()]
    days += [CalendarDay(date(2027, 2, d), False, "春节") for d in (9, 10, 11, 12)]
    return days


@pytest.fixture
def provisional(make_dispute: Any, med: Any) -> Any:
    with time_machine.travel(AGREED, tick=False):
        return walk(make_dispute(), "agreed", med)


def test_a_provisional_window_says_so_everywhere(client: Any, provisional: Any, med: Any) -> None:
    agreement = provisional.agreement
    assert agreement.confirmation_due == date(2027, 2, 9) and agreement.confirmation_provisional
    assert "2027年02月09日（临时日历）" in provisional.events.get(action="agree").note
    with time_machine.travel(AGREED, tick=False):
        page = client_for(med.mediator1).get(f"/mediation/disputes/{provisional.number}/").text
        board = client_for(med.mediator1).get("/mediation/confirmations/").text
        body = get(client, med.mediator1, f"/api/v1/disputes/{provisional.number}").json()
        content = agreement_document(actor=med.mediator1, dispute=provisional)
    for html in (page, board):  # the date, and the shared 临时日历 badge beside it
        assert "2027年02月09日" in html and 'data-testid="provisional"' in html
    assert body["agreement"]["confirmation_provisional"] is True
    assert body["agreement"]["confirmation_due_text"] == "2027年02月09日（临时日历）"
    text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
    assert "司法确认申请期限至2027年02月09日（临时日历）" in text


def test_the_official_arrangement_recomputes_the_window(provisional: Any, med: Any) -> None:
    with time_machine.travel(datetime(2027, 1, 15, 9, 0, tzinfo=TZ), tick=False):
        calendar_year_enter(actor=None, year=2027, days=official_2027(), source="测试通知")
        deliver_all()
    agreement = provisional.agreement
    agreement.refresh_from_db()
    assert agreement.confirmation_due == date(2027, 2, 15)  # the Monday after the holiday
    assert not agreement.confirmation_provisional
    entry = provisional.events.get(action="confirmation_recomputed")
    assert entry.note == (
        "2027年节假日安排已正式确定，重新计算司法确认申请期限："
        "由2027年02月09日（临时日历）改为2027年02月15日（第30日为休息日，顺延）"
    )
    assert entry.actor is None


def test_other_years_and_closed_windows_are_left_alone(provisional: Any, med: Any) -> None:
    from zhili.mediation.services.warnings import confirmation_windows_recompute

    with time_machine.travel(datetime(2027, 1, 15, 9, 0, tzinfo=TZ), tick=False):
        assert confirmation_windows_recompute(years=[2028]) == 0
    with time_machine.travel(datetime(2027, 2, 20, 9, 0, tzinfo=TZ), tick=False):  # past
        assert confirmation_windows_recompute(years=[2027]) == 0
    assert not provisional.events.filter(action="confirmation_recomputed").exists()
