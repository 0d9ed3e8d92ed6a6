"""Extensions (第三十四条): the officer asks, the handling unit's head (本机关、单位负责人)
approves or refuses; the limit moves only on approval, and both steps are on the timeline."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.petitions import documents, selectors, services
from zhili.petitions.models import Petition
from zhili.petitions.tests.conftest import advance

TZ = ZoneInfo("Asia/Shanghai")
DUE = datetime(2027, 1, 25, 23, 59, 59, tzinfo=TZ)  # 60 days after 2026-11-26


def ask(staff: Any, petition: Petition, days: int = 30, actor: Any = None) -> Petition:
    return services.petition_act(
        actor=actor or staff.township,
        petition=petition,
        action="extend",
        days=days,
        reason="涉及多部门核实，情况复杂",
    )


def names(user: Any, petition: Petition) -> set[str]:
    return {t.name for t in services.actions_for(user, petition)}


def test_asking_does_not_move_the_limit(register: Any, staff: Any) -> None:
    petition = ask(staff, advance(register(), staff, "start"))
    assert timezone.localtime(petition.handle_due) == DUE and petition.due_at == DUE
    assert petition.extension_days == 0 and petition.extension_requested_days == 30
    assert petition.extension_requested_by == staff.township
    assert "extension" not in dict(documents.available(petition))
    assert petition.events.filter(action="extend").exists()
    with pytest.raises(Conflict) as twice:
        ask(staff, petition, days=10)
    assert "待单位负责人审批" in twice.value.message


def test_the_head_approves_and_the_limit_moves(register: Any, staff: Any) -> None:
    petition = ask(staff, advance(register(), staff, "start"))
    assert "approve_extension" not in names(staff.township, petition)  # not a head
    assert {"approve_extension", "refuse_extension"} <= names(staff.secretary, petition)
    petition = services.petition_act(
        actor=staff.secretary, petition=petition, action="approve_extension"
    )
    assert petition.extension_days == 30 and petition.extension_decided_by == staff.secretary
    assert timezone.localtime(petition.handle_due) == datetime(2027, 2, 24, 23, 59, 59, tzinfo=TZ)
    assert petition.due_at == petition.handle_due
    assert "extension" in dict(documents.available(petition))
    lines = list(petition.events.order_by("id").values_list("action", "note"))
    assert [a for a, _ in lines[-2:]] == ["extend", "approve_extension"]
    assert "至2027年02月24日" in lines[-1][1]
    with pytest.raises(Conflict) as again:
        ask(staff, petition, days=5)
    assert "只能延长一次" in again.value.message


def test_the_head_refuses_and_the_officer_may_ask_again(register: Any, staff: Any) -> None:
    petition = ask(staff, advance(register(), staff, "start"))
    with pytest.raises(InvalidInput) as bare:
        services.petition_act(actor=staff.secretary, petition=petition, action="refuse_extension")
    assert bare.value.field == "reason"
    petition = services.petition_act(
        actor=staff.secretary,
        petition=petition,
        action="refuse_extension",
        reason="未说明需要核实的具体事项",
    )
    assert timezone.localtime(petition.handle_due) == DUE and petition.extension_days == 0
    assert petition.extension_refusal == "未说明需要核实的具体事项"
    assert "refuse_extension" in petition.events.values_list("action", flat=True)
    petition = ask(staff, petition, days=20)
    assert petition.extension_requested_days == 20 and petition.extension_refusal == ""


def test_the_officer_who_asks_cannot_approve(register: Any, staff: Any) -> None:
    """A township secretary is both a handler and the township's head: not of their own ask."""
    petition = ask(staff, advance(register(), staff, "start"), actor=staff.secretary)
    assert "approve_extension" not in names(staff.secretary, petition)
    with pytest.raises(Conflict) as own:
        services.petition_act(actor=staff.secretary, petition=petition, action="approve_extension")
    assert "申请人不能审批本人" in own.value.message


def test_only_the_head_of_the_handling_unit(register: Any, staff: Any) -> None:
    """The police's head approves for the police, not for T1; the county center's director
    approves for a sub-center it houses, not for a department."""
    petition = ask(staff, advance(register(), staff, "start"))  # handled by T1
    with pytest.raises(NotFound):  # the police's head does not see T1's petition at all
        services.petition_act(
            actor=staff.police_head, petition=petition, action="approve_extension"
        )
    with pytest.raises(Forbidden):  # the director sees it, but T1 is no sub-center of his
        services.petition_act(actor=staff.director, petition=petition, action="approve_extension")
    police = services.petition_act(
        actor=staff.petition,
        petition=register(title="派出所不出警", category="other"),
        action="assign",
        handling_unit="320722-GAJ",
        route="department_duty",
    )
    police = services.petition_act(actor=staff.police, petition=police, action="accept")
    police = ask(staff, police, actor=staff.police)
    police = selectors.petition_get(user=staff.police_head, number=police.number)
    approved = services.petition_act(
        actor=staff.police_head, petition=police, action="approve_extension"
    )
    assert approved.extension_days == 30
    # A sub-center's head is the director of the center housing it.
    accusation = services.petition_act(
        actor=staff.petition,
        petition=register(kind="accusation", category="discipline", title="反映村干部"),
        action="assign",
    )
    accusation = services.petition_act(actor=staff.inspector, petition=accusation, action="accept")
    accusation = ask(staff, accusation, actor=staff.inspector)
    assert "approve_extension" in names(staff.director, accusation)


def test_the_pages_of_an_extension(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "start")
    officer = Client()
    officer.force_login(staff.township)
    form = officer.get(f"/petitions/{petition.number}/act/extend/").content.decode()
    assert "经本单位负责人批准" in form
    response = officer.post(
        f"/petitions/{petition.number}/act/extend/", {"days": "15", "reason": "需要补充鉴定"}
    )
    assert response.status_code == 302
    head = Client()
    head.force_login(staff.secretary)
    listing = head.get("/petitions/?pending_extension=on").content.decode()
    assert petition.number in listing and 'data-testid="tag-extension-pending"' in listing
    page = head.get(f"/petitions/{petition.number}/").content.decode()
    assert 'data-testid="extension-pending"' in page and "申请延长15日" in page
    assert 'data-testid="action-approve_extension"' in page
    head.post(f"/petitions/{petition.number}/act/approve_extension/", {"note": ""})
    assert Petition.objects.get(pk=petition.pk).extension_days == 15
    listing = head.get("/petitions/?pending_extension=on").content.decode()
    assert f"/petitions/{petition.number}/" not in listing


def test_an_extension_through_the_api(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "start")
    officer = Client()
    officer.force_login(staff.township)
    url = f"/api/v1/petitions/{petition.number}/act"
    body = officer.post(
        url, {"action": "extend", "days": 30, "reason": "情况复杂"}, content_type="application/json"
    ).json()
    assert body["extension_requested_days"] == 30 and body["extension_days"] == 0
    assert body["handle_due"].startswith("2027-01-25")
    head = Client()
    head.force_login(staff.secretary)
    body = head.post(url, {"action": "approve_extension"}, content_type="application/json").json()
    assert body["extension_days"] == 30 and body["handle_due"].startswith("2027-02-24")
