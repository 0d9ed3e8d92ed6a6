"""The hand-back (第二十三条第三款): a unit that receives a petition outside its duty objects
within 5 working days with its reasons; the transferring office agrees (the material comes
back and is transferred again) or not (the unit handles it)."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from zhili.core.errors import Conflict, InvalidInput, NotFound
from zhili.petitions import selectors, services
from zhili.petitions.models import Petition, State
from zhili.petitions.tests.conftest import advance

TZ = ZoneInfo("Asia/Shanghai")


def hand_back(staff: Any, petition: Petition, reason: str = "该事项属于县人社局职责") -> Petition:
    return services.petition_act(
        actor=staff.township, petition=petition, action="hand_back", reason=reason
    )


def test_the_objection_window_is_5_working_days_from_receipt(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")  # Thursday 2026-11-26
    # Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 December.
    assert timezone.localtime(petition.hand_back_until) == datetime(
        2026, 12, 3, 23, 59, 59, tzinfo=TZ
    )
    assert petition.hand_back_provisional is False


def test_the_window_skips_the_national_day_holiday(register: Any, staff: Any) -> None:
    with time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=TZ)):
        petition = advance(register(), staff, "assign")
    # 1-7 October are holidays, Saturday 10 October a make-up working day.
    assert timezone.localdate(petition.hand_back_until).isoformat() == "2026-10-13"


def test_a_unit_hands_back_and_the_office_agrees(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    petition = hand_back(staff, petition)
    assert petition.state == State.HAND_BACK_REQUESTED
    assert petition.hand_back_reason == "该事项属于县人社局职责"
    # The acceptance limit keeps running while the office checks.
    assert petition.due_at == petition.accept_due
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=TZ)):
        petition = services.petition_act(
            actor=staff.petition, petition=petition, action="approve_hand_back"
        )
    assert petition.state == State.REGISTERED and petition.handling_unit is None
    assert timezone.localdate(petition.returned_at).isoformat() == "2026-11-30"
    # A new transfer limit from the return, and the unit no longer sees the petition.
    assert timezone.localdate(petition.transfer_due).isoformat() == "2026-12-15"
    assert petition.due_at == petition.transfer_due
    with pytest.raises(NotFound):
        selectors.petition_get(user=staff.township, number=petition.number)
    again = services.petition_act(
        actor=staff.petition,
        petition=petition,
        action="assign",
        handling_unit="320722902",
        route="department_duty",
    )
    assert again.state == State.ASSIGNED and again.handling_unit.code == "320722902"
    actions = list(again.events.order_by("id").values_list("action", flat=True))
    assert actions == ["register", "assign", "hand_back", "approve_hand_back", "assign"]


def test_the_office_refuses_and_the_unit_handles_it(register: Any, staff: Any) -> None:
    petition = hand_back(staff, advance(register(), staff, "assign"))
    petition = services.petition_act(
        actor=staff.petition,
        petition=petition,
        action="refuse_hand_back",
        reason="征地补偿款发放属于乡镇职责",
    )
    assert petition.state == State.ASSIGNED and petition.handling_unit.code == "320722901"
    with pytest.raises(Conflict) as again:
        hand_back(staff, petition)
    assert "核实不同意退回" in again.value.message
    assert "hand_back" not in {t.name for t in services.actions_for(staff.township, petition)}
    petition = services.petition_act(actor=staff.township, petition=petition, action="accept")
    assert petition.state == State.ACCEPTED


def test_an_objection_after_5_working_days_is_refused_with_the_last_day(
    register: Any, staff: Any
) -> None:
    petition = advance(register(), staff, "assign")
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=TZ)):
        assert "hand_back" not in {t.name for t in services.actions_for(staff.township, petition)}
        with pytest.raises(Conflict) as late:
            hand_back(staff, petition)
    assert "2026年12月03日届满" in late.value.message
    assert "5个工作日" in late.value.message and "第二十三条第三款" in late.value.message


def test_an_objection_needs_its_reasons(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    with pytest.raises(InvalidInput) as refused:
        hand_back(staff, petition, reason=" ")
    assert refused.value.field == "reason"


def test_only_the_handling_unit_objects_and_only_the_office_decides(
    register: Any, staff: Any
) -> None:
    petition = advance(register(), staff, "assign")
    assert "hand_back" not in {t.name for t in services.actions_for(staff.petition, petition)}
    petition = hand_back(staff, petition)
    assert not {t.name for t in services.actions_for(staff.township, petition)} & {
        "approve_hand_back",
        "refuse_hand_back",
    }


def test_the_hand_back_through_the_pages(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    township = Client()
    township.force_login(staff.township)
    page = township.get(f"/petitions/{petition.number}/").content.decode()
    assert 'data-testid="action-hand_back"' in page and "异议退回期限" in page
    form = township.get(f"/petitions/{petition.number}/act/hand_back/").content.decode()
    assert "收到之日起5个工作日内提出异议" in form and "第二十三条第三款" in form
    assert "2026-12-03" in form
    response = township.post(
        f"/petitions/{petition.number}/act/hand_back/", {"reason": "不属于本镇职权范围"}
    )
    assert response.status_code == 302
    office = Client()
    office.force_login(staff.petition)
    page = office.get(f"/petitions/{petition.number}/").content.decode()
    assert 'data-testid="hand-back-notice"' in page and "不属于本镇职权范围" in page
    assert 'data-testid="action-approve_hand_back"' in page
    response = office.post(f"/petitions/{petition.number}/act/approve_hand_back/", {"note": ""})
    assert response.status_code == 302
    assert Petition.objects.get(pk=petition.pk).state == State.REGISTERED


def test_the_hand_back_through_the_api(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    client = Client()
    client.force_login(staff.township)
    response = client.post(
        f"/api/v1/petitions/{petition.number}/act",
        {"action": "hand_back", "reason": "不属于本镇职权范围"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "hand_back_requested"
    assert body["hand_back_until"].startswith("2026-12-03")
    assert body["hand_back_provisional"] is False
