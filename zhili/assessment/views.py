"""Pages of the assessment (考核评价): the scheme, the scores of a rank group and period (every
number opens its ledger entries, each entry its records), the entries, the vetoes and the
grades, and the ranking circular: issued from the scores page, its Word downloaded there.
Reads through `selectors`, writes through `services`, `vetoes` and `bulletins`."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.assessment import bulletins, selectors, services
from zhili.assessment import vetoes as veto_services
from zhili.assessment.data_quality import SHOWN, Section
from zhili.assessment.manual_views import score_form
from zhili.assessment.models import Group, LedgerEntry, Scheme, Veto, VetoEvent
from zhili.assessment.periods import Period, parse_period
from zhili.core.dates import DayField
from zhili.core.errors import DomainError, InvalidInput, NotFound
from zhili.core.pages import forbidden, or_404
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.inspections.documents import circular_paper, word_response
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.orgs.views import requires


def _period(year: int, period: str) -> Period:
    try:
        return parse_period(year, period)
    except InvalidInput as exc:
        raise Http404(exc.message) from exc


def _group(request: StaffRequest) -> str:
    group = request.GET.get("group", Group.TOWNSHIP)
    return group if group in Group.values else Group.TOWNSHIP


def period_choices(year: int) -> list[tuple[str, str]]:
    months = [(f"{m:02d}", f"{m}月") for m in range(1, 13)]
    return [*months, *[(f"Q{q}", f"第{q}季度") for q in range(1, 5)], ("year", "全年")]


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def index(request: StaffRequest) -> HttpResponse:
    """This month's scores (the navigation's entry: a page, not a redirect)."""
    today = timezone.localdate()
    context = _scores_context(request, today.year, f"{today.month:02d}", _group(request))
    return render(request, "assessment/scores.html", context)


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def scheme(request: StaffRequest, year: int) -> HttpResponse:
    found = or_404(selectors.scheme_get, user=request.user, year=year)
    catalogs = found.catalogs.prefetch_related("items").order_by("order")
    return render(
        request,
        "assessment/scheme.html",
        {"scheme": found, "catalogs": catalogs, "events": found.veto_events.all(), "year": year},
    )


def _scores_context(request: StaffRequest, year: int, period: str, group: str) -> dict[str, Any]:
    p = _period(year, period)
    try:
        scheme_, p, rows = selectors.scores(
            user=request.user, year=year, period=period, group=group
        )
    except NotFound:
        scheme_, rows = None, []
    items = [i.item for i in rows[0].items] if rows else []
    circular = bulletins.ranking_circular(user=request.user, year=year, period=period, group=group)
    may_manage = can(request.user, Action.ASSESSMENT_MANAGE)
    return {
        "year": year,
        "period": p,
        "group": group,
        "groups": Group.choices,
        "scheme": scheme_,
        "rows": rows,
        "items": items,
        "periods": period_choices(year),
        "may_manage": may_manage,
        "circular": circular,
        "may_issue": may_manage and bool(rows) and circular is None,
    }


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def scores(request: StaffRequest, year: int, period: str) -> HttpResponse:
    context = _scores_context(request, year, period, _group(request))
    return render(request, "assessment/scores.html", context)


@requires(Action.ASSESSMENT_MANAGE)
@require_POST
def compute(request: StaffRequest, year: int, period: str) -> HttpResponse:
    p = _period(year, period)
    group = request.POST.get("group", Group.TOWNSHIP)
    try:
        if not Scheme.objects.filter(year=year).exists():
            services.scheme_create_default(actor=request.user, year=year)
        done = services.scores_compute(actor=request.user, year=year, period=p.slug)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        skipped = f"；尚无数据源的考核项：{'、'.join(done.skipped)}" if done.skipped else ""
        messages.success(request, f"已计算{p.label}自动考核项，台账 {done.entries} 条{skipped}")
    url = f"{request.path.rsplit('compute/', 1)[0]}?group={group if group in Group.values else ''}"
    return redirect(url)


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def entries(request: StaffRequest, year: int, period: str) -> HttpResponse:
    _period(year, period)
    p, unit, qs = or_404(
        selectors.unit_entries,
        user=request.user,
        year=year,
        period=period,
        unit=request.GET.get("unit", ""),
        item=request.GET.get("item", ""),
    )
    context = {
        "period": p,
        "year": year,
        "unit": unit,
        "entries": _named_units(list(qs.prefetch_related("evidence")[:500])),
        "item": request.GET.get("item", ""),
        "may_manage": can(request.user, Action.ASSESSMENT_MANAGE),
        "score_form": score_form(year),
    }
    return render(request, "assessment/entries.html", context)


def _named_units(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """Each entry's counted units (`detail.unit_links`, by code) by name, read in one query,
    as `unit_rows` [(name, url)]."""
    codes = {code for e in entries for code, _url in (e.detail or {}).get("unit_links", [])}
    names = dict(Organization.objects.filter(code__in=codes).values_list("code", "name"))
    for e in entries:
        links = (e.detail or {}).get("unit_links", [])
        e.unit_rows = [(names.get(code, code), url) for code, url in links]  # type: ignore[attr-defined]
    return entries


def quality_summary(sections: list[Section]) -> dict[str, object]:
    total = sum(s.total for s in sections)
    defective = sum(s.defective for s in sections)
    rate = f"{(total - defective) * 100 / total:.2f}" if total else ""
    return {"total": total, "defective": defective, "complete": total - defective, "rate": rate}


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def data_quality(request: StaffRequest, year: int, period: str) -> HttpResponse:
    """The records behind a township's 数据质量: each kind's count, and the defective ones."""
    _period(year, period)
    p, unit, sections = or_404(
        selectors.quality_defects,
        user=request.user,
        year=year,
        period=period,
        unit=request.GET.get("unit", ""),
    )
    context = {
        "period": p,
        "year": year,
        "unit": unit,
        "sections": sections,
        "shown": SHOWN,
        **quality_summary(sections),
    }
    return render(request, "assessment/data_quality.html", context)


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def bulletin(request: StaffRequest, year: int, period: str) -> HttpResponse:
    """The issued ranking circular of the period and group, in Word (404 before it is)."""
    _period(year, period)
    circular = bulletins.ranking_circular(
        user=request.user, year=year, period=period, group=_group(request)
    )
    if circular is None:
        raise Http404("排名通报尚未印发")
    return word_response(circular_paper(circular), f"circular-{circular.pk}")


@requires(Action.ASSESSMENT_MANAGE)
@require_POST
def bulletin_issue(request: StaffRequest, year: int, period: str) -> HttpResponse:
    """印发排名通报: the period's ranking of the group, to every unit of it."""
    p = _period(year, period)
    group = request.POST.get("group", "")
    try:
        made = bulletins.ranking_circular_issue(
            actor=request.user, year=year, period=period, group=group
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"已印发排名通报 {made.number}，已送达 {made.receipts.count()} 个单位"
        )
    query = f"?group={group}" if group in Group.values else ""
    return redirect(reverse("assessment:scores", args=[year, p.slug]) + query)


class VetoForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="被否决单位", to_field_name="code"
    )
    event = forms.ChoiceField(label="否决事项")
    on = DayField(label="发生日期")
    reason = forms.CharField(
        label="事实与依据", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    source_url = forms.CharField(label="来源记录链接", max_length=500, required=False)

    def __init__(self, year: int, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from zhili.assessment.units import ranked_units

        self.fields["unit"].queryset = ranked_units()  # type: ignore[attr-defined]
        events = VetoEvent.objects.filter(scheme__year=year)
        self.fields["event"].choices = [(e.code, e.name) for e in events]  # type: ignore[attr-defined]


@requires(Action.ASSESSMENT_VIEW)
@require_http_methods(["GET", "POST"])
def vetoes(request: StaffRequest, year: int) -> HttpResponse:
    form = VetoForm(year, request.POST or None)
    if request.method == "POST":
        if not can(request.user, Action.ASSESSMENT_MANAGE):
            return forbidden(request)
        if form.is_valid():
            try:
                veto_services.veto_propose(
                    actor=request.user,
                    unit=form.cleaned_data["unit"],
                    event_code=form.cleaned_data["event"],
                    on=form.cleaned_data["on"],
                    reason=form.cleaned_data["reason"],
                    source_url=form.cleaned_data["source_url"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "已提出一票否决，待审核")
                return redirect("assessment:vetoes", year=year)
    rows = Veto.objects.filter(year=year).select_related(
        "event", "unit", "proposed_by", "reviewed_by"
    )
    context = {
        "year": year,
        "form": form,
        "vetoes": rows,
        "grades": selectors.issued_grades(year),
        "may_manage": can(request.user, Action.ASSESSMENT_MANAGE),
    }
    return render(request, "assessment/vetoes.html", context, status=422 if form.errors else 200)


def _act(request: StaffRequest, year: int, step: Callable[[], object], done: str) -> HttpResponse:
    try:
        step()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("assessment:vetoes", year=year)


@requires(Action.ASSESSMENT_MANAGE)
@require_POST
def veto_review(request: StaffRequest, year: int, pk: int) -> HttpResponse:
    confirm = request.POST.get("decision") == "confirm"
    note = request.POST.get("note", "")[:500]
    return _act(
        request,
        year,
        lambda: veto_services.veto_review(
            actor=request.user, veto_id=pk, confirm=confirm, note=note
        ),
        "已确认一票否决" if confirm else "已决定不予否决",
    )


@requires(Action.ASSESSMENT_MANAGE)
@require_POST
def grades_issue(request: StaffRequest, year: int) -> HttpResponse:
    return _act(
        request,
        year,
        lambda: veto_services.grades_issue(actor=request.user, year=year),
        "已评定年度等次",
    )
