"""A dispute's tracking code (一案一码) is its 纠纷编号 (zhili/core/dossier/codes.py)."""

from django.urls import reverse

from zhili.core.dossier.codes import Tracked, track
from zhili.mediation.models import Dispute
from zhili.mediation.workflow import KIND


def _contacts(dispute: Dispute) -> list[str]:
    """The parties' ID numbers and phones."""
    return [
        value
        for party in dispute.parties.all()
        for value in (party.id_number, party.phone)
        if value
    ]


track(
    Tracked(
        KIND,
        page=lambda dispute: reverse("mediation:detail", args=[dispute.number]),
        contacts=_contacts,
    )
)
