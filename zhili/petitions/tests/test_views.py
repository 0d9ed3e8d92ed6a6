"""The petition pages: register, list, dossier, actions in place, documents, reveal, the
key-petitioner register's gate and audit, and the petition on the supervision order page."""

from datetime import datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from docx import Document

from zhili.core.models import AuditLog
from zhili.core.outbox import deliver_pending
from zhili.petitions import services
from zhili.petitions.models import KeyPetitioner, Petition, State
from zhili.petitions.sweep import sweep_cards
from zhili.petitions.tests.conftest import ID_A, ID_B, ID_C, ID_D, ID_E, ID_F, advance
from zhili.supervision.models import SupervisionOrder

TZ = ZoneInfo("Asia/Shanghai")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post_person(data: dict, rows: list[tuple[str, str, bool]]) -> dict:
    data["person_name"] = [r[0] for r in rows]
    data["person_id_number"] = [r[1] for r in rows]
    data["person_phone"] = ["" for _ in rows]
    data["person_address"] = ["" for _ in rows]
    data["person_rep"] = [str(i) for i, r in enumerate(rows) if r[2]]
    return data


BASE = {
    "form": "visit",
    "kind": "claim",
    "category": "land",
    "township": "",
    "title": "征地补偿款未足额发放",
    "matter": "村里修路征收承包地，补偿款只发了一半。",
    "people_count": "1",
}


def test_register_page_and_a_registration(staff: Any) -> None:
    client = client_for(staff.petition)
    page = client.get("/petitions/register/")
    assert page.status_code == 200 and "登记信访事项" in page.content.decode()
    data = _post_person(dict(BASE), [("王秀英", ID_A, False)])
    response = client.post("/petitions/register/", data)
    petition = Petition.objects.get()
    assert response.status_code == 302 and response.url == f"/petitions/{petition.number}/"
    assert petition.parties.get().petitioner.name == "王秀英"


