"""A 阳光信访 push is a petition by law: registered by the county's petition office with the
信访工作条例's calendar-day limits from the petitioner's submission, linked to its case, which
is handed over at once (one clock per matter)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhili.cases.models import Case
from zhili.cases.models import State as CaseState
from zhili.cases.sweep import sweep_cards
from zhili.core import workcal
from zhili.core.models import AuditLog
from zhili.integrations.tests.conftest import order_body
from zhili.petitions import deadlines
from zhili.petitions.models import Petition, State

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def petition_order(order_no: str = "YGXF-20261125-0007") -> dict:
    return order_body(
        order_no,
        created_at="2026-11-25T09:12:00+08:00",
        category="劳动社保/拖欠工资",
        content="工地拖欠工资三个月，多次讨要未果\n请求督促施工单位支付",
        caller_name="王秀英",
        caller_phone="13805181234",
    )


def test_a_pushed_online_petition_is_registered_as_a_petition(push, tree):
    answer = push(petition_order(), channel="petition")
    assert answer.status_code == 201, answer.json()
    case = Case.objects.get(case_no=answer.json()["case_no"])
    petition = Petition.objects.get(case=case)
    received = datetime(2026, 11, 25, 9, 12, tzinfo=SHANGHAI)
    assert (petition.form, petition.state) == ("online", State.REGISTERED)
    assert petition.registering_unit == tree.xfjd and petition.registered_by is None
    assert petition.received_at == received
    assert petition.transfer_due == deadlines.limit_after(received, "transfer")
    assert [p.petitioner.name for p in petition.parties.all()] == ["王秀英"]
    assert case.state == CaseState.HELD and case.lead_unit == tree.xfjd
    assert answer.json()["state"] == "held"
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["register", "dispatch", "acknowledge", "hold"]
    assert "从工单" in petition.events.get(action="register").note
    # Pushed again (signed anew, later): the same case, still one petition.
    with time_machine.travel(datetime.now(SHANGHAI) + timedelta(seconds=5), tick=True):
        again = push(petition_order(), channel="petition")
    assert again.status_code == 200 and Petition.objects.count() == 1


def test_the_case_gets_no_card_while_the_petition_s_own_limits_run(push, tree):
    case_no = push(petition_order(), channel="petition").json()["case_no"]
    late = workcal.add_workdays(datetime(2026, 11, 26).date(), 20)
    with time_machine.travel(datetime(late.year, late.month, late.day, 10, tzinfo=SHANGHAI)):
        assert sweep_cards().carded == 0
    assert Case.objects.get(case_no=case_no).card == ""


def test_a_county_without_a_petition_office_keeps_a_work_order(push, tree):
    tree.xfjd.is_active = False
    tree.xfjd.save(update_fields=["is_active"])
    answer = push(petition_order(), channel="petition")
    assert answer.status_code == 201
    case = Case.objects.get(case_no=answer.json()["case_no"])
    assert case.state == CaseState.REGISTERED and not Petition.objects.exists()
    assert AuditLog.objects.filter(action="integrations.push.no_petition_office").exists()


def test_a_submission_time_in_the_future_counts_from_now(push, tree):
    soon = (datetime.now(SHANGHAI) + timedelta(minutes=3)).isoformat(timespec="seconds")
    answer = push({**petition_order(), "created_at": soon}, channel="petition")
    assert answer.status_code == 201, answer.json()
    petition = Petition.objects.get()
    assert petition.received_at <= petition.updated_at + timedelta(seconds=1)
