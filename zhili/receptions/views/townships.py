"""The supervision of township leaders' receptions (乡镇领导接访督导): per township, what
its leaders did in a period; sortable, and exported as XLSX for the monthly circular."""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.xlsx import XLSX
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.receptions import selectors
from zhili.receptions.exports import townships_xlsx
from zhili.receptions.forms import PeriodForm
from zhili.receptions.panels import SUPERVISION_PANELS
from zhili.receptions.selectors import TownshipRow

# The columns a user may sort by, as the table heads them.
COLUMNS = [
    ("township", "乡镇（街道）"),
    ("rota_days", "接访日"),
    ("receptions", "接访批次"),
    ("people", "接待人次"),
    ("not_received", "预约未接待"),
    ("idle_days", "无接访日"),
    ("overdue", "超期包案"),
]


def _headers(base: str, sort: str, descending: bool) -> list[dict[str, object]]:
    """The sortable heads: a click sorts by the column, a second one reverses the order."""
    return [
        {
            "key": key,
            "label": label,
            "active": key == sort,
            "desc": descending,
            "url": f"?{base}&sort={key}{'' if key == sort and descending else '&desc=1'}",
        }
        for key, label in COLUMNS
    ]


def _xlsx(rows: list[TownshipRow], start: date, end: date) -> HttpResponse:
    response = HttpResponse(townships_xlsx(rows, start, end), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="township-receptions-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    return response


@requires(Action.PETITIONS_VIEW)
@require_GET
def townships(request: StaffRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    start, end = selectors.period(data.get("start"), data.get("end"))
    sort, descending = selectors.sort_key(data.get("sort")), bool(data.get("desc"))
    rows = selectors.township_summary(
        user=request.user, start=start, end=end, sort=sort, descending=descending
    )
    if request.GET.get("format") == "xlsx":
        return _xlsx(rows, start, end)
    base = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    context = {
        "form": form,
        "start": start,
        "end": end,
        "rows": rows,
        "totals": selectors.totals(rows),
        "headers": _headers(base, sort, descending),
        "xlsx_url": f"?{base}&sort={sort}{'&desc=1' if descending else ''}&format=xlsx",
        "can_rota": can(request.user, Action.PETITIONS_VIEW),
        "can_watch_rooms": can(request.user, Action.ROOMS_SUPERVISE),
        "month": f"{start:%Y-%m}",
        # What higher apps add (zhili/rooms: the reception rooms in session today).
        "panels": SUPERVISION_PANELS.context(request.user, timezone.localdate()),
    }
    template = "receptions/_townships.html" if request.htmx else "receptions/townships.html"
    return render(request, template, context)
