"""An order's answer deadline that runs into a provisional year is marked and recomputed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhili.core.services import CalendarDay, calendar_year_enter
from zhili.core.statutory import statutory_days
from zhili.supervision.models import OrderEvent, SupervisionOrder
from zhili.supervision.tests.test_orders import deliver_all, red_lamp_case

TZ = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.any_day


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def test_the_answer_deadline_over_the_spring_festival_is_recomputed(
    client, register, staff, catalog
) -> None:
    # Red at 02-04 10:00; two working days to answer: 02-09 and 02-10 (除夕..初三 off).
    red_lamp_case(register, staff, catalog, start=at(2027, 2, 4, 8, 0))
    deliver_all(at(2027, 2, 4, 10, 0))
    order = SupervisionOrder.objects.get()
    assert order.due_at == at(2027, 2, 10, 10, 0) and order.due_provisional
    assert "2027年02月10日 10:00 前" in order.request
    client.force_login(staff.dispatcher)
    page = client.get(f"/supervision/{order.number}/").content.decode()
    assert 'data-testid="provisional"' in page
    listed = client.get("/api/v1/supervision-orders").json()["items"]
    assert [o["due_provisional"] for o in listed] == [True]

    days = [CalendarDay(d, False, n) for d, n in statutory_days(2027).items()]
    days.append(CalendarDay(date(2027, 2, 9), False, "春节"))
    with time_machine.travel(at(2027, 2, 4, 11, 0), tick=False):
        calendar_year_enter(actor=staff.admin, year=2027, days=days, source="imported")
    deliver_all(at(2027, 2, 4, 11, 1))
    order.refresh_from_db()
    assert order.due_at == at(2027, 2, 11, 10, 0) and not order.due_provisional
    assert "2027年02月11日 10:00 前" in order.request
    line = OrderEvent.objects.get(order=order, action="recompute")
    assert "2027年02月10日 10:00 → 2027年02月11日 10:00" in line.note
    assert order.due_at - order.issued_at > timedelta(days=6)
