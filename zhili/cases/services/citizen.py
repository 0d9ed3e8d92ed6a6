"""What a citizen does to a case without an account: look it up, and rate it once closed.

The citizen proves nothing but the case number and the last four digits of the phone given
at intake. A lookup with a wrong tail and one with an unknown number give the same answer
(None) and take the same path, so the answer is no oracle for either; both are audited.
A citizen's rating is the workflow's "rate" transition taken by nobody (actor None), with
the note "群众自评": the same changes, timeline row, audit row and event as a phone follow-up.
"""

import hmac

from django.db import transaction
from django.utils import timezone

from zhili.cases import workflow
from zhili.cases.models import Case, Rating, State
from zhili.cases.services.transitions import apply_step
from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput

CITIZEN_RATING_NOTE = "群众自评"
_NO_TAIL = "\0\0\0\0"


def _tail_matches(phone: str, tail: str) -> bool:
    """Constant time in the digits: a timing difference must not tell which digit is wrong."""
    expected = phone[-4:] if len(phone) >= 4 else _NO_TAIL
    return hmac.compare_digest(expected.encode(), tail.encode())


@transaction.atomic
def case_lookup_by_citizen(*, case_no: str, phone_tail: str, client: str) -> Case | None:
    """The case if `phone_tail` is the last four digits of its reporter's phone, else None."""
    case_no = case_no.strip().upper()[:30]
    case = Case.objects.select_related("category").filter(case_no=case_no).first()
    found = _tail_matches(case.reporter_phone if case else "", phone_tail) and case is not None
    audit(None, "cases.case.citizen_lookup", case, case_no=case_no, found=found, client=client)
    return case if found else None


def citizen_rated(case: Case) -> bool:
    """Whether the case's current rating was given by the citizen (not by phone follow-up)."""
    last = case.events.filter(action="rate").order_by("-created_at", "-id").first()
    return last is not None and last.actor_id is None and last.note == CITIZEN_RATING_NOTE


def _refusal(case: Case) -> Conflict:
    if case.state == State.RATED:
        label = Rating(case.rating).label if case.rating else ""
        if citizen_rated(case):
            return Conflict(f"您已评价过该诉求（“{label}”），感谢您的反馈", code="already_rated")
        return Conflict(
            f"工作人员已电话回访，该诉求已评价为“{label}”，无需再次评价", code="already_rated"
        )
    return Conflict("诉求办结后才能评价", code="wrong_state")


@transaction.atomic
def case_rate_by_citizen(*, case: Case, rating: str, comment: str = "") -> Case:
    """Record the citizen's rating of a closed case: once, and only while nobody has rated it.

    Raises InvalidInput (rating) and Conflict (not closed yet, already rated, or rated by
    someone else at the same moment).
    """
    if rating not in Rating.values:
        raise InvalidInput("请选择满意、基本满意或不满意", field="rating")
    case = Case.objects.select_related("dispatch_center", "lead_unit").get(pk=case.pk)
    transition = workflow.TRANSITIONS["rate"]
    if case.state not in transition.sources:
        raise _refusal(case)
    text = comment.strip()[:500]
    changes = {"rating": rating, "rating_comment": text, "rated_at": timezone.now()}
    return apply_step(
        case, transition, None, changes, note=CITIZEN_RATING_NOTE, rating=rating, by="citizen"
    )
