"""What the mediation pages share: the scoped lookup answered by 404, the committees offered,
and a list's query string without its page."""

from zhili.core.pages import or_404
from zhili.core.types import Actor
from zhili.mediation import selectors
from zhili.mediation.models import Dispute
from zhili.orgs.auth import StaffRequest


def get_dispute_or_404(user: Actor, number: str) -> Dispute:
    return or_404(selectors.dispute_get, user=user, number=number)


def committee_choices(user: Actor) -> list[tuple[str, str]]:
    committees = selectors.committees_for_register(user=user).order_by("path", "name")
    default = selectors.default_committee(user)
    rows = [(str(c.pk), c.name) for c in committees[:500]]
    if default is not None:
        rows.sort(key=lambda row: row[0] != str(default.pk))
    return rows


def query_without(request: StaffRequest, *drop: str) -> str:
    """The page's query string without its page number (and the `drop` parameters)."""
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()
