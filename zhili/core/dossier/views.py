"""The pages' side of a dossier: its detail response and the action view, written once.

An app describes its dossier's pages in a `DossierPages` and routes
``<number>/actions/<action>/`` to `action_view`: GET opens the action's small form in place
(after the same checks the service makes), POST takes the action and answers with the
dossier's body (HTMX) or a redirect to the dossier. A refused action keeps the user's input
on the form with the service's message.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from zhili.core.dossier import codes
from zhili.core.dossier.kinds import DossierKind
from zhili.core.dossier.transitions import check_action
from zhili.core.errors import DomainError
from zhili.core.types import Actor, PageRequest

R = TypeVar("R", bound=models.Model)
View = Callable[..., HttpResponse]


def _plain_form(form_class: type[forms.Form], record: object, data: QueryDict | None) -> forms.Form:
    return form_class(data)


def _cleaned(form: forms.Form) -> dict[str, object]:
    return form.cleaned_data


@dataclass(frozen=True)
class DossierPages(Generic[R]):
    """How an app shows one kind of dossier.

    - `get(actor, number)`: the record, or Http404 when it is out of the actor's sight;
    - `context(actor, record)`: the detail page's context;
    - `app`: the app whose templates ``<app>/detail.html`` (the whole page) and
      ``<app>/_detail_body.html`` (its body, that HTMX swaps) show it, and whose URL
      ``<app>:detail`` (which takes ``number``) is its page;
    - `action_forms`: action -> the form of its input;
    - `perform(actor, record, action, data)`: the service call (the app's `*_act` table);
    - `make_form(form_class, record, data)`: the form bound to `data` (None: unbound, for
      GET), when the form needs the record;
    - `form_data(form)`: the service's input from a valid form.
    """

    kind: DossierKind[R]
    get: Callable[[Actor, str], R]
    context: Callable[[Actor, R], Mapping[str, object]]
    app: str
    action_forms: Mapping[str, type[forms.Form]]
    perform: Callable[[Actor, R, str, dict[str, object]], object]
    make_form: Callable[[type[forms.Form], R, QueryDict | None], forms.Form] = _plain_form
    form_data: Callable[[forms.Form], Mapping[str, object]] = _cleaned
    extra_context: Mapping[str, object] = field(default_factory=dict)


def page_views(pages: DossierPages[R], permission: Callable[[View], View]) -> tuple[View, View]:
    """The dossier's detail view and its action view (`action_view`), each behind
    `permission` (the app's ``requires(Action.…)``): ``<number>/`` and
    ``<number>/act/<action>/`` in the app's URLs."""

    @permission
    @require_GET
    def detail(request: PageRequest, number: str) -> HttpResponse:
        return detail_response(request, pages, pages.get(request.user, number))

    @permission
    @require_http_methods(["GET", "POST"])
    def act(request: PageRequest, number: str, action: str) -> HttpResponse:
        """GET: the action's small form, opened in place. POST: take the action and answer
        with the dossier's body (or, without HTMX, a redirect to the dossier)."""
        return action_view(request, pages, number, action)

    return detail, act


def detail_response(
    request: PageRequest,
    pages: DossierPages[R],
    record: R,
    *,
    status: int = 200,
    open_action: str = "",
    **extra: object,
) -> HttpResponse:
    """The dossier's page, or its body alone for HTMX; `open_action` (the action whose form
    is open) and `extra` (the form, a message) add to the context."""
    if open_action:
        extra["open_action"] = open_action
        extra["action_label"] = pages.kind.table.transitions[open_action].label
    context = {**pages.context(request.user, record), **extra}
    template = f"{pages.app}/_detail_body.html" if request.htmx else f"{pages.app}/detail.html"
    return render(request, template, context, status=status)


def action_view(
    request: PageRequest, pages: DossierPages[R], number: str, action: str
) -> HttpResponse:
    record = pages.get(request.user, number)
    form_class = pages.action_forms.get(action)
    if form_class is None:
        raise Http404("未知操作")
    if request.method == "GET":
        return _open_form(request, pages, record, action, form_class)
    form = pages.make_form(form_class, record, request.POST)
    form.files = request.FILES  # an action may take files (a rectification's evidence)
    if not form.is_valid():
        return detail_response(request, pages, record, open_action=action, form=form, status=400)
    try:
        pages.perform(request.user, record, action, dict(pages.form_data(form)))
    except DomainError as exc:
        return _refused(request, pages, number, action, form, exc)
    done = f"已{pages.kind.table.transitions[action].label}"
    if not request.htmx:
        messages.success(request, f"{pages.kind.noun} {number} {done}")
        return redirect(f"{pages.app}:detail", number=number)
    return detail_response(request, pages, pages.get(request.user, number), done=done)


def _open_form(
    request: PageRequest,
    pages: DossierPages[R],
    record: R,
    action: str,
    form_class: type[forms.Form],
) -> HttpResponse:
    """GET: the action's form opened in place, after the service's own checks (cancel: the
    dossier again)."""
    if request.GET.get("cancel"):
        return detail_response(request, pages, record)
    try:
        check_action(pages.kind, request.user, record, action, guard=False)
    except DomainError as exc:
        return detail_response(request, pages, record, error=exc.message, status=exc.status)
    form = pages.make_form(form_class, record, None)
    return detail_response(request, pages, record, open_action=action, form=form)


def _refused(
    request: PageRequest,
    pages: DossierPages[R],
    number: str,
    action: str,
    form: forms.Form,
    exc: DomainError,
) -> HttpResponse:
    """The service refused: the form again, with the user's input and the service's message."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    fresh = pages.get(request.user, number)
    # The record was found: a "not found" now is about the input (a unit code), a 422.
    status = 422 if exc.status == 404 else exc.status
    return detail_response(request, pages, fresh, open_action=action, form=form, status=status)


@login_required
@require_GET
def dossier_code(request: PageRequest, code: str) -> HttpResponse:
    """一案一码: the address a dossier's QR holds opens the dossier's page, for whoever may
    see it; anyone else gets the 404 a code that does not exist gets."""
    found = codes.find(request.user, code)
    if found is None:
        raise Http404("档案不存在")
    return redirect(found.page)
