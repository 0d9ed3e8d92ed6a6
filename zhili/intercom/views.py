"""The desk page 对讲: the user's talk groups and the push-to-talk panel (the panel's script,
intercom/ptt.js, does the rest through /api/v1/intercom/ and the gateway)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhili.core.roles import Action
from zhili.intercom.panel import panel_context
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


@requires(Action.FORCES_VIEW)
@require_GET
def desk(request: StaffRequest) -> HttpResponse:
    """?subject= (an incident's number, from its page) puts that subject's group first."""
    subject = request.GET.get("subject", "")[:64]
    return render(request, "intercom/desk.html", panel_context(request.user, subject))
