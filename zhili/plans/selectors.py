"""Every scoped read of plans, tasks, progress reports and meetings.

A user with `plans.view` sees a task when their organization's subtree holds the center
that set it or one of the units on it (county-wide users see all): a township sees its own
tasks. A plan is the county's document: everyone with `plans.view` reads it, each seeing
the tasks in their own sight. A meeting is seen by its center's scope and by the units its
decisions went to.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.orgs.models import Organization
from zhili.plans.models import (
    OPEN_STATES,
    Meeting,
    Plan,
    ProgressReport,
    Project,
    Task,
    TaskState,
    TaskUnit,
)
from zhili.plans.progress import first_of, month_after, report_due_at


def task_scope(user: Actor) -> Q:
    if not can(user, Action.PLANS_VIEW):
        return Q(pk__in=[])
    scope = scope_for(user)
    if scope.everything:
        return Q()
    units = TaskUnit.objects.filter(scope.q("unit_path")).values("task_id")
    return scope.q("center_path") | Q(pk__in=units)


@dataclass(frozen=True)
class TaskFilters:
    state: str = ""
    source: str = ""
    plan: int | None = None
    project: int | None = None
    meeting: str = ""  # the meeting's number
    unit: str = ""  # a unit's code: tasks it is on
    mine: bool = False  # tasks the user's unit (or a unit inside it) is on


def _with_units(qs: QuerySet[Task]) -> QuerySet[Task]:
    units = TaskUnit.objects.select_related("unit").order_by("role", "id")
    return qs.select_related("lead_unit", "center", "project", "meeting", "plan").prefetch_related(
        Prefetch("units", queryset=units)
    )


def task_list(*, user: Actor, filters: TaskFilters | None = None) -> QuerySet[Task]:
    f = filters or TaskFilters()
    qs = Task.objects.filter(task_scope(user))
    qs = filter_given(qs, state=f.state, source=f.source, plan_id=f.plan, project_id=f.project)
    qs = filter_given(qs, meeting__number=f.meeting)
    if f.unit:
        qs = qs.filter(pk__in=TaskUnit.objects.filter(unit__code=f.unit).values("task_id"))
    if f.mine:
        org = user.organization
        mine = (
            TaskUnit.objects.filter(unit_path__under=org.path) if org else TaskUnit.objects.none()
        )
        qs = qs.filter(pk__in=mine.values("task_id"))
    return _with_units(qs).order_by("due_on", "id")


def task_get(*, user: Actor, number: str) -> Task:
    return one_or_not_found(task_list(user=user), "任务不存在", number=number)


def state_counts(qs: QuerySet[Task]) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("id")))
    return {state: counts.get(state, 0) for state in TaskState.values}


# --- plans ----------------------------------------------------------------------------------------


def plan_list(*, user: Actor) -> QuerySet[Plan]:
    if not can(user, Action.PLANS_VIEW):
        return Plan.objects.none()
    return Plan.objects.select_related("center").order_by("-year", "id")


def plan_get(*, user: Actor, plan_id: int) -> Plan:
    return one_or_not_found(plan_list(user=user), "年度工作计划不存在", pk=plan_id)


def plan_for_year(*, user: Actor, year: int) -> Plan | None:
    return plan_list(user=user).filter(year=year).first()


def project_get(*, user: Actor, plan: Plan, project_id: int) -> Project:
    return one_or_not_found(plan.projects.all(), "重点项目不存在", pk=project_id)


@dataclass
class Branch:
    """A project of the plan tree (or the plan's tasks outside a project: `project` None)
    with the tasks the user sees, their mean progress and their states."""

    project: Project | None
    tasks: list[Task] = field(default_factory=list)

    @property
    def progress(self) -> int:
        return round(sum(t.progress for t in self.tasks) / len(self.tasks)) if self.tasks else 0

    @property
    def states(self) -> dict[str, int]:
        counts = Counter(t.state for t in self.tasks)
        return {state: counts.get(state, 0) for state in TaskState.values}


def plan_tree(*, user: Actor, plan: Plan) -> list[Branch]:
    """The plan's projects in order, each with the tasks the user sees (a project with none
    of them is still listed: the plan is the county's), then the tasks outside a project."""
    branches = {p.pk: Branch(p) for p in plan.projects.select_related("lead_unit")}
    loose = Branch(None)
    for task in task_list(user=user, filters=TaskFilters(plan=plan.pk)):
        branches.get(task.project_id or 0, loose).tasks.append(task)
    return [*branches.values(), *([loose] if loose.tasks else [])]


# --- meetings --------------------------------------------------------------------------------------


def meeting_scope(user: Actor) -> Q:
    if not can(user, Action.PLANS_VIEW):
        return Q(pk__in=[])
    scope = scope_for(user)
    if scope.everything:
        return Q()
    decided = Task.objects.filter(task_scope(user), meeting__isnull=False).values("meeting_id")
    return scope.q("center_path") | Q(pk__in=decided)


def meeting_list(*, user: Actor, kind: str = "") -> QuerySet[Meeting]:
    qs = Meeting.objects.filter(meeting_scope(user)).select_related("center", "recorded_by")
    qs = filter_given(qs, kind=kind)
    return qs.annotate(decision_count=Count("decisions")).order_by("-held_on", "-id")


def meeting_get(*, user: Actor, number: str) -> Meeting:
    return one_or_not_found(meeting_list(user=user), "会议不存在", number=number)


def meeting_decisions(*, user: Actor, meeting: Meeting) -> QuerySet[Task]:
    return task_list(user=user, filters=TaskFilters(meeting=meeting.number))


def decisions_since(*, since: date, until: date) -> list[Task]:
    """County-wide (the weekly pack is the county center's): the decisions of the meetings
    held from `since` to `until`, and every decision of an earlier meeting still open."""
    recent = Q(meeting__held_on__gte=since, meeting__held_on__lte=until)
    earlier_open = Q(meeting__held_on__lt=since, state__in=OPEN_STATES)
    qs = Task.objects.filter(meeting__isnull=False).filter(recent | earlier_open)
    qs = qs.select_related("meeting", "lead_unit")
    return list(qs.order_by("-meeting__held_on", "meeting_id", "id"))


# --- progress reports -------------------------------------------------------------------------------


@dataclass
class UnitReportCounts:
    """A unit's monthly reports over a period: `due` (owed and past their deadline, or in
    already), of them `on_time`, `late` (in after the deadline) and `missing` (past the
    deadline, not in), and `pending` (owed, deadline ahead, not in yet)."""

    unit: Organization
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0

    @property
    def rate(self) -> float | None:
        """The on-time report rate (按时报送率), None when nothing was due."""
        return self.on_time / self.due if self.due else None


def months(first: date, last: date) -> list[date]:
    month, end, found = first_of(first), first_of(last), []
    while month <= end:
        found.append(month)
        month = month_after(month)
    return found


def owed(first: date, last: date) -> list[tuple[int, int, date]]:
    """The (task id, unit id, month) reports owed over the months from `first` to `last`:
    each unit on a task open at some moment of the month."""
    spans = months(first, last)
    if not spans:
        return []
    start, end = _bounds(spans[0])[0], _bounds(spans[-1])[1]
    tasks = Task.objects.filter(created_at__lt=end).filter(
        Q(done_at__isnull=True) | Q(done_at__gte=start)
    )
    rows = TaskUnit.objects.filter(task__in=tasks).values_list(
        "task_id", "unit_id", "task__created_at", "task__done_at"
    )
    found = []
    for task_id, unit_id, created, done in rows:
        for month in spans:
            opens, closes = _bounds(month)
            if created < closes and (done is None or done >= opens):
                found.append((task_id, unit_id, month))
    return found


def _bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(month, datetime.min.time(), tz),
        datetime.combine(month_after(month), datetime.min.time(), tz),
    )


