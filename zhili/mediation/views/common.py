"""What the mediation pages share: the scoped lookup answered by 404, the committees offered."""

from typing import Any

from django.http import Http404
from django.urls import reverse

from zhili.core.errors import NotFound
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.mediation import selectors
from zhili.mediation.models import Dispute

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def get_dispute_or_404(user: Actor, number: str) -> Dispute:
    try:
        return selectors.dispute_get(user=user, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def committee_choices(user: Actor) -> list[tuple[str, str]]:
    committees = selectors.committees_for_register(user=user).order_by("path", "name")
    default = selectors.default_committee(user)
    rows = [(str(c.pk), c.name) for c in committees[:500]]
    if default is not None:
        rows.sort(key=lambda row: row[0] != str(default.pk))
    return rows


def from_case_url(user: Actor, case: Any) -> str:
    """The link a case page may show to open a dispute from it (empty when not allowed)."""
    if not can(user, Action.DISPUTES_MEDIATE):
        return ""
    return reverse("mediation:from_case", args=[case.case_no])
