"""The case's print pages: the 工单处理单 and the 受理回执 (content in zhili.cases.documents).
Scoped like the detail page (not yours: 404); every print is audited by the service."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhili.cases import documents, selectors
from zhili.cases.panels import CASE_PANELS
from zhili.cases.views.common import get_case_or_404
from zhili.cases.views.detail import timeline
from zhili.core.errors import DomainError
from zhili.core.qr import qr_svg
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import forbidden, requires

FULL = "full"  # ?phone=full: the 工单处理单 with the caller's full number (reveal rule)


@requires(Action.CASES_VIEW)
@require_GET
def case_form(request: StaffRequest, case_no: str) -> HttpResponse:
    user = request.user
    case = get_case_or_404(user, case_no)
    full = request.GET.get("phone") == FULL
    try:
        caller = documents.case_form_print(actor=user, case=case, full_phone=full)
    except DomainError as exc:  # a full number without the reveal permission
        return forbidden(request, exc.message)
    context = {
        "case": case,
        "caller": caller,
        "center": documents.county_center(case),
        "timeline": timeline(case),
        "assists": list(selectors.case_assists(case)),
        **CASE_PANELS.context(user, case),
        "can_reveal": bool(case.reporter_phone) and can(user, Action.PERSONAL_DATA_REVEAL),
        "printed_at": timezone.now(),
        "back_url": reverse("cases:detail", args=[case.case_no]),
    }
    return render(request, "cases/print_form.html", context)


@requires(Action.CASES_VIEW)
@require_GET
def case_receipt(request: StaffRequest, case_no: str) -> HttpResponse:
    case = get_case_or_404(request.user, case_no)
    base = request.build_absolute_uri("/")
    receipt = documents.case_receipt_print(actor=request.user, case=case, base=base)
    context = {
        "case": case,
        "receipt": receipt,
        "center": documents.county_center(case),
        "qr": qr_svg(receipt.progress_url, title="办理进度查询"),
        "printed_at": timezone.now(),
        "back_url": reverse("cases:detail", args=[case.case_no]),
    }
    return render(request, "cases/print_receipt.html", context)
