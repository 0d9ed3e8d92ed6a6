"""Pages of the 舆情 register: the list with its filters and the form to register an item,
and an item's page (the kernel's detail and its respond action)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from zhili.core.dossier import timeline
from zhili.core.dossier import views as dossier_views
from zhili.core.dossier.views import DossierPages
from zhili.core.errors import DomainError
from zhili.core.pages import or_404
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.selecting import filters_from
from zhili.core.types import Actor
from zhili.opinions import selectors, services, workflow
from zhili.opinions.forms import ACTION_FORMS, OpinionFilterForm, OpinionForm
from zhili.opinions.models import Opinion
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Kind, Level, Organization
from zhili.orgs.views import requires

PAGE_SIZE = 20


def _places(user: Actor) -> list[tuple[str, str]]:
    townships = Organization.objects.filter(level=Level.TOWNSHIP, kind=Kind.CENTER)
    seen = townships.filter(scope_for(user).q("path")).order_by("code")
    return [("", "全县（不限乡镇）"), *((o.code, o.name) for o in seen)]


@requires(Action.OPINIONS_VIEW)
@require_http_methods(["GET", "POST"])
def opinion_list(request: StaffRequest) -> HttpResponse:
    keeper = can(request.user, Action.OPINIONS_KEEP)
    form = OpinionForm(request.POST if request.method == "POST" else None)
    form.fields["place"].choices = _places(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and keeper and form.is_valid():
        try:
            made = services.opinion_register(
                actor=request.user, data=services.OpinionInput(**form.cleaned_data)
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已登记舆情 {made.number}")
            return redirect("opinions:detail", number=made.number)
    filters = OpinionFilterForm(request.GET)
    filters.is_valid()
    rows = selectors.opinion_list(
        user=request.user, filters=filters_from(selectors.OpinionFilters, filters.cleaned_data)
    )
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "form": form if keeper else None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "opinions/list.html", context, status=status)


def get_opinion_or_404(user: Actor, number: str) -> Opinion:
    return or_404(selectors.opinion_get, user=user, number=number)


def detail_context(user: Actor, opinion: Opinion, **extra: object) -> dict[str, object]:
    return {
        "opinion": opinion,
        "history": timeline(workflow.KIND, opinion),
        "actions": services.actions_for(user, opinion),
        **extra,
    }


PAGES: DossierPages[Opinion] = DossierPages(
    kind=workflow.KIND,
    get=get_opinion_or_404,
    context=detail_context,
    app="opinions",
    action_forms=ACTION_FORMS,
    perform=services.opinion_act,
)
opinion_detail, opinion_action = dossier_views.page_views(PAGES, requires(Action.OPINIONS_VIEW))
