"""The case list: filters and keyset pages over every case the user may see (or one of their
queues), and the list's total, asked for by the page once it is shown."""

import hashlib

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhili.cases import selectors
from zhili.cases.forms import CaseFilterForm
from zhili.cases.views.common import PAGE_SIZE, add_domain_error, filter_options
from zhili.core import counting
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
        **filter_options(request.user),
    }
    template = "cases/_list_table.html" if request.htmx else "cases/list.html"
    return render(request, template, context)


@requires(Action.CASES_VIEW)
@require_GET
def case_total(request: StaffRequest) -> HttpResponse:
    """How many cases the list holds with these filters: exact up to 10,000, else an
    estimate (zhili.core.counting); the same for a minute, whatever the page."""
    form = CaseFilterForm(request.GET)
    filters, queue = form.filters(), form.chosen_queue()
    query = request.GET.copy()
    query.pop("cursor", None)
    digest = hashlib.sha256(query.urlencode().encode()).hexdigest()[:32]
    key = f"cases.total:{request.user.pk}:{digest}"
    try:
        total = counting.remembered(
            key, lambda: selectors.case_total(user=request.user, filters=filters, queue=queue)
        )
    except InvalidInput:
        total = None
    return render(request, "cases/_list_total.html", {"total": total})
