"""退单: a unit returns a case itself only within the return window (default: before
acknowledging it, or within 2 working hours of acknowledging); later it asks the center
(申请退单), which approves or refuses. Every return and every decision is counted."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhili.cases import returns
from zhili.cases.figures import unit_figures
from zhili.cases.models import Case, CaseEvent, State
from zhili.cases.selectors import case_list
from zhili.cases.services import actions_for, case_act
from zhili.core.errors import Conflict, Forbidden

TZ = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def act(moment: datetime, actor: Any, case: Case, action: str, **params: Any) -> Case:
    with time_machine.travel(moment, tick=False):
        return case_act(actor=actor, case=case, action=action, **params)


def names(actor: Any, case: Case, moment: datetime) -> set[str]:
    with time_machine.travel(moment, tick=False):
        return {t.name for t in actions_for(actor, case)}


@pytest.fixture
def dispatched(register: Any, staff: Any, catalog: Any) -> Case:
    """A lamp case (→ 住建局) dispatched Thursday 2026-11-05 08:40."""
    with time_machine.travel(at(2026, 11, 5, 8, 40), tick=False):
        case = register(category=catalog.lamp, title="路灯不亮")
    return act(at(2026, 11, 5, 8, 40), staff.dispatcher, case, "dispatch")


@pytest.fixture
def acknowledged(dispatched: Case, staff: Any) -> Case:
    """Acknowledged at 11:00: two working hours run to 14:30, over the lunch break."""
    return act(at(2026, 11, 5, 11, 0), staff.zjj_handler, dispatched, "acknowledge")


def test_the_default_rule_in_words() -> None:
    assert returns.rule_text() == "签收前或签收后2个工作小时内"


def test_a_unit_returns_a_case_before_acknowledging_it(dispatched: Case, staff: Any) -> None:
    # Days after the dispatch, as long as it has not been acknowledged.
    moment = at(2026, 11, 9, 16, 0)
    assert {"return"} <= names(staff.zjj_handler, dispatched, moment)
    assert "request_return" not in names(staff.zjj_handler, dispatched, moment)
    case = act(moment, staff.zjj_handler, dispatched, "return", reason="不属于本单位职责")
    assert case.state == State.RETURNED and case.returned_count == 1


def test_within_two_working_hours_of_acknowledging(acknowledged: Case, staff: Any) -> None:
    assert returns.window_end(acknowledged) == at(2026, 11, 5, 14, 30)
    moment = at(2026, 11, 5, 14, 30)
    assert "return" in names(staff.zjj_handler, acknowledged, moment)
    case = act(moment, staff.zjj_handler, acknowledged, "return", reason="应由城管局办理")
    assert case.state == State.RETURNED


def test_a_started_case_may_still_be_returned_within_the_window(
    acknowledged: Case, staff: Any
) -> None:
    case = act(at(2026, 11, 5, 11, 10), staff.zjj_handler, acknowledged, "start")
    case = act(at(2026, 11, 5, 11, 20), staff.zjj_handler, case, "return", reason="非本单位")
    assert case.state == State.RETURNED


def test_after_the_window_the_return_is_refused_naming_the_rule(
    acknowledged: Case, staff: Any
) -> None:
    late = at(2026, 11, 5, 14, 31)
    assert "return" not in names(staff.zjj_handler, acknowledged, late)
    assert "request_return" in names(staff.zjj_handler, acknowledged, late)
    with pytest.raises(Conflict) as refused:
        act(late, staff.zjj_handler, acknowledged, "return", reason="不属于本单位职责")
    assert refused.value.code == "return_window_closed"
    assert "签收前或签收后2个工作小时内" in refused.value.message
    assert "11-05 14:30" in refused.value.message and "申请退单" in refused.value.message
    assert Case.objects.get(pk=acknowledged.pk).state == State.ACKNOWLEDGED
    assert not CaseEvent.objects.filter(case=acknowledged, action="return").exists()


def test_the_api_refusal_is_a_409_naming_the_rule(acknowledged: Case, staff: Any) -> None:
    client = Client()
    client.force_login(staff.zjj_handler)
    with time_machine.travel(at(2026, 11, 6, 9, 0), tick=False):
        response = client.post(
            f"/api/v1/cases/{acknowledged.case_no}/actions/return",
            {"reason": "不属于本单位职责"},
            content_type="application/json",
        )
    assert response.status_code == 409
    assert response.json()["code"] == "return_window_closed"
    assert "签收后2个工作小时内" in response.json()["detail"]


def test_request_then_approve(acknowledged: Case, staff: Any, rules: Any) -> None:
    with pytest.raises(Conflict) as early:  # inside the window: return it yourself
        act(at(2026, 11, 5, 11, 30), staff.zjj_handler, acknowledged, "request_return", reason="x")
    assert "无需申请" in early.value.message
    case = act(
        at(2026, 11, 6, 9, 0),
        staff.zjj_handler,
        acknowledged,
        "request_return",
        reason="现场核实为城管职责",
    )
    assert case.state == State.ACKNOWLEDGED and case.lead_unit == rules.zjj
    assert (case.return_requested_at, case.return_reason) == (
        at(2026, 11, 6, 9, 0),
        "现场核实为城管职责",
    )
    with pytest.raises(Conflict):
        act(at(2026, 11, 6, 9, 5), staff.zjj_handler, case, "request_return", reason="再申请")
    with pytest.raises(Forbidden):  # the unit cannot approve its own request
        act(at(2026, 11, 6, 9, 5), staff.zjj_handler, case, "approve_return")
    assert {"approve_return", "refuse_return"} <= names(staff.dispatcher, case, at(2026, 11, 6, 10))
    case = act(at(2026, 11, 6, 10, 0), staff.dispatcher, case, "approve_return")
    assert case.state == State.RETURNED and case.lead_unit is None and case.returned_count == 1
    assert case.return_requested_at is None
    assert not case_list(user=staff.zjj_handler).filter(pk=case.pk).exists()
    approved = CaseEvent.objects.get(case=case, action="approve_return")
    assert approved.note == "现场核实为城管职责"
    assert approved.data["previous_unit"] == "320722-ZJJ"
    case = act(at(2026, 11, 6, 10, 5), staff.dispatcher, case, "reassign", unit=rules.cgj.code)
    assert case.lead_unit == rules.cgj and case.return_reason == ""


def test_request_then_refuse(acknowledged: Case, staff: Any, rules: Any) -> None:
    case = act(at(2026, 11, 6, 9, 0), staff.zjj_handler, acknowledged, "request_return", reason="x")
    with pytest.raises(Exception) as no_reason:
        act(at(2026, 11, 6, 10, 0), staff.dispatcher, case, "refuse_return", reason="")
    assert getattr(no_reason.value, "field", None) == "reason"
    case = act(
        at(2026, 11, 6, 10, 0),
        staff.dispatcher,
        case,
        "refuse_return",
        reason="权责清单明确由住建局办理",
    )
    assert case.state == State.ACKNOWLEDGED and case.lead_unit == rules.zjj
    assert case.return_requested_at is None
    assert "approve_return" not in names(staff.dispatcher, case, at(2026, 11, 6, 10, 1))
    # it may ask again, with a new reason
    assert "request_return" in names(staff.zjj_handler, case, at(2026, 11, 6, 10, 1))


def test_returns_and_requests_are_counted(
    acknowledged: Case, dispatched: Any, staff: Any, register: Any, catalog: Any
) -> None:
    case = act(at(2026, 11, 6, 9, 0), staff.zjj_handler, acknowledged, "request_return", reason="a")
    case = act(at(2026, 11, 6, 10, 0), staff.dispatcher, case, "refuse_return", reason="b")
    case = act(at(2026, 11, 6, 11, 0), staff.zjj_handler, case, "request_return", reason="c")
    act(at(2026, 11, 6, 14, 0), staff.dispatcher, case, "approve_return")
    with time_machine.travel(at(2026, 11, 9, 9, 0), tick=False):
        other = register(category=catalog.lamp)
    other = act(at(2026, 11, 9, 9, 0), staff.dispatcher, other, "dispatch")
    act(at(2026, 11, 9, 9, 30), staff.zjj_handler, other, "return", reason="d")
    [zjj] = unit_figures(user=staff.leader, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert (
        zjj.returned,
        zjj.return_requested,
        zjj.return_approved,
        zjj.return_refused,
        zjj.received,
    ) == (2, 2, 1, 1, 2)
    client = Client()
    client.force_login(staff.dispatcher)
    page = client.get("/cases/figures/?start=2026-11-01&end=2026-11-30").content.decode()
    assert 'data-testid="figures-return-requests-320722-ZJJ">2' in page and "批 1 · 驳 1" in page


def test_the_window_is_configured_in_one_place(dispatched: Case, staff: Any, settings: Any) -> None:
    settings.ZHILI_CASE_RETURNS = {
        "before_acknowledge": False,
        "working_hours_after_acknowledge": 0,
    }
    assert returns.rule_text() == ""
    with pytest.raises(Conflict) as refused:
        act(at(2026, 11, 5, 9, 0), staff.zjj_handler, dispatched, "return", reason="x")
    assert refused.value.code == "return_window_closed"
    case = act(at(2026, 11, 5, 9, 0), staff.zjj_handler, dispatched, "request_return", reason="x")
    assert case.return_requested_at is not None
    settings.ZHILI_CASE_RETURNS = {"before_acknowledge": True, "working_hours_after_acknowledge": 4}
    assert returns.rule_text() == "签收前或签收后4个工作小时内"


def test_the_pages_show_the_request_to_the_center(acknowledged: Case, staff: Any) -> None:
    client = Client()
    with time_machine.travel(at(2026, 11, 6, 9, 0), tick=True):
        client.force_login(staff.zjj_handler)
        inbox = client.get("/cases/inbox/?bucket=in_progress").content.decode()
        no = acknowledged.case_no
        assert f'data-testid="request_return-{no}"' in inbox
        assert f'data-testid="return-{no}"' not in inbox
        detail = client.get(f"/cases/{no}/").content.decode()
        assert 'data-testid="return-rule"' in detail and "签收前或签收后2个工作小时内" in detail
        done = client.post(
            f"/cases/{no}/act/request_return/",
            {"ctx": "inbox", "reason": "非本单位职责"},
            HTTP_HX_REQUEST="true",
        )
        assert done.status_code == 200 and "已申请退单" in done.content.decode()
        client.force_login(staff.dispatcher)
        workbench = client.get("/cases/workbench/?bucket=return_request").content.decode()
        assert 'data-testid="count-return_request">1' in workbench
        assert f'data-testid="approve_return-{no}"' in workbench
        assert f'data-testid="refuse_return-{no}"' in workbench
        assert f'data-testid="return-note-{no}"' in workbench
        api = client.get("/api/v1/cases?view=workbench&bucket=return_request").json()
        assert [i["case_no"] for i in api["items"]] == [no] and api["items"][0]["return_pending"]


def test_a_reply_lets_a_pending_request_lapse(acknowledged: Case, staff: Any) -> None:
    case = act(at(2026, 11, 6, 9, 0), staff.zjj_handler, acknowledged, "request_return", reason="x")
    case = act(at(2026, 11, 6, 10, 0), staff.zjj_handler, case, "reply", reply="已办理")
    assert case.state == State.REPLIED and case.return_requested_at is None


def test_a_window_that_closes_in_a_provisional_year_says_so(
    register: Any, staff: Any, catalog: Any
) -> None:
    # Acknowledged Thursday 2027-02-04 16:30: one office hour that day, then 除夕..初三 and
    # the weekend (provisional), so the window closes 02-09 09:30.
    with time_machine.travel(at(2027, 2, 4, 16, 0), tick=False):
        case = register(category=catalog.lamp)
    case = act(at(2027, 2, 4, 16, 0), staff.dispatcher, case, "dispatch")
    case = act(at(2027, 2, 4, 16, 30), staff.zjj_handler, case, "acknowledge")
    assert returns.window_end(case) == at(2027, 2, 9, 9, 30)
    with pytest.raises(Conflict) as refused:
        act(at(2027, 2, 9, 10, 0), staff.zjj_handler, case, "return", reason="非本单位")
    assert "02-09 09:30（临时日历）" in refused.value.message
