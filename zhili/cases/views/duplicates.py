"""A likely duplicate's two buttons, on the workbench row and on the detail page: merge the case
into the earlier one, or say it is not a duplicate."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_POST

from zhili.cases import duplicates, services
from zhili.cases.views.common import get_case_or_404
from zhili.cases.views.detail import fragment
from zhili.core.errors import DomainError, NotFound
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

DECISIONS = {"merge", "dismiss"}


@requires(Action.CASES_DISPATCH)
@require_POST
def decide(request: StaffRequest, pk: int, decision: str) -> HttpResponse:
    """Answer with the fragment that changed: the workbench row or the detail's body."""
    if decision not in DECISIONS:
        raise Http404("未知操作")
    user = request.user
    ctx = "workbench" if request.POST.get("ctx") == "workbench" else "detail"
    try:
        flag = duplicates.flag_get(user=user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        if decision == "merge":
            services.duplicate_merge(actor=user, flag=flag)
            done = f"已合并至 {flag.candidate.case_no}"
        else:
            services.duplicate_dismiss(actor=user, flag=flag)
            done = f"已确认与 {flag.candidate.case_no} 不重复"
    except DomainError as exc:
        case = get_case_or_404(user, flag.case.case_no)
        return fragment(request, ctx, case, done=f"未能处理：{exc.message}", status=exc.status)
    case = get_case_or_404(user, flag.case.case_no)
    response = fragment(request, ctx, case, done=done)
    response["HX-Trigger"] = "zhili:counts"
    return response
