"""What can be registered: anonymous letters, accusations routed to discipline inspection,
law-related matters routed to the political-legal organs (第二十二条第二款)."""

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from zhili.core.errors import Conflict, InvalidInput
from zhili.petitions import documents, services
from zhili.petitions.models import State
from zhili.petitions.services import PersonIn


def act(user: Any, petition: Any, action: str, **params: Any) -> Any:
    return services.petition_act(actor=user, petition=petition, action=action, **params)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- anonymous letters ----------------------------------------------------------------------


def test_an_anonymous_letter_is_registered_and_handled(register: Any, staff: Any) -> None:
    petition = register(form="letter", is_anonymous=True, petitioners=[])
    assert petition.state == State.REGISTERED and petition.is_anonymous
    assert not petition.parties.exists() and petition.people_count == 1
    petition = act(
        staff.petition, petition, "assign", handling_unit="320722901", route="department_duty"
    )
    petition = act(staff.township, petition, "accept")
    petition = act(
        staff.township,
        petition,
        "reply",
        facts="经查属实",
        outcome="support",
        reply="已责成整改",
        basis="《村民委员会组织法》",
    )
    assert documents.available(petition) == []  # nobody to address them to
    assert "deliver" not in {t.name for t in services.actions_for(staff.township, petition)}
    with pytest.raises(Conflict):
        act(
            staff.township,
            petition,
            "deliver",
            delivered_on=date(2026, 11, 26),
            delivery_method="mail",
        )
    with pytest.raises(Conflict):
        act(staff.petition, petition, "request_review", reason="不服")
    assert act(staff.petition, petition, "close").state == State.CLOSED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"form": "visit"}, "form"),
        ({"form": "call"}, "form"),
        ({"form": "letter"}, "petitioners"),  # with the fixture's petitioner
        ({"form": "letter", "petitioners": [], "is_group": True}, "is_group"),
    ],
)
def test_what_an_anonymous_petition_cannot_be(register: Any, overrides: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        register(is_anonymous=True, **overrides)
    assert refused.value.field == field


def test_an_anonymous_letter_on_the_page_and_the_api(staff: Any) -> None:
    client = client_for(staff.petition)
    response = client.post(
        "/petitions/register/",
        {
            "form": "letter",
            "kind": "accusation",
            "category": "discipline",
            "township": "",
            "title": "举报村干部挪用集体资金",
            "matter": "村干部挪用集体土地租金，请求查处。",
            "people_count": "1",
            "is_anonymous": "on",
            "person_name": [""],
            "person_id_number": [""],
            "person_phone": [""],
            "person_address": [""],
        },
        follow=True,
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="anonymous-badge"' in body
    assert 'data-testid="anonymous-note"' in body
    api = client.post(
        "/api/v1/petitions",
        {
            "form": "online",
            "kind": "suggestion",
            "category": "urban",
            "title": "建议增设路灯",
            "matter": "村口到公路一段没有路灯，夜间出行不便。",
            "is_anonymous": True,
        },
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    assert api.json()["is_anonymous"] is True and api.json()["parties"] == []


# --- routes of the law ----------------------------------------------------------------------


def test_an_accusation_is_routed_to_discipline_inspection(register: Any, staff: Any) -> None:
    petition = register(kind="accusation", category="discipline", title="举报村干部优亲厚友")
    detail = client_for(staff.petition).get(f"/api/v1/petitions/{petition.number}").json()
    assert detail["route_target"] == {"code": "320722-JJJC", "name": "纪检监察举报中心"}
    page = client_for(staff.petition).get(f"/petitions/{petition.number}/").content.decode()
    assert 'data-testid="route-target"' in page and "纪检监察举报中心" in page
    petition = act(staff.petition, petition, "assign")
    assert petition.handling_unit == staff.jjjc


def test_a_law_related_matter_is_routed_to_the_political_legal_organs(
    register: Any, staff: Any
) -> None:
    petition = register(category="law", title="对民事判决执行不满")
    with pytest.raises(InvalidInput) as refused:
        act(staff.petition, petition, "assign", handling_unit="320722901", route="litigation")
    assert refused.value.field == "handling_unit"
    assert refused.value.message == (
        "涉法涉诉信访事项应转送涉法涉诉联合接访中心（政法机关，《信访工作条例》第二十二条第二款）"
    )
    form = client_for(staff.petition).get(f"/petitions/{petition.number}/act/assign/")
    chosen = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', form.content.decode())
    assert "320722-SFSS" in chosen
    petition = act(staff.petition, petition, "assign", route="litigation")
    assert petition.handling_unit == staff.sfss


def test_the_registration_page_shows_the_routes(staff: Any) -> None:
    body = client_for(staff.petition).get("/petitions/register/").content.decode()
    assert 'data-testid="petition-routes"' in body and "第二十二条第二款" in body
    assert "检举控告类信访事项转送纪检监察机关：<strong>纪检监察举报中心</strong>" in body
    assert "涉法涉诉信访事项转送政法机关：<strong>涉法涉诉联合接访中心</strong>" in body


def test_a_route_is_configured_in_one_place(register: Any, staff: Any, settings: Any) -> None:
    settings.ZHILI_PETITION_ROUTES = {"law": "-GAJ"}
    petition = act(staff.petition, register(category="law"), "assign", route="litigation")
    assert petition.handling_unit.code == "320722-GAJ"
    settings.ZHILI_PETITION_ROUTES = {"law": "-FY"}  # no such unit
    with pytest.raises(InvalidInput) as refused:
        act(staff.petition, register(category="law", title="另一件"), "assign", route="litigation")
    assert "未配置涉法涉诉信访事项的接收单位" in refused.value.message


def test_an_anonymous_accusation_goes_the_same_way(register: Any, staff: Any) -> None:
    petition = register(
        form="letter", is_anonymous=True, petitioners=[], kind="accusation", category="other"
    )
    assert act(staff.petition, petition, "assign").handling_unit == staff.jjjc


def test_a_claim_with_a_person_is_not_routed(register: Any, staff: Any) -> None:
    petition = register(petitioners=[PersonIn(name="李德明")])
    detail = client_for(staff.petition).get(f"/api/v1/petitions/{petition.number}").json()
    assert detail["route_target"] is None