@dataclass(frozen=True)
class OwedReport:
    """A monthly report owed (a unit on a task open in the month) and how it came in: `status`
    one of REPORT_STATUSES."""

    task_id: int
    unit_id: int
    month: date
    status: str

    @property
    def due(self) -> bool:
        """Counted in the on-time rate: in already, or past its deadline."""
        return self.status != "pending"


REPORT_STATUSES = {
    "on_time": "按时报送",
    "late": "逾期报送",
    # Past its deadline and not in: due, and missed (a unit that never reports must not look
    # like one with nothing to report).
    "missing": "逾期未报",
    "pending": "未到期未报",
}


def owed_reports(
    *, first: date, last: date, now: datetime | None = None, units: Iterable[int] | None = None
) -> list[OwedReport]:
    """The monthly reports owed over the months from `first` to `last`, each with how it came
    in as of `now` (the one reading `report_counts` counts and the assessment lists). `units`
    (ids) narrows it."""
    now = now or timezone.now()
    wanted = set(units) if units is not None else None
    due = [row for row in owed(first, last) if wanted is None or row[1] in wanted]
    reports = ProgressReport.objects.filter(month__gte=first_of(first), month__lte=first_of(last))
    sent = {
        (task, unit, month): (at <= deadline)
        for task, unit, month, at, deadline in reports.values_list(
            "task_id", "unit_id", "month", "submitted_at", "due_at"
        )
    }
    return [OwedReport(*key, _status(sent.get(key), now >= report_due_at(key[2]))) for key in due]


