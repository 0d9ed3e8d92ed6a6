"""Portal fixtures: the case fixtures, the browser fixtures, and a citizen who can read the
page's arithmetic question and answer it, as a person would."""

import re
from typing import Any

import pytest
from django.test import Client

from zhili.cases.models import Channel
from zhili.cases.services import case_act
from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.core.roles import Role
from zhili.portal.challenge import chinese_number
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PHONE = "13912345678"
_NUMBERS = {chinese_number(n): n for n in range(100)}
_QUESTION = re.compile(r"^(\w+?)(加|减|乘以)(\w+?)等于几")
_TOKEN = re.compile(r'name="challenge_token" value="([^"]+)"')
_Q_TEXT = re.compile(r'data-testid="challenge-question">([^<]+)<')


def solve(question: str) -> str:
    match = _QUESTION.match(question)
    assert match, question
    a, op, b = _NUMBERS[match[1]], match[2], _NUMBERS[match[3]]
    return str({"加": a + b, "减": a - b, "乘以": a * b}[op])


def challenge_of(html: str) -> tuple[str, str]:
    """(token, right answer) of the challenge on a rendered report page."""
    return _TOKEN.search(html)[1], solve(_Q_TEXT.search(html)[1])  # type: ignore[index]


class Citizen:
    def __init__(self, client: Client):
        self.client = client

    def challenge(self) -> tuple[str, str]:
        return challenge_of(self.client.get("/citizen/").content.decode())

    def report(self, answer: str | None = None, token: str | None = None, **fields: Any):
        if token is None:
            token, right = self.challenge()
            answer = right if answer is None else answer
        data = {
            "category": "HJ01",
            "lat": "34.505",
            "lng": "118.705",
            "address": "",
            "description": "小区旁工地每晚施工到凌晨，噪音很大，影响休息",
            "reporter_phone": PHONE,
            "reporter_name": "王先生",
            "challenge_token": token,
            "challenge_answer": answer,
            "website": "",
        }
        data.update(fields)
        data = {k: v for k, v in data.items() if v is not None}
        return self.client.post("/citizen/", data)

    def lookup(self, case_no: str, tail: str):
        return self.client.post("/citizen/progress/", {"case_no": case_no, "phone_tail": tail})


@pytest.fixture
def citizen(db: Any) -> Citizen:
    return Citizen(Client())


SECRET_TITLE = "东门菜场夜间卸货噪音"
SECRET_TEXT = "每天凌晨三点卸货，叉车来回，吵得孩子睡不着"
REPLY = "已约谈菜场管理方，卸货时间调整至早上六点以后"
RETURN_REASON = "内部备注：该户曾多次投诉"


@pytest.fixture
def handler(tree, make_user):
    return make_user("zhangxm", tree.t1, Role.TOWNSHIP_OFFICER, full_name="张晓明")


@pytest.fixture
def web_case(register, staff):  # noqa: F811  (the fixtures imported above)
    return register(
        channel=Channel.WEB,
        actor=None,
        title=SECRET_TITLE,
        description=SECRET_TEXT,
        reporter_name="李女士",
        reporter_phone=PHONE,
    )


def replied(case, people, handler):
    case = case_act(actor=people.dispatcher, case=case, action="dispatch")
    case = case_act(actor=handler, case=case, action="acknowledge")
    return case_act(actor=handler, case=case, action="reply", reply=REPLY)


def closed(case, people, handler):
    return case_act(actor=people.dispatcher, case=replied(case, people, handler), action="close")
