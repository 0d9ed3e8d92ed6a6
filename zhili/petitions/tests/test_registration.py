"""Registering petitions: petitioners, group visits, the choices, numbers, repeats."""

from typing import Any

import pytest

from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.petitions import services
from zhili.petitions.models import Petition, Petitioner, State
from zhili.petitions.services import PersonIn
from zhili.petitions.tests.conftest import (
    ID_A,
    ID_B,
    ID_C,
    ID_D,
    ID_E,
    ID_F,
    ID_G,
    advance,
    registration,
)

SIX = [ID_A, ID_B, ID_C, ID_D, ID_E, ID_F]


def test_registration_numbers_dates_parties_and_audit(register: Any, staff: Any) -> None:
    petition = register()
    assert petition.number == "XF2026-000001"
    assert petition.state == State.REGISTERED
    assert petition.registering_unit.code == "320722-XFJD"
    assert petition.registering_path == "/320722/320722-XFJD/"
    party = petition.parties.get()
    assert party.petitioner.id_number == ID_A and party.petitioner.phone == "13805181234"
    assert petition.events.get().action == "register"
    assert AuditLog.objects.filter(action="petitions.petition.register").count() == 1
    assert register().number == "XF2026-000002"


def test_the_same_person_is_one_petitioner(register: Any) -> None:
    register()
    register(petitioners=[PersonIn(name="王秀英", id_number=ID_A, address="甲一村3组")])
    assert Petitioner.objects.count() == 1
    assert Petitioner.objects.get().address == "甲一村3组"  # filled in, not overwritten


def test_a_group_visit_with_six_representatives_is_refused_naming_the_field(register: Any) -> None:
    people = [PersonIn(name=f"代表{i}", id_number=n) for i, n in enumerate(SIX)]
    with pytest.raises(InvalidInput) as refused:
        register(is_group=True, people_count=60, representatives=people, petitioners=[])
    assert refused.value.field == "representatives"
    assert "不超过5人" in refused.value.message and "现为6人" in refused.value.message
    assert not Petition.objects.exists() and not Petitioner.objects.exists()


def test_a_group_visit_with_five_representatives_is_registered(register: Any) -> None:
    people = [PersonIn(name=f"代表{i}", id_number=n) for i, n in enumerate(SIX[:5])]
    others = [PersonIn(name="李群众", id_number=ID_G)]
    petition = register(is_group=True, people_count=40, representatives=people, petitioners=others)
    assert petition.is_group and petition.people_count == 40
    assert petition.parties.filter(is_representative=True).count() == 5
    assert petition.parties.filter(is_representative=False).count() == 1


