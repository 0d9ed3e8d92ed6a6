"""协办: each assisting unit gets its own task (acknowledge, reply) with a deadline no later
than the lead's; the lead reads the replies before its own; the figures count the tasks."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhili.cases.figures import unit_figures
from zhili.cases.models import AssistState, Case, CaseAssist, CaseEvent, State
from zhili.cases.selectors import assist_cases, case_list
from zhili.cases.services import actions_for, case_act
from zhili.cases.services.assists import assists_recompute_provisional
from zhili.cases.tests.test_provisional import deliver_all
from zhili.core import live as core_live
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.models import AuditLog, OutboxEvent
from zhili.core.services import CalendarDay, calendar_year_enter
from zhili.core.statutory import statutory_days

TZ = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def act(moment: datetime, actor: Any, case: Case, action: str, **params: Any) -> Case:
    with time_machine.travel(moment, tick=False):
        return case_act(actor=actor, case=case, action=action, **params)


def task(case: Case, unit: Any) -> CaseAssist:
    return CaseAssist.objects.get(case=case, organization=unit)


@pytest.fixture
def registered(register: Any, catalog: Any) -> Case:
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        return register(category=catalog.lamp, title="路灯不亮，线路被占道施工挖断")


@pytest.fixture
def assisted(registered: Case, staff: Any, rules: Any, tree: Any) -> Case:
    """Lead: 住建局 (due Monday 11-09 09:00, five working days); assisting: 城管局 and 公安局."""
    return act(
        at(2026, 11, 2, 9, 0),
        staff.dispatcher,
        registered,
        "dispatch",
        assisting=[rules.cgj.code, tree.gaj.code],
    )


def test_each_assisting_unit_gets_its_own_task(assisted: Case, rules: Any, tree: Any) -> None:
    assert assisted.due_at == at(2026, 11, 9, 9, 0)
    tasks = list(assisted.assists.order_by("organization__code"))
    assert [t.organization for t in tasks] == [rules.cgj, tree.gaj]
    for t in tasks:
        assert t.state == AssistState.DISPATCHED and t.dispatched_at == at(2026, 11, 2, 9, 0)
        # 60 % of the lead's five working days: three working days.
        assert t.due_at == at(2026, 11, 5, 9, 0) and t.due_at <= assisted.due_at
    dispatch = CaseEvent.objects.get(case=assisted, action="dispatch")
    assert dispatch.data["assisting"] == [rules.cgj.code, tree.gaj.code]
    assert set(assisted.assisting_units.all()) == {rules.cgj, tree.gaj}


def test_the_assisting_deadline_may_be_named_but_not_after_the_leads(
    registered: Case, staff: Any, rules: Any
) -> None:
    with pytest.raises(InvalidInput) as late:
        act(
            at(2026, 11, 2, 9, 0),
            staff.dispatcher,
            registered,
            "dispatch",
            assisting=[rules.cgj.code],
            assist_until="2026-11-10T09:00",
        )
    assert late.value.field == "assist_until"
    fresh = Case.objects.get(pk=registered.pk)
    assert fresh.state == State.REGISTERED and not fresh.assists.exists()  # nothing written
    case = act(
        at(2026, 11, 2, 9, 0),
        staff.dispatcher,
        fresh,
        "dispatch",
        assisting=[rules.cgj.code],
        assist_until="2026-11-03T17:00",
    )
    assert task(case, rules.cgj).due_at == at(2026, 11, 3, 17, 0)


def test_an_assisting_unit_acknowledges_and_replies(assisted: Case, staff: Any, rules: Any) -> None:
    assert {t.name for t in actions_for(staff.cgj_handler, assisted)} == {
        "assist_acknowledge",
        "assist_reply",
    }
    assert assisted in assist_cases(user=staff.cgj_handler)
    case = act(at(2026, 11, 2, 10, 0), staff.cgj_handler, assisted, "assist_acknowledge")
    assert case.state == State.DISPATCHED  # the case's own state is the lead's business
    assert task(case, rules.cgj).acknowledged_at == at(2026, 11, 2, 10, 0)
    with pytest.raises(InvalidInput) as empty:
        act(at(2026, 11, 3, 9, 0), staff.cgj_handler, case, "assist_reply", reply=" ")
    assert empty.value.field == "reply"
    act(
        at(2026, 11, 3, 9, 0),
        staff.cgj_handler,
        case,
        "assist_reply",
        reply="施工单位已恢复线路，占道已清理",
    )
    done = task(case, rules.cgj)
    assert (done.state, done.replied_at, done.replied_by) == (
        AssistState.REPLIED,
        at(2026, 11, 3, 9, 0),
        staff.cgj_handler,
    )
    assert not done.late
    assert case not in assist_cases(user=staff.cgj_handler)  # no longer waiting
    assert case_list(user=staff.cgj_handler).filter(pk=case.pk).exists()  # still visible
    rows = CaseEvent.objects.filter(case=case, action__startswith="assist_").order_by("id")
    assert [(r.action, r.data["unit"]) for r in rows] == [
        ("assist_acknowledge", rules.cgj.code),
        ("assist_reply", rules.cgj.code),
    ]
    assert rows[1].note == "施工单位已恢复线路，占道已清理"
    audits = AuditLog.objects.filter(target_id=str(case.pk), action__startswith="cases.case.assist")
    assert audits.count() == 2
    assert OutboxEvent.objects.filter(name="cases.assist_acted").count() == 2
    with pytest.raises(Conflict):  # replied once
        act(at(2026, 11, 3, 9, 5), staff.cgj_handler, case, "assist_reply", reply="再说")


def test_only_an_assisting_unit_acts_on_its_task(assisted: Case, staff: Any) -> None:
    with pytest.raises(Forbidden):  # the lead unit is not an assisting unit
        case_act(actor=staff.zjj_handler, case=assisted, action="assist_reply", reply="x")
    with pytest.raises(Forbidden):  # a dispatcher's role does not handle
        case_act(actor=staff.dispatcher, case=assisted, action="assist_acknowledge")
    assert "assist_reply" not in {t.name for t in actions_for(staff.zjj_handler, assisted)}


def test_the_lead_reads_the_assisting_replies_before_replying(
    assisted: Case, staff: Any, rules: Any
) -> None:
    act(at(2026, 11, 3, 9, 0), staff.cgj_handler, assisted, "assist_reply", reply="线路已恢复")
    case = act(at(2026, 11, 3, 10, 0), staff.zjj_handler, assisted, "acknowledge")
    client = Client()
    client.force_login(staff.zjj_handler)
    form = client.get(f"/cases/{case.case_no}/act/reply/?ctx=inbox", HTTP_HX_REQUEST="true")
    body = form.content.decode()
    assert 'data-testid="reply-form-assists"' in body
    assert 'data-testid="reply-form-assist-320722-CGJ"' in body and "线路已恢复" in body
    assert "尚未反馈协办意见" in body  # 公安局 has not replied yet
    detail = client.get(f"/cases/{case.case_no}/").content.decode()
    assert 'data-testid="case-assists"' in detail and "线路已恢复" in detail
    api = client.get(f"/api/v1/cases/{case.case_no}").json()
    by_unit = {a["unit"]["code"]: a for a in api["assists"]}
    assert by_unit["320722-CGJ"]["reply"] == "线路已恢复"
    assert by_unit["320722-CGJ"]["state"] == "replied"
    assert by_unit["320722-GAJ"]["state_label"] == "待签收"
    assert [u["code"] for u in api["assisting_units"]] == ["320722-CGJ", "320722-GAJ"]


def test_the_assisting_units_inbox_and_the_api(assisted: Case, staff: Any) -> None:
    client = Client()
    client.force_login(staff.cgj_handler)
    page = client.get("/cases/inbox/?bucket=assist").content.decode()
    no = assisted.case_no
    assert 'data-testid="count-assist">1' in page
    assert f'data-testid="assist_acknowledge-{no}"' in page
    assert f'data-testid="assist_reply-{no}"' in page
    assert f'data-testid="assist-due-{no}"' in page
    # The lead's own tabs do not hold it.
    assert 'data-testid="count-to_acknowledge">0' in page
    done = client.post(
        f"/cases/{no}/act/assist_reply/",
        {"ctx": "assist", "reply": "已协调施工单位"},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200 and "已反馈协办意见" in done.content.decode()
    listed = client.get("/api/v1/cases?view=inbox&bucket=assist").json()
    assert listed["items"] == []
    counts = client.get("/api/v1/cases/buckets?view=inbox").json()
    assert {r["key"]: r["count"] for r in counts}["assist"] == 0
    client.force_login(staff.police)
    api = client.post(
        f"/api/v1/cases/{no}/actions/assist_reply",
        {"reply": "已派民警到场维持秩序"},
        content_type="application/json",
    )
    assert api.status_code == 200, api.json()
    assert api.json()["case"]["assists"][1]["state"] == "replied"
    assert api.json()["case"]["timeline"][-1]["label"] == "反馈协办意见"


def test_suspension_moves_the_assisting_deadline_with_the_leads(
    assisted: Case, staff: Any, rules: Any
) -> None:
    # Suspended Tuesday 11-03 09:00 with two working days left to the assisting deadline.
    case = act(at(2026, 11, 3, 9, 0), staff.dispatcher, assisted, "suspend", reason="等待鉴定")
    case = act(at(2026, 11, 10, 9, 0), staff.dispatcher, case, "resume")
    assert case.due_at == at(2026, 11, 16, 9, 0)  # four working days left from 11-10
    assert task(case, rules.cgj).due_at == at(2026, 11, 12, 9, 0)  # two from 11-10


def test_an_extension_leaves_the_assisting_deadline(assisted: Case, staff: Any, rules: Any) -> None:
    case = act(at(2026, 11, 2, 10, 0), staff.zjj_handler, assisted, "acknowledge")
    case = act(
        at(2026, 11, 2, 11, 0),
        staff.zjj_handler,
        case,
        "request_extension",
        reason="需采购配件",
        until="2026-11-20T17:00",
    )
    case = act(at(2026, 11, 2, 14, 0), staff.dispatcher, case, "approve_extension")
    assert case.due_at == at(2026, 11, 20, 17, 0)
    assert task(case, rules.cgj).due_at == at(2026, 11, 5, 9, 0)


def test_a_return_withdraws_and_a_new_dispatch_reopens(
    assisted: Case, staff: Any, rules: Any, tree: Any
) -> None:
    act(at(2026, 11, 2, 9, 30), staff.cgj_handler, assisted, "assist_reply", reply="第一轮意见")
    case = act(at(2026, 11, 2, 10, 0), staff.zjj_handler, assisted, "return", reason="非本单位")
    assert task(case, tree.gaj).state == AssistState.WITHDRAWN
    assert task(case, rules.cgj).state == AssistState.REPLIED  # a reply stays a reply
    assert CaseEvent.objects.get(case=case, action="return").data["withdrawn"] == [tree.gaj.code]
    assert assisted not in assist_cases(user=staff.police)
    # Reassigned to 城管局 as lead with 公安局 assisting: 公安局's task opens again; 城管局's
    # own (it leads now) is withdrawn rather than deleted.
    case = act(
        at(2026, 11, 2, 11, 0),
        staff.dispatcher,
        case,
        "reassign",
        unit=rules.cgj.code,
        assisting=[tree.gaj.code],
    )
    gaj = task(case, tree.gaj)
    assert (gaj.state, gaj.dispatched_at) == (AssistState.DISPATCHED, at(2026, 11, 2, 11, 0))
    assert gaj.due_at <= case.due_at
    assert CaseAssist.objects.filter(case=case).count() == 2  # nothing deleted
    assert CaseEvent.objects.filter(case=case, action="assist_reply").count() == 1


def test_a_finished_case_takes_no_assisting_action(assisted: Case, staff: Any) -> None:
    case = act(at(2026, 11, 2, 10, 0), staff.zjj_handler, assisted, "acknowledge")
    case = act(at(2026, 11, 2, 11, 0), staff.zjj_handler, case, "reply", reply="已修复")
    case = act(at(2026, 11, 2, 12, 0), staff.dispatcher, case, "close")
    with pytest.raises(Conflict):
        act(at(2026, 11, 2, 13, 0), staff.police, case, "assist_reply", reply="迟到的意见")
    assert case not in assist_cases(user=staff.police)


def test_the_figures_count_the_assisting_tasks(assisted: Case, staff: Any, rules: Any) -> None:
    act(at(2026, 11, 3, 9, 0), staff.cgj_handler, assisted, "assist_reply", reply="按时")
    with time_machine.travel(at(2026, 11, 6, 9, 0), tick=False):
        figures = {
            f.unit_code: f
            for f in unit_figures(
                user=staff.leader, start=date(2026, 11, 1), end=date(2026, 11, 30)
            )
        }
    cgj, gaj = figures["320722-CGJ"], figures["320722-GAJ"]
    assert (cgj.assisted, cgj.assisted_on_time, cgj.assisted_late) == (1, 1, 0)
    # 公安局 has not replied and its deadline (11-05 09:00) has passed.
    assert (gaj.assisted, gaj.assisted_on_time, gaj.assisted_late) == (1, 0, 1)
    assert (cgj.assisted_on_time_rate, gaj.assisted_on_time_rate) == (1.0, 0.0)
    assert cgj.received == 0  # assisting is not leading
    act(at(2026, 11, 6, 10, 0), staff.police, assisted, "assist_reply", reply="晚了")
    client = Client()
    client.force_login(staff.leader)
    with time_machine.travel(at(2026, 11, 6, 11, 0), tick=True):
        rows = client.get("/api/v1/case-figures?start=2026-11-01&end=2026-11-30").json()
        page = client.get("/cases/figures/?start=2026-11-01&end=2026-11-30").content.decode()
    gaj_row = next(r for r in rows if r["unit_code"] == "320722-GAJ")
    assert (gaj_row["assisted"], gaj_row["assisted_late"], gaj_row["assisted_on_time_rate"]) == (
        1,
        1,
        0.0,
    )
    assert 'data-testid="figures-assisted-320722-GAJ">1' in page and "逾期 1" in page


def test_the_assisting_units_hear_live_updates(
    assisted: Case,
    staff: Any,
    rules: Any,
    tree: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    pushed: list[tuple[list[str], dict[str, Any]]] = []
    monkeypatch.setattr(core_live, "push", lambda groups, payload: pushed.append((groups, payload)))
    with django_capture_on_commit_callbacks(execute=True):
        case_act(actor=staff.cgj_handler, case=assisted, action="assist_reply", reply="已协调")
    [(groups, payload)] = pushed
    # The lead unit, the dispatch center and every assisting unit hear it.
    assert {"org.320722-ZJJ", "org.320722", "org.320722-CGJ", "org.320722-GAJ"} <= set(groups)
    assert (payload["action"], payload["label"]) == ("assist_reply", "反馈协办意见")
    assert payload["assisting"] == [rules.cgj.code, tree.gaj.code]


def test_the_reopened_case_asks_its_assisting_units_again(
    assisted: Case, staff: Any, rules: Any
) -> None:
    case = act(at(2026, 11, 2, 10, 0), staff.zjj_handler, assisted, "acknowledge")
    act(at(2026, 11, 2, 10, 30), staff.cgj_handler, case, "assist_reply", reply="第一轮")
    case = act(at(2026, 11, 2, 11, 0), staff.zjj_handler, case, "reply", reply="已修复")
    case = act(at(2026, 11, 2, 12, 0), staff.dispatcher, case, "close")
    case = act(at(2026, 11, 3, 9, 0), staff.dispatcher, case, "rate", rating="unsatisfied")
    case = act(at(2026, 11, 3, 10, 0), staff.dispatcher, case, "reopen", reason="路灯仍不亮")
    cgj = task(case, rules.cgj)
    assert (cgj.state, cgj.reply, cgj.dispatched_at) == ("dispatched", "", at(2026, 11, 3, 10, 0))
    assert cgj.due_at <= case.due_at and cgj.due_at > at(2026, 11, 3, 10, 0) + timedelta(hours=1)


def test_the_admin_shows_the_tasks_read_only(assisted: Case) -> None:
    from zhili.orgs.models import User

    admin = User.objects.create_superuser(username="root", password="x-pass-123")
    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/cases/case/{assisted.pk}/change/")
    assert page.status_code == 200
    assert "协办任务" in page.content.decode() and "城管局" in page.content.decode()


def test_the_lead_unit_cannot_also_assist(registered: Case, staff: Any, rules: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        case_act(
            actor=staff.dispatcher,
            case=registered,
            action="dispatch",
            assisting=[rules.zjj.code, rules.cgj.code],
        )
    assert refused.value.field == "assisting" and "住建局" in refused.value.message
    assert Case.objects.get(pk=registered.pk).state == State.REGISTERED


def test_the_leads_row_and_the_timeline_name_the_assisting_units(
    assisted: Case, staff: Any
) -> None:
    assert CaseEvent.objects.get(case=assisted, action="dispatch").note == (
        "派往住建局，协办：城管局、公安局"
    )
    act(at(2026, 11, 3, 9, 0), staff.cgj_handler, assisted, "assist_reply", reply="线路已恢复")
    client = Client()
    client.force_login(staff.zjj_handler)
    page = client.get("/cases/inbox/?bucket=to_acknowledge").content.decode()
    assert f'data-testid="assist-progress-{assisted.case_no}"' in page
    assert "协办意见 1/2 已反馈" in page


# --- a deadline in a year whose holidays are not official yet -------------------------------


def test_a_provisional_assisting_deadline_is_marked_and_counted_again(
    register: Any, catalog: Any, staff: Any, rules: Any
) -> None:
    with time_machine.travel(at(2027, 2, 3, 10, 0), tick=False):
        case = register(category=catalog.lamp)
        case = case_act(
            actor=staff.dispatcher, case=case, action="dispatch", assisting=[rules.cgj.code]
        )
    # The lead's five working days end 02-12 10:00 on the provisional calendar (除夕..初三
    # off); 60 % of them, 22.5 office hours, end 02-10 10:00.
    assert case.due_at == at(2027, 2, 12, 10, 0) and case.due_provisional
    cgj = task(case, rules.cgj)
    assert (cgj.due_at, cgj.due_provisional) == (at(2027, 2, 10, 10, 0), True)
    client = Client()
    with time_machine.travel(at(2027, 2, 3, 11, 0), tick=True):
        client.force_login(staff.cgj_handler)
        api = client.get(f"/api/v1/cases/{case.case_no}").json()
        page = client.get("/cases/inbox/?bucket=assist").content.decode()
        detail = client.get(f"/cases/{case.case_no}/").content.decode()
    assert api["assists"][0]["due_provisional"] is True
    row = page[page.index(f'data-testid="assist-due-{case.case_no}"') :][:600]
    assert "临时日历" in row
    assist_row = detail[detail.index('data-testid="assist-row-320722-CGJ"') :][:900]
    assert 'data-testid="provisional"' in assist_row
    # The State Council's notice: 02-09 and 02-10 off as well, Saturday 02-20 worked.
    days = [CalendarDay(d, False, n) for d, n in statutory_days(2027).items()]
    days += [
        CalendarDay(date(2027, 2, 9), False, "春节"),
        CalendarDay(date(2027, 2, 10), False, "春节"),
        CalendarDay(date(2027, 2, 20), True, "春节"),
    ]
    with time_machine.travel(at(2027, 1, 20, 9, 0), tick=False):
        calendar_year_enter(actor=staff.admin, year=2027, days=days, source="imported")
        deliver_all()
    case.refresh_from_db()
    cgj.refresh_from_db()
    assert case.due_at == at(2027, 2, 16, 10, 0)
    assert (cgj.due_at, cgj.due_provisional) == (at(2027, 2, 12, 10, 0), False)
    line = CaseEvent.objects.get(case=case, action="assist_recompute")
    assert "城管局的协办时限按正式日历重新计算" in line.note
    assert "2027-02-10 10:00 → 2027-02-12 10:00" in line.note
    assert AuditLog.objects.filter(action="cases.case.assist_recompute").count() == 1
    assert assists_recompute_provisional(years=[2027]) == 0  # a second delivery: nothing


def test_a_named_assisting_deadline_is_not_counted_again(
    register: Any, catalog: Any, staff: Any, rules: Any
) -> None:
    with time_machine.travel(at(2027, 2, 3, 10, 0), tick=False):
        case = register(category=catalog.lamp)
        case = case_act(
            actor=staff.dispatcher,
            case=case,
            action="dispatch",
            assisting=[rules.cgj.code],
            assist_until="2027-02-09T17:00",
        )
    cgj = task(case, rules.cgj)
    assert (cgj.due_at, cgj.due_provisional, cgj.clock_from) == (at(2027, 2, 9, 17, 0), False, None)


def test_a_case_handed_over_to_a_dossier_needs_no_more_assisting(
    register: Any, catalog: Any, staff: Any, tree: Any
) -> None:
    from zhili.cases.services.dossiers import case_take_for_dossier

    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        case = register(category=catalog.dispute, title="邻里宅基地纠纷")
    case = act(at(2026, 11, 2, 9, 0), staff.dispatcher, case, "dispatch", assisting=[tree.gaj.code])
    with time_machine.travel(at(2026, 11, 3, 9, 0), tick=False):
        case = case_take_for_dossier(actor=staff.village, case=case, dossier_label="矛盾纠纷")
    assert case.state == State.HELD
    assert case not in assist_cases(user=staff.police)
    with pytest.raises(Conflict) as refused:
        act(at(2026, 11, 3, 10, 0), staff.police, case, "assist_reply", reply="已到场")
    assert "转卷宗办理" in refused.value.message
    # Its deadline (11-05 09:00) passes while the dossier runs: it was not late when it
    # stopped being needed.
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        [gaj] = unit_figures(
            user=staff.leader,
            start=date(2026, 11, 1),
            end=date(2026, 11, 30),
            unit_codes=["320722-GAJ"],
        )
        assert (gaj.assisted, gaj.assisted_late) == (1, 0)
        assert not task(case, tree.gaj).late
