"""A case's tracking code (一案一码) is its 工单编号 (zhili/core/dossier/codes.py)."""

from django.urls import reverse

from zhili.cases.dossier import KIND
from zhili.cases.models import Case
from zhili.core.dossier.codes import Tracked, track


def _contacts(case: Case) -> list[str]:
    return [case.reporter_phone] if case.reporter_phone else []


track(
    Tracked(
        KIND,
        page=lambda case: reverse("cases:detail", args=[case.case_no]),
        number="case_no",
        contacts=_contacts,
    )
)
