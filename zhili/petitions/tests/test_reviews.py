"""Delivery (送达) and the review windows that run from it (第三十五条, 第三十六条), a late
request's reason, and hearings whose time is not counted."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from zhili.core.errors import Conflict, InvalidInput
from zhili.petitions import services
from zhili.petitions.models import Petition, State
from zhili.petitions.sweep import sweep_cards
from zhili.petitions.tests.conftest import advance

TZ = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> Any:
    return time_machine.travel(datetime(*args, tzinfo=TZ))


def act(user: Any, petition: Petition, action: str, **params: Any) -> Petition:
    return services.petition_act(actor=user, petition=petition, action=action, **params)


def deliver(user: Any, petition: Petition, day: date, method: str = "mail") -> Petition:
    return act(user, petition, "deliver", delivered_on=day, delivery_method=method)


def local_day(value: datetime) -> str:
    return timezone.localdate(value).isoformat()


def test_the_review_window_runs_from_the_delivery(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")  # issued 2026-11-26
    assert petition.review_request_until is None  # not delivered: no window yet
    with at(2026, 12, 4, 10, 0):
        petition = deliver(staff.township, petition, date(2026, 12, 3))
    assert petition.reply_delivered_on == date(2026, 12, 3)
    assert petition.reply_delivery_method == "mail"
    assert timezone.localtime(petition.review_request_until) == datetime(
        2027, 1, 2, 23, 59, 59, tzinfo=TZ
    )
    note = petition.events.get(action="deliver").note
    assert "2026年12月03日邮寄送达" in note and "2027年01月02日前" in note
    # Day 37 after the issue, day 30 after the delivery: in time.
    with at(2027, 1, 2, 16, 0):
        petition = act(staff.petition, petition, "request_review", reason="不服")
    assert petition.state == State.REVIEW_REQUESTED


def test_a_request_before_the_delivery_is_recorded_is_in_time(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    with at(2027, 2, 1, 9, 0):
        petition = act(staff.petition, petition, "request_review", reason="不服")
    assert petition.state == State.REVIEW_REQUESTED


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"delivered_on": None, "delivery_method": "direct"}, "delivered_on"),
        ({"delivered_on": date(2026, 11, 25), "delivery_method": "direct"}, "delivered_on"),
        ({"delivered_on": date(2026, 11, 27), "delivery_method": "direct"}, "delivered_on"),
        ({"delivered_on": date(2026, 11, 26), "delivery_method": "pigeon"}, "delivery_method"),
        ({"delivered_on": "26/11/2026", "delivery_method": "direct"}, "delivered_on"),
    ],
)
def test_a_delivery_names_its_bad_field(
    register: Any, staff: Any, params: dict, field: str
) -> None:
    """No day, a day before the reply was issued, a day in the future, an unknown method."""
    petition = advance(register(), staff, "reply")
    with pytest.raises(InvalidInput) as refused:
        act(staff.township, petition, "deliver", **params)
    assert refused.value.field == field


def test_a_delivery_is_recorded_once(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "deliver")
    with pytest.raises(Conflict) as twice:
        deliver(staff.township, petition, date(2026, 11, 26))
    assert "没有待登记送达" in twice.value.message


def test_a_late_request_gets_the_whole_reason(register: Any, staff: Any) -> None:
    petition = deliver(staff.township, advance(register(), staff, "reply"), date(2026, 11, 26))
    with at(2027, 1, 4, 9, 0), pytest.raises(Conflict) as late:
        act(staff.petition, petition, "request_review", reason="不服")
    error = late.value
    assert error.code == "too_late" and error.field == "requested_on"
    assert error.message == (
        "复查申请已超过期限，不予复查：答复意见书已于2026年11月26日邮寄送达信访人，应当自收到之日起"
        "30日内，即2026年12月26日前（含当日）向东海县综治中心请求复查（《信访工作条例》第三十五条）；"
        "本申请于2027年01月04日提出，已逾期9日。"
    )


def test_a_letter_counts_from_the_day_it_was_received(register: Any, staff: Any) -> None:
    petition = deliver(staff.township, advance(register(), staff, "reply"), date(2026, 11, 26))
    with at(2027, 1, 5, 9, 0):
        petition = act(
            staff.petition,
            petition,
            "request_review",
            reason="不服（来信）",
            requested_on=date(2026, 12, 20),
        )
    assert local_day(petition.review_requested_at) == "2026-12-20"
    assert local_day(petition.review_due) == "2027-01-19"


def test_the_late_reason_is_shown_beside_the_field(register: Any, staff: Any) -> None:
    petition = deliver(staff.township, advance(register(), staff, "reply"), date(2026, 11, 26))
    client = Client()
    with at(2027, 1, 4, 9, 0):
        client.force_login(staff.petition)
        response = client.post(
            f"/petitions/{petition.number}/act/request_review/",
            {"reason": "不服", "requested_on": "", "unit": ""},
            HTTP_HX_REQUEST="true",
        )
    body = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="error-requested_on"' in body and "已逾期9日" in body


def _re_review(register: Any, staff: Any) -> Petition:
    petition = advance(register(), staff, "deliver")
    petition = act(staff.petition, petition, "request_review", reason="不服")
    petition = act(staff.petition, petition, "decide_review", opinion="维持")
    petition = deliver(staff.petition, petition, date(2026, 11, 26), "direct")
    with at(2026, 12, 1, 9, 0):
        return act(staff.petition, petition, "request_re_review", reason="不服复查意见")


def test_a_hearing_stops_the_re_review_clock(register: Any, staff: Any) -> None:
    petition = _re_review(register, staff)
    assert local_day(petition.re_review_due) == "2026-12-31"
    with at(2026, 12, 10, 9, 0):
        petition = act(staff.petition, petition, "hearing_start")
    assert petition.hearing_started_on == date(2026, 12, 10)
    assert petition.due_at is None and petition.warn_at is None
    assert "第三十六条第二款" in petition.events.get(action="hearing_start").note
    with at(2026, 12, 28, 9, 0):
        assert sweep_cards().yellow == 0  # past 80 % of the 30 days, but the clock stopped
        with pytest.raises(Conflict) as early:
            act(staff.petition, petition, "decide_re_review", opinion="维持")
        assert "听证尚未结束" in early.value.message
    with at(2026, 12, 14, 17, 0):
        petition = act(staff.petition, petition, "hearing_end")
    # 10-14 December: 5 days not counted.
    assert petition.re_review_hearing_days == 5 and petition.hearing_started_on is None
    assert local_day(petition.re_review_due) == "2027-01-05"
    assert petition.due_at == petition.re_review_due
    assert "延至2027年01月05日" in petition.events.get(action="hearing_end").note


def test_a_hearing_in_a_review_is_not_counted_either(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "deliver")
    petition = act(staff.petition, petition, "request_review", reason="不服")
    assert local_day(petition.review_due) == "2026-12-26"
    petition = act(staff.petition, petition, "hearing_start", hearing_on=date(2026, 11, 26))
    with at(2026, 11, 30, 9, 0):
        petition = act(staff.petition, petition, "hearing_end", hearing_on=date(2026, 11, 28))
    assert petition.review_hearing_days == 3
    assert local_day(petition.review_due) == "2026-12-29"


def test_a_hearing_cannot_end_before_it_started(register: Any, staff: Any) -> None:
    petition = _re_review(register, staff)
    with at(2026, 12, 10, 9, 0):
        petition = act(staff.petition, petition, "hearing_start")
        with pytest.raises(InvalidInput) as refused:
            act(staff.petition, petition, "hearing_end", hearing_on=date(2026, 12, 9))
    assert refused.value.field == "hearing_on"


def test_delivery_and_hearing_on_the_pages(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    client = Client()
    client.force_login(staff.township)
    page = client.get(f"/petitions/{petition.number}/").content.decode()
    assert "自送达之日起算" in page and "尚未登记送达" in page
    form = client.get(f"/petitions/{petition.number}/act/deliver/").content.decode()
    assert 'name="delivered_on"' in form and "直接送达" in form
    response = client.post(
        f"/petitions/{petition.number}/act/deliver/",
        {"delivered_on": "2026-11-26", "delivery_method": "direct"},
    )
    assert response.status_code == 302
    page = client.get(f"/petitions/{petition.number}/").content.decode()
    assert "2026-11-26 直接送达" in page and "2026-12-26" in page