def test_six_representatives_on_the_page_name_the_field(staff: Any) -> None:
    rows = [(f"代表{i}", n, True) for i, n in enumerate([ID_A, ID_B, ID_C, ID_D, ID_E, ID_F])]
    data = _post_person({**BASE, "is_group": "on", "people_count": "30"}, rows)
    response = client_for(staff.petition).post("/petitions/register/", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="error-representatives"' in body and "不超过5人" in body
    assert not Petition.objects.exists()


def test_the_list_is_scoped_and_filtered(register: Any, staff: Any) -> None:
    mine = advance(register(), staff, "assign")  # to T1
    other = register(title="噪音扰民", category="environment")
    services.petition_act(
        actor=staff.petition,
        petition=other,
        action="assign",
        handling_unit="320722902",
        route="department_duty",
    )
    body = client_for(staff.township).get("/petitions/").content.decode()
    assert mine.number in body and other.number not in body
    body = client_for(staff.petition).get("/petitions/?category=environment").content.decode()
    assert other.number in body and mine.number not in body
    assert client_for(staff.police).get("/petitions/").status_code == 200
    assert client_for(staff.village).get("/petitions/").status_code == 403


def test_the_dossier_and_an_action_in_place(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    client = client_for(staff.township)
    page = client.get(f"/petitions/{petition.number}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "320722********0017" in body and ID_A not in body  # masked
    assert 'data-testid="action-accept"' in body
    form = client.get(f"/petitions/{petition.number}/act/accept/", HTTP_HX_REQUEST="true")
    assert 'data-testid="action-form-accept"' in form.content.decode()
    done = client.post(f"/petitions/{petition.number}/act/accept/", {}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and "已受理" in done.content.decode()
    petition.refresh_from_db()
    assert petition.state == State.ACCEPTED


def test_an_action_error_names_the_field(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "start")
    response = client_for(staff.township).post(
        f"/petitions/{petition.number}/act/extend/",
        {"days": "45", "reason": "复杂"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and 'data-testid="error-days"' in response.content.decode()


def test_other_townships_get_404(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    client = client_for(staff.township2)
    assert client.get(f"/petitions/{petition.number}/").status_code == 404
    assert client.post(f"/petitions/{petition.number}/act/accept/").status_code == 404
    assert client.get(f"/petitions/{petition.number}/document/acceptance/").status_code == 404


def test_the_written_reply_document(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    response = client_for(staff.township).get(f"/petitions/{petition.number}/document/reply/")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert "答复意见书" in text and "王秀英" in text
    assert "经查，补偿款已拨付到村" in text and "责成村委会十日内足额发放" in text
    # The window runs from the day the petitioner receives it: no date can be printed yet.
    assert "自收到本答复意见书之日起30日内" in text and "请求复查" in text
    assert "《信访工作条例》第三十五条" in text
    assert "东海县综治中心" in text  # T1's parent: where the review is requested
    tables = Document(BytesIO(response.content)).tables
    assert petition.number in tables[0].cell(0, 1).text


def test_the_acceptance_notice_and_a_missing_document(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "accept")
    client = client_for(staff.petition)
    doc = client.get(f"/petitions/{petition.number}/document/acceptance/")
    text = "\n".join(p.text for p in Document(BytesIO(doc.content)).paragraphs)
    assert "受理告知书" in text and "60日内" in text and "2027年01月25日" in text
    assert client.get(f"/petitions/{petition.number}/document/reply/").status_code == 404


def test_reveal_is_audited(register: Any, staff: Any) -> None:
    petition = register()
    person = petition.parties.get().petitioner
    response = client_for(staff.petition).post(
        f"/petitions/{petition.number}/reveal/{person.pk}/id_number/"
    )
    assert ID_A in response.content.decode()
    log = AuditLog.objects.get(action="personal_data.reveal")
    assert log.target_type == "petitions.petitioner" and log.extra == {"field": "id_number"}


# --- key petitioners ------------------------------------------------------------------------


@pytest.fixture
def key_record(register: Any, staff: Any) -> KeyPetitioner:
    petition = register()
    return services.key_petitioner_list(
        actor=staff.petition,
        petitioner=petition.parties.get().petitioner,
        reason="多次进京非访",
        level="high",
        responsible_unit="320722901",
    )


@pytest.mark.parametrize("who", ["petition", "leader", "secretary"])
def test_key_register_open_to_petition_staff_and_leaders_and_audited(
    key_record: KeyPetitioner, staff: Any, who: str
) -> None:
    client = client_for(getattr(staff, who))
    listing = client.get("/petitions/key-petitioners/")
    assert listing.status_code == 200 and "王秀英" in listing.content.decode()
    detail = client.get(f"/petitions/key-petitioners/{key_record.pk}/")
    assert detail.status_code == 200 and "多次进京非访" in detail.content.decode()
    actions = list(
        AuditLog.objects.filter(actor=getattr(staff, who)).values_list("action", flat=True)
    )
    assert "petitions.key_petitioner.view_list" in actions
    assert "petitions.key_petitioner.view" in actions


@pytest.mark.parametrize("who", ["admin", "dispatcher", "police", "township", "outsider"])
def test_key_register_closed_to_everyone_else(
    key_record: KeyPetitioner, staff: Any, who: str
) -> None:
    user = getattr(staff, who)
    if who == "admin":
        user.is_superuser = True
        user.save()
    client = client_for(user)
    assert client.get("/petitions/key-petitioners/").status_code == 404
    assert client.get(f"/petitions/key-petitioners/{key_record.pk}/").status_code == 404


def test_key_flag_shows_only_to_readers(key_record: KeyPetitioner, staff: Any) -> None:
    petition = Petition.objects.get()
    assert (
        "重点上访人员"
        in client_for(staff.petition).get(f"/petitions/{petition.number}/").content.decode()
    )
    advance(petition, staff, "assign")
    body = client_for(staff.township).get(f"/petitions/{petition.number}/").content.decode()
    assert 'title="重点上访人员"' not in body


def test_adding_a_key_petitioner_from_the_dossier(register: Any, staff: Any) -> None:
    petition = register()
    person = petition.parties.get().petitioner
    response = client_for(staff.petition).post(
        f"/petitions/{petition.number}/key/{person.pk}/",
        {"level": "close", "responsible_unit": "320722901", "reason": "反复信访", "measures": ""},
    )
    record = KeyPetitioner.objects.get()
    assert response.status_code == 302 and record.responsible_path == "/320722/320722901/"
    assert (
        client_for(staff.township).get(f"/petitions/{petition.number}/key/{person.pk}/").status_code
        == 404
    )


def test_the_supervision_order_page_shows_the_petition(register: Any, staff: Any) -> None:
    with time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=TZ)):
        petition = advance(register(), staff, "accept")
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=TZ)):
        sweep_cards()
        deliver_pending(worker_id="t")
    order = SupervisionOrder.objects.get()
    body = client_for(staff.township).get(f"/supervision/{order.number}/").content.decode()
    assert "督办的信访事项" in body and petition.number in body
    assert f'href="/petitions/{petition.number}/"' in body
    doc = client_for(staff.township).get(f"/supervision/{order.number}/document/")
    tables = Document(BytesIO(doc.content)).tables
    assert petition.number in tables[0].cell(0, 1).text
    listing = client_for(staff.dispatcher).get("/supervision/?state=issued").content.decode()
    assert petition.number in listing


def _doc_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)


def test_the_not_accepted_and_extension_notices(register: Any, staff: Any) -> None:
    refused = services.petition_act(
        actor=staff.petition,
        petition=register(),
        action="not_accept",
        reason="该事项已进入诉讼程序",
        where="请向东海县人民法院依法主张权利",
    )
    client = client_for(staff.petition)
    text = _doc_text(client.get(f"/petitions/{refused.number}/document/not_accepted/").content)
    assert "不予受理告知书" in text and "已进入诉讼程序" in text and "东海县人民法院" in text
    extended = services.petition_act(
        actor=staff.township,
        petition=advance(register(title="另一件"), staff, "start"),
        action="extend",
        days=30,
        reason="涉及多个部门联合核查",
    )
    extended = services.petition_act(
        actor=staff.secretary, petition=extended, action="approve_extension"
    )
    text = _doc_text(client.get(f"/petitions/{extended.number}/document/extension/").content)
    assert "延期办理告知书" in text and "延长30日" in text and "涉及多个部门联合核查" in text
    assert "《信访工作条例》第三十四条" in text and "2027年02月24日" in text


def test_the_handling_unit_answers_the_petition_order(register: Any, staff: Any) -> None:
    from zhili.supervision.services import order_answer, order_close

    with time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=TZ)):
        advance(register(), staff, "accept")
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=TZ)):
        sweep_cards()
        deliver_pending(worker_id="t")
    order = SupervisionOrder.objects.get()
    order = order_answer(actor=staff.township, order=order, cause="人手不足", measures="专人跟进")
    order = order_close(actor=staff.dispatcher, order=order, note="同意")
    assert order.state == "closed"


def test_a_petition_without_a_township_shows_its_page(register: Any, staff: Any) -> None:
    """问题属地 is optional: the dossier and the list show "—" (they answered 500 before)."""
    petition = register(township="")
    client = client_for(staff.petition)
    page = client.get(f"/petitions/{petition.number}/")
    assert page.status_code == 200 and "<dt>问题属地</dt><dd>—</dd>" in page.content.decode()
    assert client.get("/petitions/").status_code == 200
