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


def test_a_commander_turns_a_case_into_an_incident_from_its_page(
    register: Any,  # noqa: F811
    staff: Any,  # noqa: F811
) -> None:
    from django.test import Client

    def page_of(user: Any, path: str) -> str:
        client = Client()
        client.force_login(user)
        answer = client.get(path)
        assert answer.status_code == 200, path
        return answer.content.decode()

    case = register(title="河堤旁人员聚集")
    page = page_of(staff.dispatcher, f"/cases/{case.case_no}/")
    assert 'data-testid="open-incident"' in page
    assert f'href="/incidents/?case_no={case.case_no}"' in page
    # The desk's form starts from the case: its number, title, category and place.
    form = page_of(staff.dispatcher, f"/incidents/?case_no={case.case_no}")
    assert f'value="{case.case_no}"' in form and 'value="河堤旁人员聚集"' in form
    assert f'value="{case.lat}"' in form and f'value="{case.lng}"' in form
    assert f'<option value="{case.category.code}" selected>' in form
    # A viewer who may not command sees no button: the county leader watches the forces.
    assert 'data-testid="open-incident"' not in page_of(staff.leader, f"/cases/{case.case_no}/")

    # Once opened, the case's page links the incident instead.
    emergency = register(title="化工厂泄漏", urgency=Urgency.EMERGENCY)
    open_for_emergency_case(registered(emergency))
    incident = Incident.objects.get(case=emergency)
    page = page_of(staff.dispatcher, f"/cases/{emergency.case_no}/")
    assert f'data-testid="case-incident-{incident.number}"' in page
    assert 'data-testid="open-incident"' not in page
