"""What the mediation pages share: the scoped lookup answered by 404, the committees offered,
a download's response and a list's query string without its page."""

from urllib.parse import quote

from django.http import Http404, HttpResponse

from zhili.core.errors import NotFound
from zhili.core.types import Actor
from zhili.mediation import selectors
from zhili.mediation.models import Dispute
from zhili.orgs.auth import StaffRequest

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


def attachment(body: bytes, content_type: str, ascii_name: str, name: str) -> HttpResponse:
    """A download named `name` (`ascii_name` for the browsers that read no UTF-8 name)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def query_without(request: StaffRequest, *drop: str) -> str:
    """The page's query string without its page number (and the `drop` parameters)."""
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()
