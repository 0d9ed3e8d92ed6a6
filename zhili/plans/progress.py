"""Monthly progress reports (月度进展): each unit on an open task reports the month's progress
by the 5th of the month after (`ZHILI_PLAN_REPORT_DAY`), moved to the next working day when
that day is not one (zhili.core.workcal: weekends, holidays, 调休).

The reports owed are not stored: a (task, unit, month) is owed when the task was open at some
moment of the month (created before its end, not done before its start). What is counted
from them (due, on time, late, missing) is in `zhili.plans.selectors.report_counts`.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhili.core import workcal
from zhili.core.audit import audit
from zhili.core.dossier import apply_transition, check_action, record_history
from zhili.core.errors import Conflict, InvalidInput, NotFound, required_text
from zhili.core.types import Actor
from zhili.orgs.models import Organization
from zhili.plans import workflow
from zhili.plans.models import ProgressReport, Task, TaskState
from zhili.plans.services import check_on_task, day_end

REPORT_DAY = 5


def first_of(day: date) -> date:
    return day.replace(day=1)


def month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def report_due_at(month: date) -> datetime:
    """The moment the report on `month` is late from: the end of the 5th of the next month,
    or of the first working day after it."""
    day = month_after(month).replace(
        day=int(getattr(settings, "ZHILI_PLAN_REPORT_DAY", REPORT_DAY))
    )
    return day_end(workcal.workday_on_or_after(day))


def reporting_unit(actor: Actor, task: Task) -> Organization:
    """The unit on the task the actor reports for: the nearest one holding the actor's unit."""
    org = actor.organization
    rows = [
        u for u in task.units.select_related("unit") if org and org.path.startswith(u.unit_path)
    ]
    if not rows:
        raise InvalidInput("您所在单位不是该任务的牵头或责任单位", field="unit")
    return max(rows, key=lambda u: len(u.unit_path)).unit


def _check_month(task: Task, month: date | None) -> date:
    if month is None:
        raise InvalidInput("请选择报告月份", field="month")
    month = first_of(month)
    if month > first_of(timezone.localdate()):
        raise InvalidInput("不能报送以后月份的进展", field="month")
    if month < first_of(timezone.localdate(task.created_at)):
        raise InvalidInput("任务下达前的月份无需报送", field="month")
    return month


def _checked(progress: int | None, text: str) -> tuple[int, str]:
    if progress is None or not 0 <= int(progress) <= 100:
        raise InvalidInput("完成进度应为 0 至 100 的整数", field="progress")
    return int(progress), required_text(text, field="text", label="本月进展")


@transaction.atomic
def progress_report(
    *,
    actor: Actor,
    task: Task,
    month: date | None,
    progress: int | None,
    text: str,
    problems: str = "",
    next_steps: str = "",
) -> ProgressReport:
    """The actor's unit reports its progress on `task` for `month` (once per unit and
    month). The first report of a task not started starts it."""
    check_on_task(actor, task)
    month = _check_month(task, month)
    progress, text = _checked(progress, text)
    unit = reporting_unit(actor, task)
    if ProgressReport.objects.filter(task=task, unit=unit, month=month).exists():
        raise Conflict(f"本单位 {month:%Y年%m月} 的进展已报送", field="month", code="duplicate")
    report = ProgressReport.objects.create(
        task=task,
        unit=unit,
        month=month,
        progress=progress,
        text=text,
        problems=(problems or "").strip(),
        next_steps=(next_steps or "").strip(),
        due_at=report_due_at(month),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    if task.state == TaskState.NOT_STARTED:
        start = check_action(workflow.KIND, actor, task, "start")
        apply_transition(workflow.KIND, task, start, actor, note="报送进展，开始推进")
    Task.objects.filter(pk=task.pk).update(progress=progress)
    record_history(
        workflow.KIND,
        task,
        "report",
        from_state=task.state,
        to_state=task.state,
        actor=actor,
        note=f"{month:%Y年%m月}进展（{progress}%）：{text}",
        month=f"{month:%Y-%m}",
        on_time=report.on_time,
    )
    audit(actor, "plans.task.report", task, month=f"{month:%Y-%m}", unit=unit.code)
    return report


def amend_closes_at(month: date) -> datetime:
    """A report on `month` may be corrected until the next month's report is due."""
    return report_due_at(month_after(month))


@transaction.atomic
def progress_amend(
    *,
    actor: Actor,
    task: Task,
    month: date | None,
    progress: int | None,
    text: str,
    problems: str = "",
    next_steps: str = "",
) -> ProgressReport:
    """The actor's unit corrects (更正) its report on `task` for `month`: allowed until the
    next month's report is due, while the task is open. Whether the report was on time stays
    judged by its first sending; the history keeps what it said before."""
    check_on_task(actor, task)
    if month is None:
        raise InvalidInput("请选择报告月份", field="month")
    progress, text = _checked(progress, text)
    unit = reporting_unit(actor, task)
    report = (
        ProgressReport.objects.select_for_update()
        .filter(task=task, unit=unit, month=first_of(month))
        .first()
    )
    if report is None:
        raise NotFound(f"本单位尚未报送 {month:%Y年%m月} 的进展", field="month")
    closes = amend_closes_at(report.month)
    if timezone.now() >= closes:
        raise Conflict(
            f"{month:%Y年%m月}进展的更正期限（{timezone.localtime(closes):%Y-%m-%d %H:%M}）已过",
            field="month",
            code="amend_closed",
        )
    before = f"{report.progress}%：{report.text}"
    report.progress, report.text = progress, text
    report.problems, report.next_steps = (problems or "").strip(), (next_steps or "").strip()
    report.amended_at, report.amended_by = timezone.now(), actor
    report.amendments += 1
    report.save()
    if not task.reports.filter(month__gt=report.month).exists():  # the latest month sets it
        Task.objects.filter(pk=task.pk).update(progress=report.progress)
    record_history(
        workflow.KIND,
        task,
        "amend",
        from_state=task.state,
        to_state=task.state,
        actor=actor,
        note=f"更正{report.month:%Y年%m月}进展（{report.progress}%）：{text}（更正前 {before}）",
        month=f"{report.month:%Y-%m}",
    )
    audit(actor, "plans.task.report_amend", task, month=f"{report.month:%Y-%m}", unit=unit.code)
    return report
