"""Windows computed on a provisional calendar (a year whose holiday arrangement is not yet
official): flagged and printed "(临时日历)", and computed again, with a timeline entry, when
the year's arrangement becomes known (the handler of `core.calendar_changed`)."""

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine

from zhili.cases.tests.test_api import get
from zhili.core.models import Holiday
from zhili.core.services import holiday_save
from zhili.mediation.handlers import recompute_confirmation_windows
from zhili.mediation.tests.conftest import walk
from zhili.mediation.tests.test_views import client_for

pytestmark = pytest.mark.django_db

DECEMBER_20 = "2026-12-20 10:00 +08:00"  # day 30 is 19 January 2027


@pytest.fixture
def provisional(make_dispute: Any, med: Any) -> Any:
    with time_machine.travel(DECEMBER_20, tick=False):
        return walk(make_dispute(), "agreed", med)


def test_a_provisional_window_says_so(client: Any, provisional: Any, med: Any) -> None:
    agreement = provisional.agreement
    assert agreement.confirmation_provisional
    assert "(临时日历)" in provisional.events.get(action="agree").note
    with time_machine.travel(DECEMBER_20, tick=False):
        page = client_for(med.mediator1).get(f"/mediation/disputes/{provisional.number}/").text
        assert "(临时日历)" in page
        board = client_for(med.mediator1).get("/mediation/confirmations/").text
        assert "(临时日历)" in board
        body = get(client, med.mediator1, f"/api/v1/disputes/{provisional.number}").json()
    assert body["agreement"]["confirmation_provisional"] is True
    assert body["agreement"]["confirmation_due_text"].endswith("(临时日历)")


def test_the_official_arrangement_recomputes_the_window(provisional: Any, med: Any) -> None:
    # The administrator enters 2027's arrangement: 19 January is a day off (fictional).
    holiday_save(actor=None, holiday=Holiday(date=date(2027, 1, 19), name="测试休息日"))
    with time_machine.travel(DECEMBER_20, tick=False):
        recompute_confirmation_windows(SimpleNamespace(years=[2027]), event_id=1)
        recompute_confirmation_windows(SimpleNamespace(years=[2027]), event_id=1)  # again
    agreement = provisional.agreement
    agreement.refresh_from_db()
    assert agreement.confirmation_due == date(2027, 1, 20)
    assert not agreement.confirmation_provisional
    entry = provisional.events.get(action="confirmation_recomputed")  # one entry
    assert entry.note == (
        "2027年节假日安排已正式确定,重新计算司法确认申请期限:"
        "由2027年01月19日(临时日历)改为2027年01月20日(第30日为休息日,顺延)"
    )


def test_other_years_and_closed_windows_are_left_alone(provisional: Any, med: Any) -> None:
    with time_machine.travel(DECEMBER_20, tick=False):
        recompute_confirmation_windows(SimpleNamespace(years=[2028]), event_id=2)
    with time_machine.travel("2027-02-01 10:00 +08:00", tick=False):  # the window is past
        recompute_confirmation_windows(SimpleNamespace(years=[2027]), event_id=3)
    assert not provisional.events.filter(action="confirmation_recomputed").exists()
