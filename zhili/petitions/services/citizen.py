"""What a petitioner does without an account: check progress, and rate once after the reply.

Like the case lookup (zhili.cases.services.citizen): the petition number and the last four
digits of a petitioner's phone; a wrong tail and an unknown number give the same None, by
the same path; every lookup is audited. The rating is the workflow's "rate" step taken by
nobody (actor None), noted "信访人自评" (the petitioner rates the handling: law.ARTICLES
["rating"], 信访工作条例 第二十一条第二款).
"""

import hmac

from django.db import transaction

from zhili.core.audit import audit
from zhili.core.errors import Conflict
from zhili.petitions import workflow
from zhili.petitions.models import Petition, Rating
from zhili.petitions.services.common import apply
from zhili.petitions.services.transitions import rate_changes

CITIZEN_RATING_NOTE = "信访人自评"
_NO_TAIL = "\0\0\0\0"


def _tail_matches(phones: list[str], tail: str) -> bool:
    """Compares every phone in constant time, whichever matches."""
    found = False
    for phone in phones or [""]:
        expected = phone[-4:] if len(phone) >= 4 else _NO_TAIL
        found = hmac.compare_digest(expected.encode(), tail.encode()) or found
    return found


@transaction.atomic
def petition_lookup_by_petitioner(*, number: str, phone_tail: str, client: str) -> Petition | None:
    number = number.strip().upper()[:30]
    petition = Petition.objects.filter(number=number).first()
    phones = list(petition.parties.values_list("petitioner__phone", flat=True)) if petition else []
    found = _tail_matches(phones, phone_tail) and petition is not None
    audit(
        None,
        "petitions.petition.citizen_lookup",
        petition,
        number=number,
        found=found,
        client=client,
    )
    return petition if found else None


@transaction.atomic
def petition_rate_by_petitioner(*, petition: Petition, rating: str, comment: str = "") -> Petition:
    """The petitioner's rating after the reply: once. Raises InvalidInput (rating), Conflict."""
    changes = rate_changes(rating, comment)
    petition = Petition.objects.get(pk=petition.pk)
    transition = workflow.TRANSITIONS["rate"]
    if petition.rating:
        label = Rating(petition.rating).label
        raise Conflict(f"该信访事项已评价为“{label}”，感谢您的反馈", code="already_rated")
    if petition.state not in transition.sources or not petition.replied_at:
        raise Conflict("信访事项答复后才能评价", code="wrong_state")
    return apply(
        petition,
        transition,
        None,
        changes,
        note=CITIZEN_RATING_NOTE,
        rating=rating,
        by="petitioner",
    )
