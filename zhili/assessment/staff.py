"""评等定级 of the mediators: each mediator with dossiers mediated to an end in the year gets a
proposed grade from the mediation ranking's score (`zhili.mediation.reports.ranking`, every
mediator with at least one case, scored against the year's best): 优秀 from EXCELLENT,
称职 from COMPETENT, 基本称职 from BASIC, else 不称职; a mediator of a unit barred from the
year's awards by a veto is proposed 称职 at best. The assessors then decide each grade; a
decision that departs from the proposal needs a note."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from zhili.assessment.awards import barred_paths
from zhili.assessment.models import StaffGrade, StaffLevel
from zhili.core.audit import audit
from zhili.core.errors import InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.mediation.models import Mediator
from zhili.mediation.reports.selectors import mediator_ranking

EXCELLENT, COMPETENT, BASIC = 85, 60, 40


def proposal(score: float, *, barred: bool) -> str:
    if score >= EXCELLENT and not barred:
        return StaffLevel.EXCELLENT
    if score >= COMPETENT:
        return StaffLevel.COMPETENT
    return StaffLevel.BASIC if score >= BASIC else StaffLevel.INCOMPETENT


@transaction.atomic
def staff_grades_propose(*, actor: Actor, year: int) -> list[StaffGrade]:
    """The year's proposals, written or refreshed; a decided grade is kept as decided."""
    require(actor, Action.ASSESSMENT_MANAGE)
    ranked = mediator_ranking(
        user=actor, start=date(year, 1, 1), end=date(year, 12, 31), min_cases=1, top=100_000
    )
    mediators = Mediator.objects.select_related("committee").in_bulk([r.tally.key for r in ranked])
    bars = barred_paths(year)
    for r in ranked:
        barred = any(mediators[r.tally.key].committee.path.startswith(p) for p in bars)
        StaffGrade.objects.update_or_create(
            year=year,
            user_id=mediators[r.tally.key].user_id,
            defaults={
                "unit": r.tally.unit,
                "score": round(r.score, 2),
                "mediated": r.tally.mediated,
                "proposed": proposal(r.score, barred=barred),
            },
        )
    audit(actor, "assessment.staff.propose", None, year=year, count=len(ranked))
    return list(StaffGrade.objects.filter(year=year).select_related("user"))


@transaction.atomic
def staff_grade_decide(*, actor: Actor, grade_id: int, grade: str, note: str = "") -> StaffGrade:
    require(actor, Action.ASSESSMENT_MANAGE)
    found = StaffGrade.objects.select_for_update().filter(pk=grade_id).first()
    if found is None:
        raise NotFound("未找到该人员的评等定级")
    if grade not in StaffLevel.values:
        raise InvalidInput("等次应为 excellent、competent、basic 或 incompetent", field="grade")
    if grade != found.proposed and not note.strip():
        raise InvalidInput("评定等次与建议等次不同，请说明理由", field="note")
    found.grade, found.note = grade, note.strip()[:300]
    found.decided_by, found.decided_at = actor, timezone.now()
    found.save()
    audit(actor, "assessment.staff.decide", found, grade=grade)
    return found
