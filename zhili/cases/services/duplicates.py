"""A dispatcher's decision on a likely duplicate (疑似重复件, found at intake by
zhili.cases.duplicates): merge it into its candidate, or say it is not one."""

from django.db import transaction
from django.utils import timezone

from zhili.cases.models import Case, CaseDuplicate, DuplicateState
from zhili.cases.selectors import case_get
from zhili.cases.services.transitions import case_act, check_transition
from zhili.core.audit import audit
from zhili.core.errors import Conflict
from zhili.core.types import Actor


def _decide(flag: CaseDuplicate, actor: Actor, state: str) -> None:
    updated = CaseDuplicate.objects.filter(pk=flag.pk, state=DuplicateState.OPEN).update(
        state=state, decided_by=actor, decided_at=timezone.now()
    )
    if not updated:
        raise Conflict("该疑似重复已被处理", code="wrong_state")
    flag.state = state


@transaction.atomic
def duplicate_merge(*, actor: Actor, flag: CaseDuplicate) -> Case:
    """Merge the flagged case into its candidate (the workflow's merge: role, side and state
    checked there); its reporter then receives the master's reply (cases.handlers)."""
    if flag.state != DuplicateState.OPEN:
        raise Conflict("该疑似重复已被处理", code="wrong_state")
    case = case_get(user=actor, case_no=flag.case.case_no)
    merged = case_act(actor=actor, case=case, action="merge", master=flag.candidate.case_no)
    _decide(flag, actor, DuplicateState.MERGED)
    audit(actor, "cases.duplicate.merge", case, master=flag.candidate.case_no, score=flag.score)
    return merged


@transaction.atomic
def duplicate_dismiss(*, actor: Actor, flag: CaseDuplicate) -> CaseDuplicate:
    """Not a duplicate: whoever may merge the case may say so."""
    case = case_get(user=actor, case_no=flag.case.case_no)
    check_transition(actor, case, "merge")
    _decide(flag, actor, DuplicateState.DISMISSED)
    audit(actor, "cases.duplicate.dismiss", case, candidate=flag.candidate.case_no)
    return flag
