"""A petition opened from a case of the one queue; closing it answers the case."""

from typing import Any

import pytest

from zhili.cases.models import State as CaseState
from zhili.cases.services import Intake, case_act, case_register
from zhili.cases.tests.conftest import catalog, rules  # noqa: F401
from zhili.core.errors import InvalidInput
from zhili.core.outbox import deliver_pending
from zhili.petitions import services
from zhili.petitions.models import State
from zhili.petitions.tests.conftest import advance


@pytest.fixture
def petition_case(staff: Any, catalog: Any, rules: Any) -> Any:  # noqa: F811
    """A 阳光信访 case dispatched by the county to the petition reception center."""
    case = case_register(
        actor=staff.dispatcher,
        intake=Intake(
            channel="petition",
            category=catalog.dispute,
            title="征地补偿款未足额发放",
            description="村里修路征收承包地，补偿款只发了一半，要求足额发放。",
            lat=34.505,
            lng=118.705,
            reporter_name="王秀英",
            reporter_phone="13805181234",
        ),
    )
    return case_act(actor=staff.dispatcher, case=case, action="dispatch", unit="320722-XFJD")


def test_opening_from_a_case_takes_it_and_links_it(petition_case: Any, staff: Any) -> None:
    data = services.registration_from_case(petition_case)
    assert data.title == "征地补偿款未足额发放" and data.petitioners[0].name == "王秀英"
    petition = services.petition_open_from_case(actor=staff.petition, case=petition_case, data=data)
    petition_case.refresh_from_db()
    assert petition.case == petition_case and petition_case.state == CaseState.HELD
    assert "从工单" in petition.events.get(action="register").note
    with pytest.raises(InvalidInput) as again:
        services.petition_open_from_case(actor=staff.petition, case=petition_case, data=data)
    assert again.value.field == "case" and petition.number in again.value.message


def test_closing_the_petition_answers_and_closes_the_case(petition_case: Any, staff: Any) -> None:
    data = services.registration_from_case(petition_case)
    petition = services.petition_open_from_case(actor=staff.petition, case=petition_case, data=data)
    petition = advance(petition, staff, "close")
    assert petition.state == State.CLOSED
    deliver_pending(worker_id="t")
    petition_case.refresh_from_db()
    assert petition_case.state == CaseState.CLOSED
    assert petition.number in petition_case.reply and "足额发放" in petition_case.reply
    # A second close after a review does not answer the case again.
    services.petition_act(
        actor=staff.petition, petition=petition, action="request_review", reason="不服"
    )
    assert deliver_pending(worker_id="t") >= 0
    petition_case.refresh_from_db()
    assert petition_case.state == CaseState.CLOSED


def test_the_from_case_page_prefills_and_opens_the_petition(petition_case: Any, staff: Any) -> None:
    from django.test import Client

    client = Client()
    client.force_login(staff.petition)
    url = f"/petitions/from-case/{petition_case.case_no}/"
    page = client.get(url).content.decode()
    assert "由工单转为信访事项" in page and "征地补偿款未足额发放" in page and "王秀英" in page
    response = client.post(
        url,
        {
            "form": "online",
            "kind": "claim",
            "category": "land",
            "title": "征地补偿款未足额发放",
            "matter": petition_case.description,
            "people_count": "1",
            "person_name": ["王秀英"],
            "person_id_number": [""],
            "person_phone": ["13805181234"],
            "person_address": [""],
        },
    )
    petition = petition_case.petitions.get()
    assert response.status_code == 302 and response.url == f"/petitions/{petition.number}/"
    assert client.get(url).status_code == 302  # already opened: to the petition
    township = Client()
    township.force_login(staff.township)
    assert township.get(url).status_code == 403  # a handler does not register petitions


def test_one_clock_per_matter_the_case_waits_while_the_petition_runs(
    petition_case: Any, staff: Any, client: Any
) -> None:
    """Under a petition the case gets no card of its own, however long the petition takes
    within its legal limits; the petition's own cards still fall."""
    from datetime import datetime, time

    import time_machine
    from django.utils import timezone

    from zhili.cases.sweep import sweep_cards as sweep_case_cards
    from zhili.core import workcal
    from zhili.petitions.sweep import sweep_cards as sweep_petition_cards
    from zhili.supervision.models import SupervisionOrder

    data = services.registration_from_case(petition_case)
    petition = services.petition_open_from_case(actor=staff.petition, case=petition_case, data=data)
    petition_case.refresh_from_db()
    assert petition_case.state == CaseState.HELD and petition_case.warn_at is None
    # 20 working days on: far past the case's own five, and past the petition's 15 days to
    # be assigned (信访工作条例), which it has not been.
    late = workcal.add_workdays(timezone.localdate(), 20)
    with time_machine.travel(datetime.combine(late, time(10), tzinfo=petition_case.due_at.tzinfo)):
        assert sweep_case_cards().carded == 0
        petition_cards = sweep_petition_cards()
        deliver_pending(worker_id="t")
    petition_case.refresh_from_db()
    petition.refresh_from_db()
    assert petition_case.card == "" and petition_case.state == CaseState.HELD
    assert petition.card == "red" and petition_cards.red == 1  # 15 days to assign are gone
    assert not SupervisionOrder.objects.filter(case=petition_case).exists()
    assert SupervisionOrder.objects.filter(petition=petition).count() == 1
    client.force_login(staff.dispatcher)
    page = client.get(f"/cases/{petition_case.case_no}/").content.decode()
    assert 'data-testid="held-by"' in page and "转信访办理" in page and petition.number in page
    # The order shows on the petition's page, in the panel supervision registers
    # (zhili.petitions.panels).
    order = SupervisionOrder.objects.get(petition=petition)
    client.force_login(staff.petition)
    page = client.get(f"/petitions/{petition.number}/").content.decode()
    panel = page.split('data-testid="petition-orders"')[1].split("</section>")[0]
    assert f'href="/supervision/{order.number}/"' in panel