def test_a_group_visit_needs_representatives(register: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        register(is_group=True, people_count=20)
    assert refused.value.field == "representatives"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"form": "email"}, "form"),
        ({"kind": "other"}, "kind"),
        ({"category": "x"}, "category"),
        ({"kind": "suggestion", "route": "litigation"}, "route"),
        ({"title": " "}, "title"),
        ({"matter": "短"}, "matter"),
        ({"township": "999"}, "township"),
        ({"petitioners": []}, "petitioners"),
        (
            {"petitioners": [PersonIn(name="张三", id_number="320722198503150018")]},
            "petitioners[0].id_number",
        ),
        ({"petitioners": [PersonIn(name="张三", phone="12345")]}, "petitioners[0].phone"),
        ({"people_count": 0}, "people_count"),
    ],
)
def test_bad_input_names_the_field(register: Any, overrides: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        register(**overrides)
    assert refused.value.field == field


def test_a_received_time_in_the_future_is_refused(register: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(InvalidInput) as refused:
        register(received_at=timezone.now() + timedelta(days=1))
    assert refused.value.field == "received_at"


@pytest.mark.parametrize("who", ["dispatcher", "police", "township", "village", "outsider"])
def test_only_petition_officers_register(register: Any, staff: Any, who: str) -> None:
    with pytest.raises(Forbidden):
        register(actor=getattr(staff, who))


def _through_re_review(petition: Petition, staff: Any) -> Petition:
    petition = advance(petition, staff, "reply")
    for action, params in [
        ("request_review", {"reason": "补偿标准过低"}),
        ("decide_review", {"opinion": "维持原处理意见"}),
        ("request_re_review", {"reason": "仍不服"}),
        ("decide_re_review", {"opinion": "复核维持"}),
        ("close", {}),
    ]:
        petition = services.petition_act(
            actor=staff.petition, petition=petition, action=action, **params
        )
    return petition


def test_the_same_matter_after_re_review_is_registered_as_not_accepted(
    register: Any, staff: Any
) -> None:
    original = _through_re_review(register(), staff)
    again = register(title="再次反映征地补偿问题", form="letter")
    assert again.repeat_of == original
    assert again.repeat_flag == "已经复核终结，同一事实和理由不再受理"
    assert again.state == State.NOT_ACCEPTED
    assert original.number in again.not_accepted_reason
    assert [e.action for e in again.events.all()] == ["register", "not_accept"]
    assert again.due_at is None  # no time limit runs on it


def test_new_facts_override_the_repeat_but_keep_the_flag(register: Any, staff: Any) -> None:
    original = _through_re_review(register(), staff)
    again = register(repeat_override="提供了新的测量报告，面积与原认定不一致")
    assert again.state == State.REGISTERED and again.repeat_of == original
    assert again.repeat_flag and again.repeat_override.startswith("提供了新的测量报告")


def test_another_matter_of_the_same_petitioner_is_not_a_repeat(register: Any, staff: Any) -> None:
    _through_re_review(register(), staff)
    other = register(
        title="孩子入学难",
        matter="孩子今年上小学，学校说户籍不符不能入学。",
        category="education_health",
    )
    assert other.repeat_of is None and other.state == State.REGISTERED


def test_before_re_review_a_second_petition_is_not_a_repeat(register: Any, staff: Any) -> None:
    advance(register(), staff, "close")
    assert register().repeat_of is None


def test_a_known_id_number_with_another_name_is_refused(register: Any) -> None:
    register()
    with pytest.raises(InvalidInput) as refused:
        register(petitioners=[PersonIn(name="王秀华", id_number=ID_A)])
    assert refused.value.field == "petitioners[0].id_number" and "王秀英" in refused.value.message


def test_a_second_matter_in_the_same_category_is_registered(register: Any, staff: Any) -> None:
    """The same petitioner, the same content category (land), another request: a new matter,
    not the one closed by re-review."""
    original = _through_re_review(register(), staff)
    other = register(
        title="宅基地确权登记面积有误",
        matter="我家宅基地确权时登记面积比实际少三十平方米，申请更正未果，要求重新测量登记。",
        category="land",
    )
    assert other.category == original.category
    assert other.repeat_of is None and other.state == State.REGISTERED


def test_the_same_request_in_other_words_is_still_the_same_matter(
    register: Any, staff: Any
) -> None:
    original = _through_re_review(register(), staff)
    again = register(
        title="征收补偿款未足额发放",
        matter="村里修路征收我家承包地2亩，补偿款至今只发了一半，要求足额发放。",
        category="rural",
    )
    assert again.repeat_of == original and again.state == State.NOT_ACCEPTED


def test_the_same_matter_still_being_handled_is_flagged(register: Any, staff: Any) -> None:
    first = advance(register(), staff, "accept")  # at T1, accepted
    again = register(form="letter", title="再次反映征地补偿款问题")
    assert again.state == State.REGISTERED and again.repeat_of is None
    assert again.pending_of == first
    assert again.pending_flag == (
        f"同一信访人就同一事项已有信访件 {first.number} 正在办理（甲镇综治中心，已受理）"
    )
    other = register(
        title="孩子入学难",
        matter="孩子今年上小学，学校说户籍不符不能入学。",
        category="education_health",
    )
    assert other.pending_of is None


def test_another_petitioner_with_the_same_text_is_not_flagged(register: Any, staff: Any) -> None:
    advance(register(), staff, "assign")
    other = register(petitioners=[PersonIn(name="李德明", id_number=ID_B)])
    assert other.pending_of is None


def test_the_pending_flag_on_the_page_and_the_api(register: Any, staff: Any) -> None:
    from django.test import Client

    first = advance(register(), staff, "assign")
    client = Client()
    client.force_login(staff.petition)
    data = {
        "form": "letter",
        "kind": "claim",
        "category": "land",
        "township": "",
        "title": "土地征收补偿款未足额发放",
        "matter": registration().matter,
        "people_count": "1",
        "person_name": ["王秀英"],
        "person_id_number": [ID_A],
        "person_phone": [""],
        "person_address": [""],
    }
    response = client.post("/petitions/register/", data, follow=True)
    body = response.content.decode()
    assert 'data-testid="pending-flag"' in body and first.number in body
    again = Petition.objects.exclude(pk=first.pk).get()
    detail = client.get(f"/api/v1/petitions/{again.number}").json()
    assert detail["pending_of"] == first.number and "正在办理" in detail["pending_flag"]
