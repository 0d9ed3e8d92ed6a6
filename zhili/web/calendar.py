"""节假日安排: the administrators' pages of the working-day calendar (zhili.core.workcal).

The index lists the years around today with where their calendar comes from. A year's page
shows its months day by day (working day, day off, make-up working day, provisional), and
takes the State Council's notice, pasted as text or as an XLSX sheet of days: a preview
first, then the confirmation, which enters the year (zhili.core.services) and makes the apps
recompute their provisional time limits in the background.
"""

import calendar as month_calendar
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from zhili.core import workcal
from zhili.core.dates import FIRST_DAY, LAST_DAY
from zhili.core.errors import DomainError, InvalidInput
from zhili.core.models import CalendarYear, Holiday
from zhili.core.notice import Arrangement, read_notice, read_sheet
from zhili.core.roles import Action
from zhili.core.services import CalendarDay, calendar_year_enter
from zhili.core.statutory import statutory_days
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires

MAX_UPLOAD = 1024 * 1024


def year_status(year: int) -> dict[str, object]:
    """Where `year`'s calendar comes from, for the pages."""
    if workcal.library_knows(year):
        return {"code": "library", "label": "正式（系统日历库）"}
    row = CalendarYear.objects.filter(year=year).select_related("confirmed_by").first()
    if row is not None:
        return {"code": "official", "label": f"正式（{row.get_source_display()}）", "row": row}
    return {"code": "provisional", "label": "临时日历（周末 + 法定节假日）"}


@dataclass(frozen=True)
class DayCell:
    day: date
    workday: bool
    name: str
    weekend: bool

    @property
    def kind(self) -> str:
        if self.workday:
            return "makeup" if self.weekend else "work"
        return "off" if self.name else "weekend"


def _months(year: int) -> list[dict[str, object]]:
    names = statutory_days(year) | dict(
        Holiday.objects.filter(date__year=year).values_list("date", "name")
    )
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        weeks: list[list[DayCell | None]] = [[None] * first.weekday()]
        for n in range(month_calendar.monthrange(year, month)[1]):
            day = first + timedelta(days=n)
            if len(weeks[-1]) == 7:
                weeks.append([])
            weeks[-1].append(
                DayCell(day, workcal.is_workday(day), names.get(day, ""), day.weekday() >= 5)
            )
        weeks[-1] += [None] * (7 - len(weeks[-1]))
        months.append({"month": month, "weeks": weeks})
    return months


class NoticeForm(forms.Form):
    text = forms.CharField(
        label="国务院通知正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "一、元旦：1月1日（周五）放假……"}),
    )
    file = forms.FileField(label="或上传 XLSX(日期 | 放假/上班 | 名称)", required=False)

    def arrangement(self, year: int) -> Arrangement:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                raise InvalidInput("文件不能超过 1 MB", field="file")
            return read_sheet(upload.read())
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            raise InvalidInput("请粘贴国务院通知正文，或上传 XLSX 表格", field="text")
        return read_notice(text, year)


def _days_value(days: list[CalendarDay]) -> str:
    return json.dumps([[d.day.isoformat(), d.is_workday, d.name] for d in days], ensure_ascii=False)


def _days_from(value: str) -> list[CalendarDay]:
    try:
        return [
            CalendarDay(date.fromisoformat(d), bool(w), str(n)[:50])
            for d, w, n in json.loads(value)
        ]
    except (TypeError, ValueError) as exc:
        raise InvalidInput("待确认的日期数据无效，请重新预览", field="days") from exc


def _preview(year: int, days: list[CalendarDay]) -> dict[str, object]:
    statutory = statutory_days(year)
    groups: dict[str, dict[str, list[date]]] = {}
    for entry in days:
        group = groups.setdefault(entry.name or "其他", {"off": [], "work": []})
        group["work" if entry.is_workday else "off"].append(entry.day)
    return {
        "groups": groups,
        "days_value": _days_value(days),
        "days_off": sum(1 for d in days if not d.is_workday),
        "makeup": sum(1 for d in days if d.is_workday),
        "missing": [
            (d, n)
            for d, n in statutory.items()
            if d not in {e.day for e in days if not e.is_workday}
        ],
    }


def _year_or_404(year: int) -> int:
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise Http404("年份超出范围")
    return year


def _festivals(year: int) -> list[tuple[str, list[date]]]:
    """The statutory days off by festival, in the year's order."""
    festivals: dict[str, list[date]] = {}
    for day, name in sorted(statutory_days(year).items()):
        festivals.setdefault(name, []).append(day)
    return list(festivals.items())


def _page(
    request: StaffRequest, year: int, form: NoticeForm, status: int = 200, **extra: object
) -> HttpResponse:
    context = {
        "year": year,
        "status": year_status(year),
        "months": _months(year),
        "statutory": _festivals(year),
        "statutory_count": len(statutory_days(year)),
        "rows": Holiday.objects.filter(date__year=year).count(),
        "form": form,
        **extra,
    }
    return render(request, "web/calendar_year.html", context, status=status)


@requires(Action.CALENDAR_MANAGE)
@require_GET
def calendar_index(request: StaffRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    years = [
        {
            "year": year,
            "status": year_status(year),
            "rows": Holiday.objects.filter(date__year=year).count(),
        }
        for year in range(this_year - 1, this_year + 3)
    ]
    library_last = max(y for y in range(2004, this_year + 5) if workcal.library_knows(y))
    return render(request, "web/calendar.html", {"years": years, "library_last": library_last})


@requires(Action.CALENDAR_MANAGE)
@require_http_methods(["GET", "POST"])
def calendar_year(request: StaffRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    if request.method == "GET":
        return _page(request, year, NoticeForm())
    step = request.POST.get("step", "preview")
    form = NoticeForm(request.POST, request.FILES)
    try:
        if step == "confirm":
            return _confirm(request, year, _days_from(request.POST.get("days", "")), "imported")
        if step == "confirm_rows":
            rows = Holiday.objects.filter(date__year=year).order_by("date")
            days = [CalendarDay(r.date, r.is_workday, r.name) for r in rows]
            return _confirm(request, year, days, "entered")
        form.is_valid()
        arrangement = form.arrangement(year)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _page(request, year, form, status=exc.status)
    return _page(request, year, form, preview=_preview(year, arrangement.days))


def _confirm(
    request: StaffRequest, year: int, days: list[CalendarDay], source: str
) -> HttpResponse:
    calendar_year_enter(actor=request.user, year=year, days=days, source=source)
    messages.success(
        request,
        f"{year} 年节假日安排已确认（{len(days)} 天）。涉及该年的临时时限正在后台按正式日历重新计算，"
        "每一处调整都会记入对应工单、督办单的办理过程。",
    )
    return redirect("web:calendar_year", year=year)
