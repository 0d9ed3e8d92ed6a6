"""The case list: filters and keyset pages over every case the user may see, or one of their
queues."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhili.cases import selectors
from zhili.cases.forms import CaseFilterForm
from zhili.cases.views.common import PAGE_SIZE, _filter_options, add_domain_error
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


@requires(Action.CASES_VIEW)
@require_GET
def case_list(request: StaffRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET)
    filters = form.filters(request.user)
    qs = selectors.queue_cases(user=request.user, queue=form.chosen_queue())
    try:
        page = selectors.keyset_page(
            selectors.filter_cases(qs, filters, user=request.user),
            cursor=request.GET.get("cursor") or None,
            size=PAGE_SIZE,
        )
    except InvalidInput as exc:
        add_domain_error(form, exc)
        page = selectors.Page([], None)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "first_page": not request.GET.get("cursor"),
        "queues": selectors.user_queues(request.user),
        **_filter_options(request.user),
    }
    template = "cases/_list_table.html" if request.htmx else "cases/list.html"
    return render(request, template, context)
