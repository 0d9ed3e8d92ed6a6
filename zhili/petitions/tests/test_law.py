"""The one table of the 信访工作条例's articles (zhili.petitions.law) and the one table of its
limits (zhili.petitions.deadlines.LIMITS): what they say, that nothing else prints an article
number or a number of days, and that changing a limit changes the printed text."""

import ast
import re
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from docx import Document

from zhili.core.errors import InvalidInput
from zhili.petitions import deadlines, documents, law, services
from zhili.petitions.forms import ExtendForm
from zhili.petitions.tests.conftest import advance

ROOT = Path(__file__).resolve().parents[3]
ARTICLE = re.compile(r"第[一二三四五六七八九十百]+条")
# A number of days printed as text: "15日", "30天", "5个工作日".
DAYS = re.compile(r"\d+\s*(?:日|天|个工作日)(?!期)")


@pytest.mark.parametrize(
    ("key", "printed"),
    [
        ("representatives", "第十八条"),
        ("rating", "第二十一条第二款"),
        ("transfer", "第二十二条第一款"),
        ("routing", "第二十二条第二款"),
        ("direct_notice", "第二十三条第二款"),
        ("transferred", "第二十三条第三款"),
        ("claim_routes", "第三十一条"),
        ("reply", "第三十二条第一款"),
        ("handling", "第三十四条"),
        ("review", "第三十五条"),
        ("re_review", "第三十六条第一款"),
        ("hearing", "第三十六条第二款"),
        ("final", "第三十六条第三款"),
    ],
)
def test_each_article_is_numbered_as_in_the_2022_text(key: str, printed: str) -> None:
    assert law.ref(key) == printed
    assert law.cite(key) == f"《信访工作条例》{printed}"
    assert law.ARTICLES[key].says


def test_the_limits_name_their_articles() -> None:
    """The 15 days of transfer are in 第二十二条 and of the notice in 第二十三条 (not
    第二十四条); the 60 + 30 days in 第三十四条 (not the 2005 第三十二/三十三条)."""
    assert deadlines.article("transfer") == "《信访工作条例》第二十二条第一款"
    assert deadlines.article("accept") == "《信访工作条例》第二十三条第三款"
    assert deadlines.article("hand_back") == "《信访工作条例》第二十三条第三款"
    assert deadlines.text("hand_back") == "5个工作日"
    assert (
        deadlines.article("handle")
        == deadlines.article("extension")
        == "《信访工作条例》第三十四条"
    )
    assert deadlines.article("review_request") == "《信访工作条例》第三十五条"
    assert deadlines.article("re_review") == "《信访工作条例》第三十六条第一款"
    assert {name: limit.days for name, limit in deadlines.LIMITS.items()} == {
        "transfer": 15,
        "accept": 15,
        "hand_back": 5,
        "handle": 60,
        "extension": 30,
        "review_request": 30,
        "review": 30,
        "re_review_request": 30,
        "re_review": 30,
    }


# --- nothing else prints an article or a number of days -----------------------------------

TEMPLATES = [
    *sorted((ROOT / "zhili/petitions/templates").rglob("*.html")),
    ROOT / "zhili/portal/templates/portal/petition.html",
]
# demo.py holds invented texts of handling units ("责成……15日内整改"), not the law's limits.
SOURCES = [
    p
    for p in sorted((ROOT / "zhili/petitions").rglob("*.py"))
    if "tests" not in p.parts
    and p.name not in {"law.py", "deadlines.py", "demo.py"}
    and "migrations" not in p.parts
] + [ROOT / "zhili/portal/petitions.py"]


def _printed_strings(path: Path) -> list[str]:
    """The string constants of a module that can reach a user: not its docstrings."""
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_template_writes_an_article_or_a_limit(path: Path) -> None:
    text = path.read_text()
    assert not ARTICLE.findall(text)
    assert not DAYS.findall(text)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_module_prints_an_article_or_a_limit(path: Path) -> None:
    for text in _printed_strings(path):
        assert not ARTICLE.findall(text), text
        assert not DAYS.findall(text), text


# --- a changed limit changes the printed text ----------------------------------------------


@pytest.fixture
def shorter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every limit other than today's, as if the table were changed."""
    for name, days in {
        "transfer": 10,
        "handle": 45,
        "extension": 20,
        "review_request": 25,
    }.items():
        monkeypatch.setitem(deadlines.LIMITS, name, replace(deadlines.LIMITS[name], days=days))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)


def test_the_registration_page_reads_the_table(staff: Any, shorter: None) -> None:
    body = _client(staff.petition).get("/petitions/register/").content.decode()
    assert "收到之日起10日内转送交办（《信访工作条例》第二十二条第一款）" in body
    assert "15日" not in body and "第二十四条" not in body


def test_the_action_forms_read_the_table(register: Any, staff: Any, shorter: None) -> None:
    petition = advance(register(), staff, "assign")
    client = _client(staff.township)
    accept = client.get(f"/petitions/{petition.number}/act/accept/").content.decode()
    assert "受理后45日内办结（《信访工作条例》第三十四条）" in accept
    petition = advance(petition, staff, "accept")
    extend = client.get(f"/petitions/{petition.number}/act/extend/").content.decode()
    assert "不超过20日" in extend and 'max="20"' in extend
    reply = client.get(f"/petitions/{petition.number}/act/reply/").content.decode()
    assert "自收到之日起25日内" in reply


def test_the_extension_form_reads_the_table(shorter: None) -> None:
    form = ExtendForm({"days": "21", "reason": "情况复杂"})
    assert not form.is_valid()
    assert form.errors["days"] == ["延期天数应为1至20天（《信访工作条例》第三十四条）"]
    assert ExtendForm({"days": "20", "reason": "情况复杂"}).is_valid()


def test_the_word_notices_read_the_table(register: Any, staff: Any, shorter: None) -> None:
    petition = advance(register(), staff, "accept")
    acceptance = _docx_text(documents.render_petition_docx(petition, "acceptance"))
    assert "根据《信访工作条例》第三十四条的规定，本机关将在受理之日起45日内" in acceptance
    petition = advance(petition, staff, "reply")
    reply = _docx_text(documents.render_petition_docx(petition, "reply"))
    assert "自收到本答复意见书之日起25日内" in reply and "《信访工作条例》第三十五条" in reply
    assert "30日" not in reply and "60日" not in acceptance


def test_the_services_read_the_table(register: Any, staff: Any, shorter: None) -> None:
    petition = register()
    assert (petition.transfer_due.date() - petition.received_at.date()).days == 10
    petition = advance(petition, staff, "accept")
    with pytest.raises(InvalidInput) as refused:
        services.petition_act(
            actor=staff.township, petition=petition, action="extend", days=21, reason="复杂"
        )
    assert refused.value.field == "days" and "1至20天" in refused.value.message
