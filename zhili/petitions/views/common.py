"""What the petition pages share: the petition in the user's sight, and the status of a
refusal on a page."""

from zhili.core.errors import DomainError
from zhili.core.pages import or_404
from zhili.core.types import Actor
from zhili.petitions import selectors
from zhili.petitions.models import Petition


def get_petition_or_404(user: Actor, number: str) -> Petition:
    return or_404(selectors.petition_get, user=user, number=number)


def error_status(exc: DomainError) -> int:
    """A page's POST refused with "not found" names something of its input (a unit code):
    a 422, not a 404."""
    return 422 if exc.status == 404 else exc.status
