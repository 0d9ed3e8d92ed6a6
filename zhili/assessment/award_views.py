"""The 十佳 page: the year's shortlists, the committee's votes, the decision."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhili.assessment import awards, staff
from zhili.assessment.models import AwardKind, Nomination, StaffGrade, StaffLevel
from zhili.core.errors import DomainError
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires


@requires(Action.ASSESSMENT_VIEW)
@require_GET
def award_list(request: StaffRequest, year: int) -> HttpResponse:
    rows = Nomination.objects.filter(year=year)
    lists = [
        (kind, label, [n for n in rows if n.kind == kind]) for kind, label in AwardKind.choices
    ]
    context = {
        "year": year,
        "lists": lists,
        "may_manage": can(request.user, Action.ASSESSMENT_MANAGE),
        "formula": awards.FORMULA,
        "staff": StaffGrade.objects.filter(year=year).select_related("user"),
        "levels": StaffLevel.choices,
    }
    return render(request, "assessment/awards.html", context)


def _number(request: StaffRequest, name: str) -> int:
    value = request.POST.get(name, "").strip()
    return int(value) if value.isdigit() else -1


@requires(Action.ASSESSMENT_MANAGE)
@require_POST
def award_act(request: StaffRequest, year: int, step: str) -> HttpResponse:
    kind = request.POST.get("kind", "")
    try:
        if step == "shortlist":
            awards.shortlist_compute(actor=request.user, year=year, kind=kind)
        elif step == "vote":
            awards.vote_record(
                actor=request.user,
                nomination_id=_number(request, "nomination"),
                votes_for=_number(request, "votes_for"),
                votes_against=_number(request, "votes_against"),
                abstentions=_number(request, "abstentions"),
            )
        elif step == "staff":
            staff.staff_grades_propose(actor=request.user, year=year)
        elif step == "staff-decide":
            staff.staff_grade_decide(
                actor=request.user,
                grade_id=_number(request, "grade_id"),
                grade=request.POST.get("grade", ""),
                note=request.POST.get("note", ""),
            )
        else:
            awards.awards_decide(actor=request.user, year=year, kind=kind)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存")
    return redirect("assessment:awards", year=year)
