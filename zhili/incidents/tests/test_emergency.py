"""An emergency case (特急) opens an incident through the cases' registration event."""

from typing import Any

import pytest

from zhili.cases.events import CaseRegistered
from zhili.cases.models import Urgency
from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401  (fixtures)
from zhili.incidents.handlers import open_for_emergency_case
from zhili.incidents.models import Incident

pytestmark = pytest.mark.django_db


def registered(case: Any) -> CaseRegistered:
    return CaseRegistered(
        case_id=case.pk,
        case_no=case.case_no,
        channel=case.channel,
        dispatch_center=case.dispatch_center.code,
        suggested_unit="",
    )


def test_an_emergency_case_opens_one_incident(register: Any) -> None:  # noqa: F811
    case = register(urgency=Urgency.EMERGENCY)
    open_for_emergency_case(registered(case))
    open_for_emergency_case(registered(case))  # delivered twice: still one
    incident = Incident.objects.get(case=case)
    assert (incident.title, incident.lat, incident.lng) == (case.title, case.lat, case.lng)
    assert incident.org_path == case.dispatch_center.path
    assert incident.events.values_list("action", flat=True).first() == "open"


def test_an_ordinary_case_opens_none(register: Any) -> None:  # noqa: F811
    case = register(urgency=Urgency.URGENT)
    open_for_emergency_case(registered(case))
    assert not Incident.objects.exists()
