"""The records behind an automatic item that no app's list shows as counted
(`zhili.assessment.records`): one ranked unit's, of one period, all judged or those that met
the mark or not (`show`), for whoever sees the unit's scores."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhili.assessment import selectors
from zhili.assessment.records import RECORDS, SHOWS
from zhili.core.errors import InvalidInput
from zhili.core.pages import or_404
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def records(request: StaffRequest, year: int, period: str, metric: str) -> HttpResponse:
    spec = RECORDS.get(metric)
    if spec is None:
        raise Http404("没有该考核项的记录清单")
    try:
        p, unit = or_404(
            selectors.ranked_unit_of,
            user=request.user,
            year=year,
            period=period,
            unit=request.GET.get("unit", ""),
        )
    except InvalidInput as exc:
        raise Http404(exc.message) from exc
    show = request.GET.get("show", "")
    show = show if show in SHOWS else ""
    rows = list(spec.rows(p, unit, timezone.now(), request.user))
    met = sum(r.met for r in rows)
    shown = [r for r in rows if not show or r.met == (show == "met")]
    context = {
        "spec": spec,
        "metric": metric,
        "period": p,
        "year": year,
        "unit": unit,
        "show": show,
        "rows": shown,
        "judged": len(rows),
        "met": met,
        "missed": len(rows) - met,
    }
    return render(request, "assessment/records.html", context)
