"""审核退回: the center's review sends a weak reply back to the unit, with a reason; the unit
works on under its original deadline, and the send-back is counted in its figures."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhili.cases.figures import unit_figures
from zhili.cases.models import Card, Case, CaseEvent, State
from zhili.cases.services import actions_for, case_act
from zhili.cases.sweep import sweep_cards
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.models import AuditLog, OutboxEvent

TZ = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def act(moment: datetime, actor: Any, case: Case, action: str, **params: Any) -> Case:
    with time_machine.travel(moment, tick=False):
        return case_act(actor=actor, case=case, action=action, **params)


@pytest.fixture
def replied(register: Any, staff: Any, catalog: Any) -> Case:
    """A lamp case (→ 住建局) dispatched Monday 2026-11-02 09:00 (due 11-09 09:00), replied
    Tuesday with a weak answer."""
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        case = register(category=catalog.lamp, title="路灯不亮")
    case = act(at(2026, 11, 2, 9, 0), staff.dispatcher, case, "dispatch")
    case = act(at(2026, 11, 2, 10, 0), staff.zjj_handler, case, "acknowledge")
    return act(at(2026, 11, 3, 10, 0), staff.zjj_handler, case, "reply", reply="已转交相关部门")


def test_the_center_sends_a_weak_reply_back_with_a_reason(replied: Case, staff: Any) -> None:
    due = replied.due_at
    assert "send_back" in {t.name for t in actions_for(staff.dispatcher, replied)}
    with pytest.raises(InvalidInput) as no_reason:
        act(at(2026, 11, 3, 11, 0), staff.dispatcher, replied, "send_back", reason=" ")
    assert no_reason.value.field == "reason"
    case = act(
        at(2026, 11, 3, 11, 0),
        staff.dispatcher,
        replied,
        "send_back",
        reason="答复未说明路灯何时修复，请到现场核实后答复",
    )
    assert case.state == State.IN_PROGRESS
    assert (case.reply, case.replied_at) == ("", None)
    assert case.send_back_reason == "答复未说明路灯何时修复，请到现场核实后答复"
    assert case.sent_back_count == 1
    assert case.due_at == due  # the unit keeps its original deadline
    event = CaseEvent.objects.get(case=case, action="send_back")
    assert (event.from_state, event.to_state) == ("replied", "in_progress")
    assert event.data == {"unit": "320722-ZJJ", "rejected_reply": "已转交相关部门"}
    assert AuditLog.objects.filter(action="cases.case.send_back", target_id=str(case.pk)).exists()
    assert OutboxEvent.objects.filter(payload__action="send_back").count() == 1
    # The unit works on and replies again; the reason is cleared by the new reply.
    assert "reply" in {t.name for t in actions_for(staff.zjj_handler, case)}
    case = act(at(2026, 11, 4, 10, 0), staff.zjj_handler, case, "reply", reply="已更换灯泡")
    assert (case.state, case.send_back_reason, case.sent_back_count) == (State.REPLIED, "", 1)
    case = act(at(2026, 11, 4, 11, 0), staff.dispatcher, case, "close")
    assert case.state == State.CLOSED


def test_only_the_center_sends_back_and_only_a_reply(replied: Case, staff: Any) -> None:
    with pytest.raises(Forbidden):
        case_act(actor=staff.zjj_handler, case=replied, action="send_back", reason="x")
    closed = case_act(actor=staff.dispatcher, case=replied, action="close")
    with pytest.raises(Conflict) as refused:
        case_act(actor=staff.dispatcher, case=closed, action="send_back", reason="x")
    assert refused.value.code == "wrong_state"


def test_the_clock_runs_on_after_a_send_back(replied: Case, staff: Any) -> None:
    # Sent back on Friday 11-06 16:00, past the 80 % point (11-06 ~10:00): the next sweep gives
    # the yellow card at once, and the red one when the original deadline passes.
    case = act(at(2026, 11, 6, 16, 0), staff.dispatcher, replied, "send_back", reason="不具体")
    assert case.warn_at is not None and case.warn_at < at(2026, 11, 6, 16, 0)
    with time_machine.travel(at(2026, 11, 6, 16, 1), tick=False):
        assert sweep_cards().yellow == 1
    with time_machine.travel(at(2026, 11, 9, 9, 1), tick=False):
        assert sweep_cards().red == 1
    case.refresh_from_db()
    assert case.card == Card.RED
    late = act(at(2026, 11, 9, 10, 0), staff.zjj_handler, case, "reply", reply="已修复")
    assert late.replied_at > late.due_at  # replied late: not closed on time


def test_send_backs_are_counted_in_the_units_figures(replied: Case, staff: Any) -> None:
    case = act(at(2026, 11, 3, 11, 0), staff.dispatcher, replied, "send_back", reason="不具体")
    case = act(at(2026, 11, 4, 10, 0), staff.zjj_handler, case, "reply", reply="仍不具体")
    act(at(2026, 11, 4, 11, 0), staff.dispatcher, case, "send_back", reason="请写明修复时间")
    [zjj] = unit_figures(user=staff.leader, start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert (zjj.unit_code, zjj.sent_back, zjj.received, zjj.returned) == ("320722-ZJJ", 2, 1, 0)
    assert zjj.closed_on_time == 0  # the weak replies do not count as replied
    client = Client()
    client.force_login(staff.leader)
    [row] = client.get("/api/v1/case-figures?start=2026-11-01&end=2026-11-30").json()
    assert row["sent_back"] == 2


def test_send_back_through_the_api_and_the_page(replied: Case, staff: Any) -> None:
    client = Client()
    client.force_login(staff.dispatcher)
    url = f"/api/v1/cases/{replied.case_no}/actions/send_back"
    bad = client.post(url, {}, content_type="application/json")
    assert (bad.status_code, bad.json()["field"]) == (422, "reason")
    done = client.post(url, {"reason": "请补充现场照片"}, content_type="application/json")
    assert done.status_code == 200
    body = done.json()
    assert (body["state"], body["case"]["sent_back_count"]) == ("in_progress", 1)
    assert body["case"]["send_back_reason"] == "请补充现场照片"
    assert body["case"]["timeline"][-1]["label"] == "审核退回"
    client.force_login(staff.zjj_handler)
    page = client.get(f"/cases/{replied.case_no}/").content.decode()
    assert 'data-testid="send-back-note"' in page and "请补充现场照片" in page
    inbox = client.get("/cases/inbox/?bucket=in_progress").content.decode()
    assert f'data-testid="send-back-{replied.case_no}"' in inbox


def test_the_workbench_row_offers_the_send_back(replied: Case, staff: Any) -> None:
    client = Client()
    client.force_login(staff.dispatcher)
    page = client.get("/cases/workbench/?bucket=to_close").content.decode()
    assert f'data-testid="send_back-{replied.case_no}"' in page
    form = client.get(
        f"/cases/{replied.case_no}/act/send_back/?ctx=workbench", HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="action-form-send_back"' in form.content.decode()
    done = client.post(
        f"/cases/{replied.case_no}/act/send_back/",
        {"ctx": "workbench", "reason": "答复不具体"},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200 and "已审核退回" in done.content.decode()
    assert Case.objects.get(pk=replied.pk).state == State.IN_PROGRESS


def test_the_citizen_sees_the_step_but_not_the_reason(replied: Case, staff: Any) -> None:
    from zhili.open311.outputs import status_notes
    from zhili.open311.selectors import PUBLISHED_FIELDS, _latest_action, _latest_note
    from zhili.portal.selectors import public_timeline

    reason = "答复未说明路灯何时修复，请到现场核实后答复"
    act(at(2026, 11, 3, 11, 0), staff.dispatcher, replied, "send_back", reason=reason)
    steps = [step.label for step in public_timeline(replied)]
    assert steps[-1] == "审核未通过，继续办理"

    published = (
        Case.objects.filter(pk=replied.pk)
        .only(*[f for f in PUBLISHED_FIELDS if "__" not in f])
        .annotate(latest_note=_latest_note(), latest_action=_latest_action())
        .get()
    )
    assert reason not in status_notes(published)
