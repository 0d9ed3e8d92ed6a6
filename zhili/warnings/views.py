"""Pages of early warnings (预警): the list with its tabs and filters, the detail with its
evidence, history and actions, and the rules' settings.

Every read goes through `zhili.warnings.selectors`, every write through
`zhili.warnings.services`; an action is an HTMX request answered with the detail's body.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.core.dossier import timeline
from zhili.core.dossier import views as dossier_views
from zhili.core.dossier.views import DossierPages
from zhili.core.errors import DomainError
from zhili.core.pages import or_404
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.selecting import filters_from
from zhili.core.tabs import state_tabs
from zhili.core.types import Actor
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.warnings import notices, selectors, services, workflow
from zhili.warnings.forms import (
    ACTION_FORMS,
    RuleForm,
    WarningFilterForm,
    rule_initial,
    rule_thresholds,
)
from zhili.warnings.models import UNANSWERED_STATES, Level, Warning, WarningState
from zhili.warnings.rules import rota_gap_day

PAGE_SIZE = 20
TABS = [
    (WarningState.ISSUED.value, "待签收"),
    (WarningState.SIGNED.value, "处置中"),
    (WarningState.ANSWERED.value, "已答复待审核"),
    (WarningState.CLOSED.value, "已关闭"),
    ("all", "全部"),
]
TAB_KEYS = {key for key, _label in TABS}


def get_warning_or_404(user: Actor, number: str) -> Warning:
    return or_404(selectors.warning_get, user=user, number=number)


def _marked_late(warnings: list[Warning]) -> list[Warning]:
    now = timezone.now()
    for w in warnings:
        w.sign_late = w.state == WarningState.ISSUED and w.sign_due_at < now  # type: ignore[attr-defined]
        w.answer_late = (  # type: ignore[attr-defined]
            w.state in UNANSWERED_STATES and w.answer_due_at < now
        )
    return warnings


def _levels(user: Actor) -> list[tuple[str, str, int]]:
    counts = selectors.open_by_level(user=user)
    return [(level, label, counts[level]) for level, label in Level.choices]


@requires(Action.WARNINGS_VIEW)
@require_GET
def warning_list(request: StaffRequest) -> HttpResponse:
    form = WarningFilterForm(request.GET)
    form.is_valid()  # invalid values are dropped from cleaned_data
    filters = filters_from(selectors.WarningFilters, form.cleaned_data)
    qs = selectors.warning_list(user=request.user, filters=filters)
    current = request.GET.get("state", "")
    current = current if current in TAB_KEYS else WarningState.ISSUED.value
    tabs = state_tabs(request, "warnings:list", TABS, selectors.state_counts(qs))
    if current != "all":
        qs = qs.filter(state=current)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": form,
        "tabs": tabs,
        "current": current,
        "page": page,
        "warnings": _marked_late(list(page.object_list)),
        "unread": selectors.unread_among(user=request.user, warnings=list(page.object_list)),
        "levels": _levels(request.user),
        "can_rules": can(request.user, Action.WARNING_RULES_MANAGE),
    }
    template = "warnings/_list.html" if request.htmx else "warnings/list.html"
    return render(request, template, context)


def detail_context(user: Actor, warning: Warning, **extra: object) -> dict[str, object]:
    return {
        "warning": _marked_late([warning])[0],
        "sources": selectors.warning_sources(warning),
        # A rota gap rests on the rota, not on records: the link to its month's rota.
        "rota_month": f"{gap:%Y-%m}" if (gap := rota_gap_day(warning.subject)) else "",
        "history": timeline(workflow.KIND, warning),
        "actions": services.actions_for(user, warning),
        **extra,
    }


PAGES: DossierPages[Warning] = DossierPages(
    kind=workflow.KIND,
    get=get_warning_or_404,
    context=detail_context,
    app="warnings",
    action_forms=ACTION_FORMS,
    perform=services.warning_act,
)
_detail, warning_action = dossier_views.page_views(PAGES, requires(Action.WARNINGS_VIEW))


@requires(Action.WARNINGS_VIEW)
@require_GET
def warning_detail(request: StaffRequest, number: str) -> HttpResponse:
    """The warning's page; opening it reads the user's notice of it (阅知)."""
    warning = get_warning_or_404(request.user, number)
    notices.notices_read(actor=request.user, warning=warning)
    return dossier_views.detail_response(request, PAGES, warning)


# --- the rules --------------------------------------------------------------------------------


@requires(Action.WARNING_RULES_MANAGE)
@require_GET
def rule_list(request: StaffRequest) -> HttpResponse:
    rules = list(selectors.rule_list())
    for rule in rules:
        rule.shown = rule_thresholds(rule)  # type: ignore[attr-defined]
    return render(request, "warnings/rules.html", {"rules": rules})


def _form_field(field: str | None) -> str | None:
    """The form's field for a service error's field (``params.days`` is ``param_days``)."""
    if field and field.startswith("params."):
        return f"param_{field.removeprefix('params.')}"
    return field or None


@requires(Action.WARNING_RULES_MANAGE)
@require_http_methods(["GET", "POST"])
def rule_edit(request: StaffRequest, code: str) -> HttpResponse:
    rule = or_404(selectors.rule_get, code=code)
    if request.method == "GET":
        form = RuleForm(initial=rule_initial(rule), rule=rule)
        return render(request, "warnings/rule_edit.html", {"rule": rule, "form": form})
    form = RuleForm(request.POST, rule=rule)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rule_update(
                actor=request.user,
                rule=rule,
                level=data["level"],
                enabled=data["enabled"],
                params=form.params(),
                sign_hours=data["sign_hours"],
                answer_hours=data["answer_hours"],
            )
        except DomainError as exc:
            form.add_error(_form_field(exc.field), exc.message)
        else:
            messages.success(request, f"已保存预警规则“{rule.name}”")
            return redirect("warnings:rules")
    context = {"rule": rule, "form": form}
    return render(request, "warnings/rule_edit.html", context, status=400)


@requires(Action.WARNING_RULES_MANAGE)
@require_POST
def scan_now(request: StaffRequest) -> HttpResponse:
    """Run the rules now (the scheduler runs them every few minutes anyway)."""
    result = services.warnings_scan()
    messages.success(
        request,
        f"已按 {result.rules} 条规则扫描：新发布预警 {result.issued} 条，补充依据 {result.extended} 条",
    )
    return redirect("warnings:list")
