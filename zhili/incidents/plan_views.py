"""The plans' pages (预案管理): the list by category and level, a plan's page (its steps, its
revisions, the open incidents opened on it), and the editor that creates or changes one
with its steps. Every desk reads them; the county center's command desk writes them
(`plans.may_manage_plans`); the writes are `zhili.incidents.plans`'s."""

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.cases.models import Category
from zhili.core.errors import DomainError
from zhili.core.pages import forbidden, or_404
from zhili.core.roles import Action
from zhili.incidents import plans, selectors
from zhili.incidents.forms import PlanForm, StepForm, StepFormSet
from zhili.incidents.models import Level, Plan
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

ACTIVE_FILTERS = {"": None, "active": True, "disabled": False}
Steps = BaseFormSet[StepForm]


@requires(Action.FORCES_VIEW)
@require_GET
def plan_list(request: StaffRequest) -> HttpResponse:
    category = request.GET.get("category", "")[:40]
    shown_level = request.GET.get("level", "")
    # "any": the plans for any level (their `level` is empty); "" or unknown: every plan.
    level = "" if shown_level == "any" else shown_level if shown_level in Level.values else None
    shown = request.GET.get("active", "")
    active = ACTIVE_FILTERS.get(shown)
    rows = list(
        selectors.plan_rows(user=request.user, category=category, level=level, active=active)
    )
    groups: dict[Category, list[Plan]] = {}
    for plan in rows:
        groups.setdefault(plan.category, []).append(plan)
    context = {
        "groups": groups,
        "count": len(rows),
        "categories": selectors.plan_categories(),
        "category": category,
        "level": shown_level if level is not None else "",
        "levels": [("any", "任意等级"), *Level.choices],
        "active": shown if shown in ACTIVE_FILTERS else "",
        "may_manage": plans.may_manage_plans(request.user),
    }
    return render(request, "incidents/plans.html", context)


@requires(Action.FORCES_VIEW)
@require_GET
def plan_detail(request: StaffRequest, code: str) -> HttpResponse:
    plan = or_404(selectors.plan_get, user=request.user, code=code)
    context = {
        "plan": plan,
        "steps": selectors.plan_steps(plan),
        "revisions": selectors.plan_revisions(plan),
        "in_use": selectors.plan_in_use(plan),
        "may_manage": plans.may_manage_plans(request.user),
    }
    return render(request, "incidents/plan_detail.html", context)


@requires(Action.FORCES_VIEW)
@require_http_methods(["GET", "POST"])
def plan_new(request: StaffRequest) -> HttpResponse:
    if not plans.may_manage_plans(request.user):
        return forbidden(request, "预案由县综治中心指挥席维护")
    form = PlanForm(request.POST or None)
    steps = StepFormSet(request.POST or None, prefix="steps")
    if request.method == "POST":
        plan = _save(request, form, steps, None)
        if plan is not None:
            messages.success(request, f"已新建预案“{plan.name}”")
            return redirect("incidents:plan", code=plan.code)
    return _editor(request, form, steps, None)


@requires(Action.FORCES_VIEW)
@require_http_methods(["GET", "POST"])
def plan_edit(request: StaffRequest, code: str) -> HttpResponse:
    plan = or_404(selectors.plan_get, user=request.user, code=code)
    if not plans.may_manage_plans(request.user):
        return forbidden(request, "预案由县综治中心指挥席维护")
    if request.method == "GET":
        form = PlanForm(initial=_plan_initial(plan), editing=True)
        steps = StepFormSet(initial=_steps_initial(plan), prefix="steps")
        return _editor(request, form, steps, plan)
    form = PlanForm(request.POST, editing=True)
    steps = StepFormSet(request.POST, prefix="steps")
    version = plan.version
    saved = _save(request, form, steps, plan)
    if saved is None:
        return _editor(request, form, steps, plan)
    if saved.version == version:
        messages.info(request, "预案未作修改")
    else:
        messages.success(request, f"已保存预案“{saved.name}”（第 {saved.version} 版）")
    return redirect("incidents:plan", code=saved.code)


@requires(Action.FORCES_VIEW)
@require_POST
def plan_active(request: StaffRequest, code: str) -> HttpResponse:
    """停用 or 启用 (the form's `active`: "1" or "0")."""
    plan = or_404(selectors.plan_get, user=request.user, code=code)
    active = request.POST.get("active") == "1"
    try:
        plans.plan_set_active(
            actor=request.user, plan=plan, active=active, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        if exc.status == 403:
            return forbidden(request, exc.message)
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已{'启用' if active else '停用'}预案“{plan.name}”")
    return redirect("incidents:plan", code=plan.code)


def _plan_initial(plan: Plan) -> dict[str, object]:
    return {"name": plan.name, "category": plan.category, "level": plan.level}


def _steps_initial(plan: Plan) -> list[dict[str, object]]:
    return [
        {
            "team_type": step.team_type,
            "role": step.role,
            "task": step.task,
            "deadline_minutes": step.deadline_minutes,
        }
        for step in selectors.plan_steps(plan)
    ]


def _editor(request: StaffRequest, form: PlanForm, steps: Steps, plan: Plan | None) -> HttpResponse:
    context = {
        "form": form,
        "steps": steps,
        "plan": plan,
        "in_use": selectors.plan_in_use(plan) if plan else 0,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "incidents/plan_form.html", context, status=status)


def _filled(steps: Steps) -> list[tuple[StepForm, plans.StepIn]]:
    """The step rows kept (not ticked 删除, not left blank), each with its step, in order."""
    kept = []
    for row in steps.forms:
        data = row.cleaned_data
        if not data or data.get("DELETE"):
            continue
        step = plans.StepIn(
            team_type=data["team_type"].code,
            role=data["role"],
            task=data["task"],
            deadline_minutes=data["deadline_minutes"],
        )
        kept.append((row, step))
    return kept


def _save(request: StaffRequest, form: PlanForm, steps: Steps, plan: Plan | None) -> Plan | None:
    """The plan the valid forms make or change, or None with every error on its field."""
    valid = form.is_valid() & steps.is_valid()
    rows = _filled(steps) if steps.is_valid() else []
    if steps.is_valid() and not rows:
        form.add_error(None, "预案至少需要一个处置步骤：请至少填写一行")
        return None
    if not valid:
        return None
    data = form.cleaned_data
    fields = {
        "name": data["name"],
        "category": data["category"].code,
        "level": data["level"],
        "steps": [step for _row, step in rows],
        "reason": data["reason"],
    }
    try:
        if plan is None:
            return plans.plan_create(actor=request.user, code=data["code"], **fields)
        return plans.plan_update(actor=request.user, plan=plan, **fields)
    except DomainError as exc:
        _place_error(form, [row for row, _step in rows], exc)
        return None


def _place_error(form: PlanForm, rows: list[StepForm], exc: DomainError) -> None:
    """The service's refusal on the field it names: `steps.<i>.<field>` on that row."""
    field = exc.field or ""
    if field.startswith("steps."):
        _prefix, index, name = [*field.split("."), "", ""][:3]
        if index.isdigit() and int(index) < len(rows):
            row = rows[int(index)]
            row.add_error(name if name in row.fields else None, exc.message)
            return
    form.add_error(field if field in form.fields else None, exc.message)
