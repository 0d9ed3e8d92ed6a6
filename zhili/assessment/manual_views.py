"""Pages of what the assessors bring in by hand: a manual score with its evidence (from a
unit's ledger page), the evidence files, and the 安全感 survey import."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.assessment import manual
from zhili.assessment.models import Evidence, Item, SurveyImport
from zhili.assessment.units import ranked_units
from zhili.core.dates import DayField
from zhili.core.errors import DomainError
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScoreForm(forms.Form):
    item = forms.ChoiceField(label="考核项")
    on = DayField(label="考核日期")
    points = forms.DecimalField(label="分值", max_digits=6, decimal_places=2)
    reason = forms.CharField(label="评分说明", max_length=500)

    def __init__(self, year: int, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        items = Item.objects.filter(scheme__year=year, automatic=False).exclude(
            code__in=["veto", manual.SURVEY_ITEM]
        )
        self.fields["item"].choices = [(i.code, f"{i.name}（±{i.max_points}）") for i in items]  # type: ignore[attr-defined]


def score_form(year: int) -> ScoreForm:
    return ScoreForm(year, initial={"on": timezone.localdate()})


@requires(Action.ASSESSMENT_MANAGE)
@require_POST
def score_enter(request: StaffRequest, year: int, period: str) -> HttpResponse:
    unit = ranked_units().filter(code=request.POST.get("unit", "")).first()
    if unit is None:
        raise Http404("未找到该被考核单位")
    form = ScoreForm(year, request.POST)
    back = f"{request.path.rsplit('score/', 1)[0]}entries/?unit={unit.code}"
    if not form.is_valid():
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
        return redirect(back)
    data = form.cleaned_data
    try:
        manual.score_enter(
            actor=request.user,
            unit=unit,
            on=data["on"],
            item_code=data["item"],
            points=data["points"],
            reason=data["reason"],
            files=request.FILES.getlist("files"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已记入考核台账")
    return redirect(back)


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def evidence(request: StaffRequest, pk: int) -> FileResponse:
    found = Evidence.objects.select_related("entry__unit").filter(pk=pk).first()
    if found is None or not scope_for(request.user).covers_path(found.entry.unit.path):
        raise Http404("未找到该佐证材料")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


class SurveyForm(forms.Form):
    on = DayField(label="调查截止日期")
    file = forms.FileField(label="调查结果（.xlsx）")


@requires(Action.ASSESSMENT_VIEW)
@require_http_methods(["GET", "POST"])
def surveys(request: StaffRequest, year: int) -> HttpResponse:
    form = SurveyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and can(request.user, Action.ASSESSMENT_MANAGE) and form.is_valid():
        try:
            manual.survey_import(
                actor=request.user, on=form.cleaned_data["on"], file=form.cleaned_data["file"]
            )
        except DomainError as exc:
            form.add_error("file" if exc.field == "file" else None, exc.message)
        else:
            messages.success(request, "已导入安全感调查结果")
            return redirect("assessment:surveys", year=year)
    context = {
        "year": year,
        "form": form,
        "imports": SurveyImport.objects.filter(year=year),
        "may_manage": can(request.user, Action.ASSESSMENT_MANAGE),
        "columns": [*manual.UNIT_COLUMNS, manual.RATE_COLUMN, manual.SAMPLE_COLUMN],
    }
    return render(request, "assessment/surveys.html", context, status=422 if form.errors else 200)


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def survey_file(request: StaffRequest, pk: int) -> FileResponse:
    found = SurveyImport.objects.filter(pk=pk).first()
    if found is None or not scope_for(request.user).everything:
        raise Http404("未找到该调查结果")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
