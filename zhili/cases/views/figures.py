"""Unit figures (办理质效): per handling unit and period, the rates the assessment builds on;
the same table as an XLSX workbook."""

from datetime import date, timedelta

from django import forms
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhili.cases.figures import UnitFigures, unit_figures
from zhili.cases.figures_export import RULE, figures_filename, figures_workbook
from zhili.core.dates import DayField
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.core.xlsx import XLSX
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

CHART_UNITS = 15


def month_bounds(day: date) -> tuple[date, date]:
    """The first and the last day of `day`'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def quick_periods(today: date) -> list[tuple[str, date, date]]:
    """The periods offered beside the dates: 本月 (the default), 上月, 本年."""
    this_month = month_bounds(today)
    last_month = month_bounds(this_month[0] - timedelta(days=1))
    return [
        ("本月", *this_month),
        ("上月", *last_month),
        ("本年", today.replace(month=1, day=1), today.replace(month=12, day=31)),
    ]


class PeriodForm(forms.Form):
    start = DayField(label="开始日期", required=False)
    end = DayField(label="结束日期", required=False)

    def period(self) -> tuple[date, date]:
        """The dates asked for; a missing one is taken from the current month (the whole
        month, its first to its last day)."""
        first, last = month_bounds(timezone.localdate())
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("start") or first, data.get("end") or last


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
        "acknowledge_judged",
        "close_judged",
    ]
    return UnitFigures(unit_code="", unit_name="合计", **{f: total(f) for f in fields})


def _chart(rows: list[UnitFigures]) -> dict[str, list[str] | list[float | None]]:
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


def _figures(request: StaffRequest) -> tuple[PeriodForm, date, date, list[UnitFigures]]:
    """The period asked for and its rows, busiest unit first; a bad period is an error on
    the form and no rows."""
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    try:
        rows = unit_figures(user=request.user, start=start, end=end)
    except InvalidInput as exc:
        form.add_error("end" if exc.field == "end" else None, exc.message)
        rows = []
    rows.sort(key=lambda r: (-r.received, r.unit_code))
    return form, start, end, rows


@requires(Action.CASES_VIEW)
@require_GET
def figures_page(request: StaffRequest) -> HttpResponse:
    form, start, end, rows = _figures(request)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "rows": rows,
        "totals": _totals(rows) if rows else None,
        "chart": _chart(rows),
        "rule": RULE,
        "query": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
        "periods": [
            {"label": label, "start": first, "end": last, "current": (first, last) == (start, end)}
            for label, first, last in quick_periods(timezone.localdate())
        ],
    }
    status = 422 if form.errors else 200
    return render(request, "cases/figures.html", context, status=status)


@requires(Action.CASES_VIEW)
@require_GET
def figures_export(request: StaffRequest) -> HttpResponseBase:
    """The table of the page, for the same period, as an XLSX (导出Excel)."""
    form, start, end, rows = _figures(request)
    if form.errors:
        context = {"form": form, "start": start, "end": end, "rows": [], "rule": RULE}
        return render(request, "cases/figures.html", context, status=422)
    content = figures_workbook(rows, _totals(rows) if rows else None, start, end)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = figures_filename(start, end)
    return response
