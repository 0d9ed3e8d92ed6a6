"""Every article number the mediation module prints comes from law.py: no template, no
message, no document spells one itself; and the table's citations read as the law writes
them."""

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from zhili.mediation import law
from zhili.mediation.tests.test_views import client_for

APP = Path(law.__file__).parent
ARTICLE = re.compile(r"第[一二三四五六七八九十百零\d]+条")


def test_citations_come_from_the_tables() -> None:
    assert law.cite(33) == "《人民调解法》第三十三条"
    assert law.cite(8, 9) == "《人民调解法》第八条、第九条"
    assert law.cite(85, law=law.CIVIL_PROCEDURE) == "《民事诉讼法》第八十五条"
    assert law.article_no(202, law.CIVIL_CODE) == "第二百零二条"
    with pytest.raises(KeyError):
        law.cite(99)  # not in the table: never printed
    for table in law.LAWS.values():
        for number, article in table.articles.items():
            assert article.number == number and article.says and article.checked


def _printed_strings(path: Path) -> list[str]:
    """The string literals of a module that can reach a user: docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)  # type: ignore[attr-defined]
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_article_number_is_written_outside_the_table() -> None:
    found = []
    for path in APP.rglob("*.html"):
        text = re.sub(r"{#.*?#}|{% comment %}.*?{% endcomment %}", "", path.read_text(), flags=re.S)
        found += [f"{path.name}: {m}" for m in ARTICLE.findall(text)]
    for path in APP.rglob("*.py"):
        if path.name == "law.py" or "tests" in path.parts or "migrations" in path.parts:
            continue
        found += [f"{path.name}: {s}" for s in _printed_strings(path) if ARTICLE.search(s)]
    assert found == []


@pytest.mark.django_db
def test_the_committees_page_cites_article_8_for_the_members_and_9_for_the_term(
    med: Any,
) -> None:
    """Three to nine members, a chair and women members are 第八条; the three-year term is
    第九条 (the page used to cite 第九条 for all of it)."""
    rule = client_for(med.mediator1).get("/mediation/committees/").text
    assert (
        "委员三至九人组成，设主任一人，必要时设副主任；应当有妇女成员（《人民调解法》第八条）"
        in rule
    )
    assert "每届任期三年（《人民调解法》第九条）" in rule
