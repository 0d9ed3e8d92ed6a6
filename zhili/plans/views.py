"""Pages of plans (统筹协调): the plan tree with progress, the task list and a task's page
with its timeline and actions, a unit's monthly progress form with the missing reports
counted, and the meetings with their decisions.

Every read goes through `zhili.plans.selectors`, every write through the services.
"""

from collections.abc import Callable
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.core.dossier import timeline
from zhili.core.dossier import views as dossier_views
from zhili.core.dossier.views import DossierPages
from zhili.core.errors import DomainError
from zhili.core.pages import or_404
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.plans import meetings, progress, selectors, services, workflow
from zhili.plans.forms import (
    ACTION_FORMS,
    DECISION_ROWS,
    MeetingForm,
    MonthForm,
    PlanForm,
    ProgressForm,
    ProjectForm,
    TaskForm,
)
from zhili.plans.models import Plan, Source, Task, TaskState
from zhili.supervision.selectors import order_list

VIEW = requires(Action.PLANS_VIEW)


def get_task_or_404(user: Actor, number: str) -> Task:
    return or_404(selectors.task_get, user=user, number=number)


@VIEW
@require_GET
def plan_index(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    plan = selectors.plan_for_year(user=request.user, year=year)
    tree = selectors.plan_tree(user=request.user, plan=plan) if plan else []
    tasks = [t for branch in tree for t in branch.tasks]
    context = {
        "plan": plan,
        "year": year,
        "years": list(selectors.plan_list(user=request.user).values_list("year", flat=True)),
        "tree": tree,
        "states": TaskState.choices,
        "counts": {s: sum(1 for t in tasks if t.state == s) for s in TaskState.values},
        "progress": round(sum(t.progress for t in tasks) / len(tasks)) if tasks else 0,
        "can_manage": can(request.user, Action.PLANS_MANAGE),
    }
    return render(request, "plans/index.html", context)


@VIEW
@require_GET
def task_list(request: StaffRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    source = request.GET.get("source", "")
    filters = selectors.TaskFilters(
        state=state if state in TaskState.values else "",
        source=source if source in Source.values else "",
        mine=bool(request.GET.get("mine")),
    )
    tasks = selectors.task_list(user=request.user, filters=filters)
    context = {
        "tasks": tasks[:500],
        "filters": filters,
        "states": TaskState.choices,
        "sources": Source.choices,
        "total": tasks.count(),
    }
    return render(request, "plans/tasks.html", context)


def detail_context(user: Actor, task: Task, **extra: object) -> dict[str, object]:
    orders = order_list(user=user).filter(target_type=services.TARGET, target_id=str(task.pk))
    return {
        "task": task,
        "units": list(task.units.all()),
        "milestones": list(task.milestones.all()),
        "reports": selectors.task_reports(task),
        "orders": list(orders),
        "history": timeline(workflow.KIND, task),
        "actions": services.actions_for(user, task),
        "may_report": _may_report(user, task),
        **extra,
    }


def _may_report(user: Actor, task: Task) -> bool:
    try:
        services.check_on_task(user, task)
    except DomainError:
        return False
    return True


PAGES: DossierPages[Task] = DossierPages(
    kind=workflow.KIND,
    get=get_task_or_404,
    context=detail_context,
    app="plans",
    action_forms=ACTION_FORMS,
    perform=services.task_act,
)
task_detail, task_action = dossier_views.page_views(PAGES, VIEW)


@VIEW
@require_POST
def milestone_done(request: StaffRequest, number: str, milestone: int) -> HttpResponse:
    task = get_task_or_404(request.user, number)
    try:
        done = services.milestone_complete(actor=request.user, task=task, milestone_id=milestone)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"节点“{done.title}”已完成")
    return redirect("plans:detail", number=number)


# --- writing the plan: the plan, its key projects, its tasks ------------------------------------


def _form_page(
    request: StaffRequest, form: forms.Form, heading: str, intro: str, submit: str, status: int
) -> HttpResponse:
    context = {"form": form, "heading": heading, "intro": intro, "submit": submit}
    return render(request, "plans/form.html", context, status=status)


def _failed(form: forms.Form, exc: DomainError) -> int:
    """The service's refusal beside its field (or atop the form); the page's status is its."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return exc.status


@requires(Action.PLANS_MANAGE)
@require_http_methods(["GET", "POST"])
def plan_new(request: StaffRequest) -> HttpResponse:
    """编制年度计划: the center's plan of a year (one per center and year)."""
    year = timezone.localdate().year
    initial = {"year": year, "title": f"{year}年度综治中心工作计划"}
    form = PlanForm(request.POST or None, initial=initial)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            status = _failed(form, exc)
        else:
            messages.success(request, f"已编制{plan.year}年度工作计划")
            return redirect(f"{reverse('plans:index')}?year={plan.year}")
    intro = "年度计划下分重点项目和任务，任务逐项明确牵头单位、责任单位、节点和完成期限"
    return _form_page(request, form, "编制年度工作计划", intro, "编制计划", status)


def _plan_or_404(request: StaffRequest, plan_id: int) -> Plan:
    return or_404(selectors.plan_get, user=request.user, plan_id=plan_id)


@requires(Action.PLANS_MANAGE)
@require_http_methods(["GET", "POST"])
def project_new(request: StaffRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    form = ProjectForm(request.POST or None, actor=request.user)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_add(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as exc:
            status = _failed(form, exc)
        else:
            messages.success(request, f"已添加重点项目“{project.name}”")
            return redirect(f"{reverse('plans:index')}?year={plan.year}")
    intro = f"{plan.title}：重点项目由牵头单位统筹，其下分解具体任务"
    return _form_page(request, form, "添加重点项目", intro, "添加项目", status)


@requires(Action.PLANS_MANAGE)
@require_http_methods(["GET", "POST"])
def task_new(request: StaffRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    projects = {p.pk: p for p in plan.projects.order_by("position")}
    choices = [(pk, p.name) for pk, p in projects.items()]
    form = TaskForm(request.POST or None, actor=request.user, projects=choices)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.TaskInput(
            title=d["title"],
            lead_unit=d["lead_unit"],
            due_on=d["due_on"],
            units=list(d["units"]),
            description=d["description"],
            milestones=d["milestones"],
        )
        project = projects.get(d["project"]) if d["project"] else None
        try:
            task = services.task_create(actor=request.user, data=data, plan=plan, project=project)
        except DomainError as exc:
            status = _failed(form, exc)
        else:
            messages.success(request, f"已下达任务 {task.number}")
            return redirect("plans:detail", number=task.number)
    intro = f"{plan.title}：任务下达后责任单位每月5日前报送进展，逾期自动督办"
    return _form_page(request, form, "下达任务", intro, "下达任务", status)


# --- monthly progress -------------------------------------------------------------------------


def default_month(today: date) -> date:
    """The month whose report is due next: last month until its deadline, then this one."""
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return last if timezone.now() < progress.report_due_at(last) else today.replace(day=1)


def _month(request: StaffRequest) -> date:
    form = MonthForm(request.GET)
    text = form.cleaned_data.get("month") if form.is_valid() else ""
    if text:
        return date(int(text[:4]), int(text[5:7]), 1)
    return default_month(timezone.localdate())


@VIEW
@require_GET
def progress_page(request: StaffRequest) -> HttpResponse:
    return _progress(request, _month(request), ProgressForm(), failed="")


def _progress(
    request: StaffRequest, month: date, form: ProgressForm, *, failed: str, status: int = 200
) -> HttpResponse:
    """The unit's reports owed for `month` (a form for each one missing; `failed` is the task
    whose form came back with errors), and for a manager every unit's counts."""
    rows = selectors.unit_month(user=request.user, month=month)
    counts = []
    if can(request.user, Action.PLANS_MANAGE):
        counts = selectors.report_counts(first=month, last=month)
    due = progress.report_due_at(month)
    amend_closes = progress.amend_closes_at(month)
    context = {
        "month": month,
        "deadline": due - timedelta(seconds=1),
        "past_deadline": timezone.now() >= due,
        "amend_open": timezone.now() < amend_closes,
        "amend_closes": amend_closes - timedelta(seconds=1),
        "rows": rows,
        "missing": sum(1 for _t, _u, report in rows if report is None),
        "counts": counts,
        "form": form,
        "failed": failed,
    }
    return render(request, "plans/progress.html", context, status=status)


def _month_of(text: str) -> date:
    return date(int(text[:4]), int(text[5:7]), 1)


@VIEW
@require_POST
def progress_submit(request: StaffRequest, number: str) -> HttpResponse:
    return _progress_post(request, number, progress.progress_report, "报送")


@VIEW
@require_POST
def progress_amend(request: StaffRequest, number: str) -> HttpResponse:
    """A unit corrects a report it sent (until the next month's report is due)."""
    return _progress_post(request, number, progress.progress_amend, "更正")


def _progress_post(
    request: StaffRequest, number: str, write: Callable[..., object], verb: str
) -> HttpResponse:
    """Send or correct a month's report from the progress page's form; an error comes back on
    the page beside the task's form."""
    task = get_task_or_404(request.user, number)
    form = ProgressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        month = _month_of(data["month"])
        try:
            write(
                actor=request.user,
                task=task,
                month=month,
                progress=data["progress"],
                text=data["text"],
                problems=data["problems"],
                next_steps=data["next_steps"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已{verb}任务 {task.number} {month:%Y年%m月}进展")
            return redirect(f"{reverse('plans:progress')}?month={month:%Y-%m}")
    shown = MonthForm(request.POST)
    month = (
        _month_of(shown.cleaned_data["month"])
        if shown.is_valid() and shown.cleaned_data["month"]
        else _month(request)
    )
    return _progress(request, month, form, failed=number, status=400)


# --- meetings ----------------------------------------------------------------------------------


@VIEW
@require_GET
def meeting_list(request: StaffRequest) -> HttpResponse:
    rows = selectors.meeting_list(user=request.user)[:200]
    context = {"meetings": rows, "can_record": can(request.user, Action.PLANS_MANAGE)}
    return render(request, "plans/meetings.html", context)


@VIEW
@require_GET
def meeting_detail(request: StaffRequest, number: str) -> HttpResponse:
    meeting = or_404(selectors.meeting_get, user=request.user, number=number)
    decisions = selectors.meeting_decisions(user=request.user, meeting=meeting)
    return render(request, "plans/meeting.html", {"meeting": meeting, "decisions": decisions})


def _decisions(form: MeetingForm) -> list[meetings.Decision]:
    data = form.cleaned_data
    return [
        meetings.Decision(data[f"d{n}_title"], data[f"d{n}_unit"], data[f"d{n}_due"])
        for n in range(DECISION_ROWS)
        if data.get(f"d{n}_title") or data.get(f"d{n}_unit") or data.get(f"d{n}_due")
    ]


def _form_field(form: MeetingForm, field: str | None, rows: list[int]) -> str | None:
    """The form's field for a service error's (``decisions.1.due_on`` is row 1's ``dN_due``)."""
    if field and field.startswith("decisions."):
        _, index, name = field.split(".")
        suffix = {"title": "title", "unit": "unit", "due_on": "due"}.get(name, "title")
        return f"d{rows[int(index)]}_{suffix}"
    return field if field in form.fields else None


@requires(Action.PLANS_MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_new(request: StaffRequest) -> HttpResponse:
    if request.method == "GET":
        form = MeetingForm(actor=request.user, initial={"held_on": timezone.localdate()})
        return render(request, "plans/meeting_new.html", {"form": form})
    form = MeetingForm(request.POST, actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        rows = [
            n
            for n in range(DECISION_ROWS)
            if data.get(f"d{n}_title") or data.get(f"d{n}_unit") or data.get(f"d{n}_due")
        ]
        try:
            meeting = meetings.meeting_record(
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                attendees=data["attendees"],
                minutes=data["minutes"],
                place=data["place"],
                chair=data["chair"],
                decisions=_decisions(form),
            )
        except DomainError as exc:
            form.add_error(_form_field(form, exc.field, rows), exc.message)
        else:
            messages.success(request, f"已记录会议 {meeting.number}，决定事项已交办")
            return redirect("plans:meeting", number=meeting.number)
    return render(request, "plans/meeting_new.html", {"form": form}, status=400)
