"""Unit figures (办理质效): per handling unit and period, the rates the assessment builds on."""

from datetime import date
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhili.cases.figures import UnitFigures, unit_figures
from zhili.core.dates import DayField
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

CHART_UNITS = 15


class PeriodForm(forms.Form):
    start = DayField(label="开始日期", required=False)
    end = DayField(label="结束日期", required=False)

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("start") or today.replace(day=1), data.get("end") or today


def _totals(rows: list[UnitFigures]) -> UnitFigures:
    def total(field: str) -> int:
        return sum(getattr(row, field) for row in rows)

    fields = [
        "handled",
        "received",
        "acknowledged_on_time",
        "closed_on_time",
        "returned",
        "extended",
        "overdue",
        "rated",
        "satisfied",
        "sent_back",
        "return_requested",
        "return_approved",
        "return_refused",
        "assisted",
        "assisted_on_time",
        "assisted_late",
    ]
    return UnitFigures(unit_code="", unit_name="合计", **{f: total(f) for f in fields})


def _chart(rows: list[UnitFigures]) -> dict[str, Any]:
    # Units that only assisted have no rates of their own to chart.
    leading = [r for r in rows if r.received]
    busiest = sorted(leading, key=lambda r: r.received, reverse=True)[:CHART_UNITS]

    def percent(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 1)

    return {
        "units": [r.unit_name for r in busiest],
        "closed_on_time": [percent(r.closed_on_time_rate) for r in busiest],
        "satisfaction": [percent(r.satisfaction_rate) for r in busiest],
    }


@requires(Action.CASES_VIEW)
@require_GET
def figures_page(request: StaffRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    try:
        rows = unit_figures(user=request.user, start=start, end=end)
    except InvalidInput as exc:
        form.add_error("end" if exc.field == "end" else None, exc.message)
        rows = []
    rows.sort(key=lambda r: (-r.received, r.unit_code))
    context = {
        "form": form,
        "start": start,
        "end": end,
        "rows": rows,
        "totals": _totals(rows) if rows else None,
        "chart": _chart(rows),
    }
    status = 422 if form.errors else 200
    return render(request, "cases/figures.html", context, status=status)
