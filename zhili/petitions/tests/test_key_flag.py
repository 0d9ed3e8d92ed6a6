"""A petitioner on the key-petitioner register is flagged at registration, to the roles that
may see the register (petition staff, leaders) and to nobody else; the flag is audited."""

from typing import Any

import pytest
from django.test import Client

from zhili.core.models import AuditLog
from zhili.petitions import services
from zhili.petitions.models import Petition, Petitioner
from zhili.petitions.tests.conftest import ID_A, advance

FORM = {
    "form": "visit",
    "kind": "claim",
    "category": "land",
    "township": "",
    "title": "土地征收补偿款未足额发放",
    "matter": "村里修路征收承包地，补偿款只发了一半。",
    "people_count": "1",
    "person_name": ["王秀英"],
    "person_id_number": [ID_A],
    "person_phone": [""],
    "person_address": [""],
}


@pytest.fixture
def listed(register: Any, staff: Any) -> Petitioner:
    """王秀英 petitioned once and was put on the register (高度关注, T1 responsible)."""
    first = advance(register(), staff, "close")
    person = first.parties.get().petitioner
    services.key_petitioner_list(
        actor=staff.petition,
        petitioner=person,
        reason="多次重复信访",
        level="high",
        responsible_unit="320722901",
    )
    return person


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_registering_officer_is_told(listed: Petitioner, staff: Any) -> None:
    response = client_for(staff.petition).post("/petitions/register/", FORM, follow=True)
    body = response.content.decode()
    assert "重点上访人员：王秀英（高度关注，责任单位甲镇综治中心）" in body
    assert 'data-testid="key-flag"' in body
    petition = Petition.objects.latest("id")
    assert AuditLog.objects.filter(
        action="petitions.key_petitioner.flag", actor=staff.petition, target_id=str(petition.pk)
    ).exists()


def test_the_roles_that_see_the_register_see_the_flag(
    listed: Petitioner, register: Any, staff: Any
) -> None:
    petition = advance(register(title="再次反映补偿款"), staff, "assign")
    for user in (staff.leader, staff.secretary):  # T1's secretary: may see the register
        assert (
            'data-testid="key-flag"'
            in client_for(user).get(f"/petitions/{petition.number}/").content.decode()
        )
    # The handling unit's officer and the administrator do not hold the register.
    for user in (staff.township, staff.admin):
        page = client_for(user).get(f"/petitions/{petition.number}/").content.decode()
        assert 'data-testid="key-flag"' not in page and "重点上访人员" not in page


def test_the_api_flags_it_to_those_roles_only(
    listed: Petitioner, register: Any, staff: Any
) -> None:
    response = client_for(staff.petition).post(
        "/api/v1/petitions",
        {
            "form": "visit",
            "kind": "claim",
            "category": "land",
            "title": "补偿款问题",
            "matter": "补偿款只发了一半，要求足额发放。",
            "petitioners": [{"name": "王秀英", "id_number": ID_A}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    flags = response.json()["key_petitioners"]
    assert flags == [
        {
            "petitioner_id": listed.pk,
            "name": "王秀英",
            "level": "high",
            "level_label": "高度关注",
            "responsible_unit": {"code": "320722901", "name": "甲镇综治中心"},
        }
    ]
    number = response.json()["number"]
    services.petition_act(
        actor=staff.petition,
        petition=Petition.objects.get(number=number),
        action="assign",
        handling_unit="320722901",
        route="department_duty",
    )
    assert (
        client_for(staff.township).get(f"/api/v1/petitions/{number}").json()["key_petitioners"]
        == []
    )


def test_an_ended_record_flags_nothing(listed: Petitioner, register: Any, staff: Any) -> None:
    record = listed.key_record
    services.key_petitioner_end(actor=staff.petition, record=record, reason="已化解")
    body = client_for(staff.petition).post("/petitions/register/", FORM, follow=True)
    assert 'data-testid="key-flag"' not in body.content.decode()
