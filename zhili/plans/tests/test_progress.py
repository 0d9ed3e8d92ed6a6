"""Monthly progress reports: the deadline is the 5th of the next month or the first working
day after it; the counts per unit say what was due, on time, late, missing and pending."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from zhili.core import workcal
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.plans import progress, selectors, services
from zhili.plans.models import TaskState

pytestmark = pytest.mark.django_db


def test_the_deadline_is_the_fifth_or_the_next_working_day():
    for month in (date(2026, 1, 1), date(2026, 3, 1), date(2026, 9, 1), date(2026, 12, 1)):
        fifth = progress.month_after(month).replace(day=5)
        due = progress.report_due_at(month)
        last_day = timezone.localdate(due - timedelta(seconds=1))
        assert last_day >= fifth and workcal.is_workday(last_day)
        assert all(
            not workcal.is_workday(fifth + timedelta(days=n))
            for n in range((last_day - fifth).days)
        )


def report(user, task, month, share=40):
    return progress.progress_report(
        actor=user, task=task, month=month, progress=share, text="按计划推进"
    )


def test_a_report_starts_the_task_once_per_unit_and_month(staff, tree, make_task):
    task = make_task(units=(tree.gaj,))
    month = timezone.localdate().replace(day=1)
    report(staff.township, task, month)
    task.refresh_from_db()
    assert (task.state, task.progress) == (TaskState.IN_PROGRESS, 40)
    with pytest.raises(Conflict) as err:
        report(staff.township, task, month)
    assert err.value.field == "month"
    assert report(staff.police, task, month).unit == tree.gaj
    with pytest.raises(Forbidden):
        services.check_on_task(staff.dispatcher, task)  # the county center is not on it


@pytest.mark.parametrize(
    ("month", "share", "field"),
    [(None, 10, "month"), ("next", 10, "month"), ("before", 10, "month"), ("now", 101, "progress")],
)
def test_bad_reports_name_the_field(staff, make_task, month, share, field):
    task = make_task()
    this = timezone.localdate().replace(day=1)
    given = {"now": this, "next": progress.month_after(this), "before": date(2020, 1, 1)}
    with pytest.raises(InvalidInput) as err:
        report(staff.township, task, given.get(month), share)
    assert err.value.field == field


def test_counts_per_unit_for_assessment(staff, tree, make_task):
    """Two tasks of T1 (one with the police responsible), made in the month: T1 reports one
    on time and one late, the police never; before and after the deadline."""
    start = datetime(2026, 10, 10, 10, 0, tzinfo=timezone.get_current_timezone())
    month = date(2026, 10, 1)
    due = progress.report_due_at(month)
    with time_machine.travel(start, tick=False):
        one = make_task(days=200)
        two = make_task(days=200, units=(tree.gaj,))
        report(staff.township, one, month)
    before = selectors.report_counts(first=month, last=month, now=due - timedelta(hours=1))
    assert {(c.unit.code, c.due, c.on_time, c.pending, c.missing) for c in before} == {
        (tree.t1.code, 1, 1, 1, 0),
        (tree.gaj.code, 0, 0, 1, 0),
    }
    with time_machine.travel(due + timedelta(hours=1), tick=False):
        report(staff.township, two, month)
        counts = {c.unit.code: c for c in selectors.report_counts(first=month, last=month)}
    t1, gaj = counts[tree.t1.code], counts[tree.gaj.code]
    assert (t1.due, t1.on_time, t1.late, t1.missing, t1.rate) == (2, 1, 1, 0, 0.5)
    assert (gaj.due, gaj.missing, gaj.rate) == (1, 1, 0.0)  # never reported: 0 %, not "none due"


def test_a_task_done_before_a_month_owes_no_report_for_it(staff, make_task):
    start = datetime(2026, 9, 10, 10, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(start, tick=False):
        task = make_task(days=100)
        services.task_complete(actor=staff.township, task=task, outcome="提前完成")
    owed = selectors.owed(date(2026, 9, 1), date(2026, 11, 1))
    assert {(t, m) for t, _u, m in owed} == {(task.pk, date(2026, 9, 1))}


def test_a_unit_corrects_its_report_until_the_next_month_is_due(staff, tree, make_task):
    """更正: the unit's own report, its text and share replaced, the first sending still what
    on time is judged by, the history keeping what it said before; closed once the next
    month's report is due; another unit has no report of its own to correct."""
    task = make_task(units=(tree.gaj,))
    month = timezone.localdate().replace(day=1)
    sent = report(staff.township, task, month, share=40)
    amended = progress.progress_amend(
        actor=staff.township, task=task, month=month, progress=55, text="已完成培训两期"
    )
    assert (amended.pk, amended.progress, amended.text, amended.amendments) == (
        sent.pk,
        55,
        "已完成培训两期",
        1,
    )
    assert amended.submitted_at == sent.submitted_at and amended.on_time == sent.on_time
    assert amended.amended_by == staff.township and amended.amended_at is not None
    task.refresh_from_db()
    assert task.progress == 55
    [event] = task.events.filter(action="amend")
    assert "更正前 40%：按计划推进" in event.note and event.actor == staff.township
    with pytest.raises(NotFound) as err:
        progress.progress_amend(actor=staff.police, task=task, month=month, progress=5, text="x")
    assert err.value.field == "month"
    with pytest.raises(InvalidInput) as err:
        progress.progress_amend(actor=staff.township, task=task, month=month, progress=5, text="")
    assert err.value.field == "text"
    closes = progress.amend_closes_at(month)
    late = time_machine.travel(closes + timedelta(minutes=1), tick=False)
    with late, pytest.raises(Conflict) as err:
        progress.progress_amend(
            actor=staff.township, task=task, month=month, progress=60, text="补充"
        )
    assert (err.value.code, err.value.field) == ("amend_closed", "month")
    sent.refresh_from_db()
    assert (sent.progress, sent.amendments) == (55, 1)
