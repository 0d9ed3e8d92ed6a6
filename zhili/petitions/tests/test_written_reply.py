"""The 答复意见书 states what 第三十二条第一款 asks: the requests, the facts found, the outcome
(支持 / 解释说明 / 不支持) with the opinion and its legal basis, and the way to a review with
its time limit (第三十五条)."""

from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from docx import Document

from zhili.petitions import documents, services
from zhili.petitions.models import Outcome
from zhili.petitions.tests.conftest import advance


def reply(staff: Any, petition: Any, **params: Any) -> Any:
    values = {
        "requests": "要求足额发放征地补偿款",
        "facts": "经查，补偿款已拨付到村，村委会未及时发放。",
        "outcome": "support",
        "reply": "责成村委会十日内足额发放。",
        "basis": "《中华人民共和国土地管理法》第四十八条",
    }
    values.update(params)
    return services.petition_act(actor=staff.township, petition=petition, action="reply", **values)


def text_of(content: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(content)).paragraphs]


def test_the_reply_states_every_part(register: Any, staff: Any) -> None:
    petition = reply(staff, advance(register(), staff, "start"))
    lines = text_of(documents.render_petition_docx(petition, "reply"))
    for heading, content in [
        ("一、信访请求", "要求足额发放征地补偿款"),
        ("二、查明的事实", "经查，补偿款已拨付到村，村委会未及时发放。"),
        ("三、处理意见", "经研究，对你（们）的信访请求予以支持。"),
        ("四、法律法规及政策依据", "《中华人民共和国土地管理法》第四十八条"),
    ]:
        assert lines[lines.index(heading) + 1] == content
    assert "责成村委会十日内足额发放。" in lines
    route = lines[lines.index("五、复查途径") + 1]
    assert route == (
        "如对本答复意见不服，可以自收到本答复意见书之日起30日内向东海县综治中心请求复查"
        "（《信访工作条例》第三十五条）。"
    )
    assert any("依照《信访工作条例》第三十二条第一款的规定" in line for line in lines)


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        (Outcome.SUPPORT, "予以支持"),
        (Outcome.EXPLAIN, "作出解释说明"),
        (Outcome.REJECT, "不予支持"),
    ],
)
def test_each_outcome_is_worded(register: Any, staff: Any, outcome: str, words: str) -> None:
    petition = reply(staff, advance(register(), staff, "start"), outcome=outcome)
    assert petition.reply_outcome == outcome
    text = "\n".join(text_of(documents.render_petition_docx(petition, "reply")))
    assert f"经研究，对你（们）的信访请求{words}。" in text


def test_the_requests_default_to_the_matter(register: Any, staff: Any) -> None:
    petition = reply(staff, advance(register(), staff, "start"), requests="")
    assert petition.reply_requests == petition.matter


def test_the_reply_form_asks_for_every_part(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "start")
    client = Client()
    client.force_login(staff.township)
    form = client.get(f"/petitions/{petition.number}/act/reply/").content.decode()
    for name in ("requests", "facts", "outcome", "reply", "basis"):
        assert f'name="{name}"' in form
    assert "支持" in form and "解释说明" in form and "不支持" in form
    assert "第三十二条第一款" in form
    response = client.post(
        f"/petitions/{petition.number}/act/reply/",
        {"requests": "", "facts": "已查明", "outcome": "", "reply": "已处理", "basis": ""},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-outcome"' in body and 'data-testid="error-basis"' in body


def test_the_api_and_the_dossier_show_them(register: Any, staff: Any) -> None:
    petition = reply(staff, advance(register(), staff, "start"), outcome="explain")
    client = Client()
    client.force_login(staff.petition)
    body = client.get(f"/api/v1/petitions/{petition.number}").json()
    assert body["reply_outcome"] == "explain" and body["reply_requests"] == "要求足额发放征地补偿款"
    assert body["reply_basis"] == "《中华人民共和国土地管理法》第四十八条"
    page = client.get(f"/petitions/{petition.number}/").content.decode()
    assert 'data-testid="reply-outcome"' in page and "解释说明" in page
