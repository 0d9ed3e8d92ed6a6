"""The API keys page (系统管理 › 接口密钥): administrators create keys, see them once, revoke."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from zhili.cases.models import Channel
from zhili.core.errors import DomainError, NotFound
from zhili.core.roles import Action
from zhili.integrations import selectors, services
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


class KeyForm(forms.Form):
    name = forms.CharField(label="对接系统名称", max_length=100)
    channel = forms.ChoiceField(label="渠道", choices=Channel.choices)


def _page(request: StaffRequest, form: KeyForm, *, created: str = "", status: int = 200):
    context = {
        "form": form,
        "keys": selectors.apikey_list(user=request.user),
        "created": created,
    }
    return render(request, "integrations/keys.html", context, status=status)


@requires(Action.INTEGRATIONS_MANAGE)
@require_http_methods(["GET", "POST"])
def keys(request: StaffRequest) -> HttpResponse:
    form = KeyForm(request.POST or None)
    if request.method != "POST":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        _key, raw = services.apikey_create(actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _page(request, form, status=exc.status)
    # Shown once, on this response only: only its digest is kept.
    return _page(request, KeyForm(), created=raw)


@requires(Action.INTEGRATIONS_MANAGE)
@require_POST
def revoke(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        key = selectors.apikey_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = KeyForm()
    try:
        services.apikey_revoke(actor=request.user, key=key)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _page(request, form, status=exc.status)
    return _page(request, form)
