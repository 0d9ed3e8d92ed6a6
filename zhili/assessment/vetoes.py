"""一票否决 and the grading of the year (评定等次).

A veto is proposed against a unit for one of the scheme's veto events, then reviewed (确认否决
or 不予否决) by someone else than its proposer before the year's grades can be issued. A
confirmed veto is recorded on the ledger (item `veto`, no points, `bars_awards`): the unit
cannot be graded 优秀 and is barred from the year's awards (先进, 十佳).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from zhili.assessment.models import Grade, Group, Veto, VetoEvent, VetoState
from zhili.assessment.periods import parse_period
from zhili.assessment.selectors import UnitScore, group_scores
from zhili.assessment.services import _ranked, ledger_post, scheme_for
from zhili.assessment.units import ranked_units
from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.orgs.models import Organization


@transaction.atomic
def veto_propose(
    *,
    actor: Actor,
    unit: Organization,
    event_code: str,
    on: date,
    reason: str,
    source_url: str = "",
) -> Veto:
    require(actor, Action.ASSESSMENT_MANAGE)
    scheme = scheme_for(on.year)
    event = VetoEvent.objects.filter(scheme=scheme, code=event_code).first()
    if event is None:
        raise InvalidInput(f"没有一票否决事项 {event_code}", field="event")
    if not reason.strip() or len(reason) > 500:
        raise InvalidInput("请填写 500 字以内的事实与依据", field="reason")
    veto = Veto.objects.create(
        event=event,
        unit=_ranked(unit),
        year=on.year,
        on=on,
        reason=reason.strip(),
        source_url=source_url[:500],
        proposed_by=actor,
    )
    audit(actor, "assessment.veto.propose", veto, event=event.code)
    return veto


@transaction.atomic
def veto_review(*, actor: Actor, veto_id: int, confirm: bool, note: str = "") -> Veto:
    """Confirm or dismiss a proposed veto; the proposer may not review their own."""
    require(actor, Action.ASSESSMENT_MANAGE)
    veto = (
        Veto.objects.select_for_update().select_related("event", "unit").filter(pk=veto_id).first()
    )
    if veto is None:
        raise NotFound("未找到该一票否决事项")
    if veto.state != VetoState.PROPOSED:
        raise Conflict("该事项已审核", code="already_reviewed")
    if veto.proposed_by_id == actor.pk:
        raise Conflict("提出人不能审核自己提出的一票否决", code="same_person")
    veto.state = VetoState.CONFIRMED if confirm else VetoState.DISMISSED
    veto.reviewed_by, veto.reviewed_at, veto.review_note = actor, timezone.now(), note[:500]
    veto.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
    if confirm:
        entry = ledger_post(
            actor=actor,
            unit=veto.unit,
            on=veto.on,
            item_code="veto",
            points=0,  # type: ignore[arg-type]
            reason=f"一票否决：{veto.event.name}。{veto.reason}；取消年度评先评优资格",
            source_label="一票否决审核",
            source_url=veto.source_url,
            key=f"veto:{veto.pk}",
        )
        if not entry.bars_awards:
            entry.bars_awards = True
            entry.save(update_fields=["bars_awards"])
    audit(actor, "assessment.veto.review", veto, confirmed=confirm)
    return veto


def awards_barred(unit: Organization, year: int) -> bool:
    """Whether the ledger bars `unit` from the year's awards (a confirmed veto)."""
    from zhili.assessment.models import LedgerEntry

    return LedgerEntry.objects.filter(unit=unit, year=year, bars_awards=True).exists()


def _write_grade(actor: Actor, year: int, group: str, row: UnitScore) -> Grade:
    if row.grade is None:  # a veto under review: refused before any row is written
        raise Conflict(f"{row.org.name} 的一票否决待审核", code="veto_review_pending")
    values = {
        "group": group,
        "score": row.score,
        "rank": row.rank,
        "grade": row.grade,
        "vetoed": row.vetoed,
        "issued_by": actor,
        "issued_at": timezone.now(),
    }
    grade, _ = Grade.objects.update_or_create(year=year, unit=row.org, defaults=values)
    return grade


@transaction.atomic
def grades_issue(*, actor: Actor, year: int) -> list[Grade]:
    """The year's grades (period `year`) of both groups, written once the vetoes of the year
    are all reviewed (a 409 naming how many wait); issuing again rewrites them."""
    require(actor, Action.ASSESSMENT_MANAGE)
    scheme = scheme_for(year)
    waiting = Veto.objects.filter(year=year, state=VetoState.PROPOSED).count()
    if waiting:
        raise Conflict(
            f"尚有 {waiting} 项一票否决待审核，审核后方可评定等次", code="veto_review_pending"
        )
    period = parse_period(year, "year")
    grades = [
        _write_grade(actor, year, group, row)
        for group in Group.values
        for row in group_scores(scheme, period, group, list(ranked_units([group])))
    ]
    audit(actor, "assessment.grades.issue", scheme, count=len(grades))
    return grades
