"""A petition's tracking code (一案一码) is its 信访件编号 (zhili/core/dossier/codes.py)."""

from django.urls import reverse

from zhili.core.dossier.codes import Tracked, track
from zhili.petitions.models import Petition
from zhili.petitions.workflow import KIND


def _contacts(petition: Petition) -> list[str]:
    """The petitioners' ID numbers and phones."""
    return [
        value
        for party in petition.parties.select_related("petitioner")
        for value in (party.petitioner.id_number, party.petitioner.phone)
        if value
    ]


track(
    Tracked(
        KIND,
        page=lambda petition: reverse("petitions:detail", args=[petition.number]),
        contacts=_contacts,
    )
)