def _status(on_time: bool | None, past: bool) -> str:
    if on_time is None:
        return "missing" if past else "pending"
    return "on_time" if on_time else "late"


def report_counts(
    *, first: date, last: date, now: datetime | None = None, units: Iterable[int] | None = None
) -> list[UnitReportCounts]:
    """Per unit, the monthly reports owed over the months from `first` to `last` and how
    they came in (for assessment's 按时报送率 and the progress page). `units` (ids) narrows
    it; units that owed nothing are left out."""
    rows = owed_reports(first=first, last=last, now=now, units=units)
    counts: dict[int, UnitReportCounts] = {}
    names = Organization.objects.in_bulk({row.unit_id for row in rows})
    for report in rows:
        row = counts.setdefault(report.unit_id, UnitReportCounts(names[report.unit_id]))
        setattr(row, report.status, getattr(row, report.status) + 1)
        row.due += report.due
    return sorted(counts.values(), key=lambda c: (c.unit.path, c.unit.pk))


def unit_month(*, user: Actor, month: date) -> list[tuple[Task, TaskUnit, ProgressReport | None]]:
    """The progress page: the tasks the user's unit (or a unit inside it) owes a report on
    for `month`, each with its report when in."""
    org = user.organization
    if org is None or not can(user, Action.PLANS_VIEW):
        return []
    opens, closes = _bounds(first_of(month))
    rows = TaskUnit.objects.filter(unit_path__under=org.path, task__created_at__lt=closes)
    rows = rows.filter(Q(task__done_at__isnull=True) | Q(task__done_at__gte=opens))
    rows = rows.select_related("task__lead_unit", "unit").order_by("task__due_on", "task_id")
    reports = ProgressReport.objects.filter(month=first_of(month), unit__path__startswith=org.path)
    by_key = {(r.task_id, r.unit_id): r for r in reports}
    return [(row.task, row, by_key.get((row.task_id, row.unit_id))) for row in rows]


def task_reports(task: Task) -> list[ProgressReport]:
    return list(task.reports.select_related("unit", "submitted_by").order_by("-month", "unit_id"))


def open_overdue(*, user: Actor) -> int:
    return task_list(user=user, filters=TaskFilters(state=TaskState.OVERDUE)).count()
