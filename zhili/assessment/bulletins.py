"""The ranking circular (排名通报) of a leaderboard, issued from the scores page: a circular of
督 (zhili.inspections.circulars) numbered with the others, sent to every unit of the rank
group for a read receipt, signed by the issuing center, its ranking kept as its table as it
stood when issued (the scores may be recomputed after). One per period and rank group: its
`subject` names them; the page's Word download is the issued circular's."""

from django.db import transaction

from zhili.assessment.documents import COLUMNS, ranking_text
from zhili.assessment.models import Group
from zhili.assessment.periods import Period, parse_period
from zhili.assessment.selectors import group_scores
from zhili.assessment.services import scheme_for
from zhili.assessment.units import ranked_units
from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.inspections.circulars import circular_issue, issuing_center
from zhili.inspections.models import Circular, CircularKind
from zhili.inspections.selectors import circular_list


def subject_of(period: Period, group: str) -> str:
    """ranking:2026:M11:township"""
    return f"ranking:{period.year}:{period.code}:{group}"


def _group(group: str) -> str:
    if group not in Group.values:
        raise InvalidInput(
            "分组应为 township（乡镇/街道/场区）或 department（县直部门）", field="group"
        )
    return group


@transaction.atomic
def ranking_circular_issue(*, actor: Actor, year: int, period: str, group: str) -> Circular:
    """Issue the period's ranking of `group` (every unit of it, whatever the issuer sees) as a
    ranking circular, the units at the foot named; a second one is refused (409)."""
    require(actor, Action.ASSESSMENT_MANAGE)
    scheme = scheme_for(year)
    p = parse_period(year, period)
    units = list(ranked_units([_group(group)]))
    rows = group_scores(scheme, p, group, units)
    if not rows:
        raise InvalidInput("该分组没有被考核单位", field="group")
    if actor.organization is None:
        raise Forbidden("您的账号未归属任何单位")
    text = ranking_text(p, group, rows, issuing_center(actor.organization).name)
    return circular_issue(
        actor=actor,
        kind=CircularKind.RANKING,
        title=text.title,
        body=text.body,
        unit_codes=[u.code for u in units],
        table=(COLUMNS, text.rows),
        subject=subject_of(p, group),
    )


def ranking_circular(*, user: Actor, year: int, period: str, group: str) -> Circular | None:
    """The issued ranking circular of the period and group, if the user sees it (it was
    issued by their part of the tree, or sent to it)."""
    p = parse_period(year, period)
    return circular_list(user=user).filter(subject=subject_of(p, _group(group))).first()
