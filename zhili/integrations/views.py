"""The integration pages (系统管理): API keys (create, see once, revoke); push sources (secrets
masked, rotated and shown once) with the reply call-backs; the category mapping (HTMX)."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.cases.models import Channel
from zhili.core.errors import DomainError
from zhili.core.pages import or_404
from zhili.core.roles import Action
from zhili.integrations import selectors, services
from zhili.integrations.models import CategoryMapping, PushChannel
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
    key = or_404(selectors.apikey_get, user=request.user, pk=pk)
    form = KeyForm()
    try:
        services.apikey_revoke(actor=request.user, key=key)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _page(request, form, status=exc.status)
    return _page(request, form)


# --- pushes (系统管理 › 推送对接, 分类映射) ----------------------------------------------------

CALLBACKS_SHOWN = 100


def _push_page(request: StaffRequest, *, rotated: str = "", error: str = "", status: int = 200):
    context = {
        "sources": selectors.pushsource_list(user=request.user),
        "callbacks": selectors.callback_list(user=request.user)[:CALLBACKS_SHOWN],
        "rotated": rotated,
        "error": error,
    }
    return render(request, "integrations/push.html", context, status=status)


@requires(Action.INTEGRATIONS_MANAGE)
@require_GET
def push_sources(request: StaffRequest) -> HttpResponse:
    return _push_page(request)


@requires(Action.INTEGRATIONS_MANAGE)
@require_POST
def push_rotate(request: StaffRequest, pk: int) -> HttpResponse:
    source = or_404(selectors.pushsource_get, user=request.user, pk=pk)
    _source, secret = services.pushsource_rotate(actor=request.user, source=source)
    # Shown once, on this response only.
    return _push_page(request, rotated=secret)


@requires(Action.INTEGRATIONS_MANAGE)
@require_POST
def callback_resend(request: StaffRequest, pk: int) -> HttpResponse:
    callback = or_404(selectors.callback_get, user=request.user, pk=pk)
    try:
        services.callback_resend(actor=request.user, callback=callback)
    except DomainError as exc:
        return _push_page(request, error=exc.message, status=exc.status)
    return _push_page(request)


class MappingForm(forms.Form):
    category = forms.ModelChoiceField(
        label="本平台分类", queryset=selectors.mapping_targets(), required=False
    )


def _mapping_row(
    request: StaffRequest, mapping: CategoryMapping, *, error: str = "", status: int = 200
) -> HttpResponse:
    context = {"mapping": mapping, "targets": selectors.mapping_targets(), "error": error}
    return render(request, "integrations/_mapping_row.html", context, status=status)


@requires(Action.INTEGRATIONS_MANAGE)
@require_GET
def mappings(request: StaffRequest) -> HttpResponse:
    channel = request.GET.get("channel", "")
    if channel not in PushChannel.values:
        channel = ""
    rows = list(selectors.mapping_list(user=request.user, channel=channel))
    context = {
        "mappings": rows,
        "unmapped": sum(1 for m in rows if m.category_id is None),
        "targets": selectors.mapping_targets(),
        "channels": PushChannel.choices,
        "channel": channel,
    }
    return render(request, "integrations/mappings.html", context)


@requires(Action.INTEGRATIONS_MANAGE)
@require_POST
def mapping_edit(request: StaffRequest, pk: int) -> HttpResponse:
    mapping = or_404(selectors.mapping_get, user=request.user, pk=pk)
    form = MappingForm(request.POST)
    if not form.is_valid():
        return _mapping_row(request, mapping, error="请选择有效的分类", status=422)
    try:
        mapping = services.mapping_set(
            actor=request.user, mapping=mapping, category=form.cleaned_data["category"]
        )
    except DomainError as exc:
        return _mapping_row(request, mapping, error=exc.message, status=exc.status)
    return _mapping_row(request, mapping)
