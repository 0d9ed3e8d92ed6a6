"""The monthly leaderboard: the bottom two of a rank group flagged (末位) on the scores page, in
the API and in the ranking 通报 issued from the page (its Word), by the one rule the 季点评
names its bottom units with (`selectors.bottom_of`): a unit tied with the last of the two is
flagged too, never one that shares the best score (all equal: nobody)."""

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from docx import Document

from zhili.assessment.models import Scheme
from zhili.assessment.periods import parse_period
from zhili.assessment.selectors import UnitScore, bottom_of, group_scores
from zhili.assessment.services import ledger_post
from zhili.assessment.tests.conftest import YEAR, day
from zhili.assessment.units import ranked_units
from zhili.cases.tests.test_api import get
from zhili.conftest import make_org
from zhili.orgs.models import Organization
from zhili.reports.quarterly import bottom_named

pytestmark = pytest.mark.django_db


@pytest.fixture
def four(tree: Any) -> list[Organization]:
    """甲镇, 乙乡 and two more townships: four in the group."""
    t3 = make_org("320722903", "丙镇综治中心", "center", "township", tree.county)
    t4 = make_org("320722904", "丁镇综治中心", "center", "township", tree.county)
    return [tree.t1, tree.t2, t3, t4]


def field_scores(units: list[Organization], points: list[int]) -> None:
    """Each unit's 实地考核 of November (manual, the only entries: its score is these points)."""
    for unit, value in zip(units, points, strict=True):
        ledger_post(
            actor=None,
            unit=unit,
            on=day(11, 10),
            item_code="field_check",
            points=Decimal(value),
            reason="实地考核",
            source_label="实地考核",
            source_url="",
            key=f"field:{unit.code}",
        )


def page_flags(client: Any, user: Any) -> set[str]:
    client.force_login(user)
    html = client.get(f"/assessment/{YEAR}/11/?group=township").content.decode()
    return {
        code
        for code in (u.code for u in ranked_units(["township"]))
        if f'data-testid="score-row-{code}" class="flagged"' in html
    }


def api_flags(client: Any, user: Any) -> set[str]:
    rows = get(client, user, f"/api/v1/assessment/{YEAR}/11/scores?group=township").json()
    return {r["org"]["code"] for r in rows if r["flagged"]}


def bulletin(client: Any, issuer: Any, user: Any) -> tuple[dict[str, str], str]:
    """The 通报's 备注 column by unit name, and its text: issued from the page by `issuer`,
    downloaded from it by `user`."""
    client.force_login(issuer)
    issued = client.post(f"/assessment/{YEAR}/11/bulletin/", {"group": "township"})
    assert issued.status_code == 302
    client.force_login(user)
    response = client.get(f"/assessment/{YEAR}/11/bulletin.docx?group=township")
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    [table] = document.tables
    notes = {row.cells[1].text: row.cells[4].text for row in table.rows[1:]}
    return notes, "\n".join(p.text for p in document.paragraphs)


def test_exactly_the_bottom_two_are_flagged_everywhere(
    client: Any, scheme: Scheme, four: list[Organization], staff: Any, assessors: Any
) -> None:
    t1, _t2, t3, _t4 = four
    field_scores(four, [6, 10, 4, 8])  # ranked 乙乡 10, 丁镇 8, 甲镇 6, 丙镇 4
    bottom = {t1.code, t3.code}
    assert page_flags(client, staff.leader) == bottom
    assert api_flags(client, staff.leader) == bottom
    notes, text = bulletin(client, assessors.director, staff.leader)
    assert {name for name, note in notes.items() if "末位" in note} == {t1.name, t3.name}
    [named] = [line for line in text.splitlines() if "排名末位" in line]
    assert named.startswith(f"{t1.name}、{t3.name}排名末位，")


def test_a_tie_at_the_cut_flags_every_unit_tied(
    client: Any, scheme: Scheme, four: list[Organization], staff: Any, assessors: Any
) -> None:
    t1, _t2, t3, t4 = four
    field_scores(four, [6, 10, 4, 6])  # 甲镇 and 丁镇 tied at the second lowest
    tied = {t1.code, t3.code, t4.code}
    assert page_flags(client, staff.leader) == tied
    assert api_flags(client, staff.leader) == tied
    notes, text = bulletin(client, assessors.director, staff.leader)
    assert {name for name, note in notes.items() if "末位" in note} == {t1.name, t3.name, t4.name}
    assert f"{t1.name}、{t4.name}、{t3.name}排名末位，" in text
    # The 季点评 names the same units by the same rule (its quarter holds the same entries).
    rows = group_scores(
        scheme, parse_period(YEAR, "Q4"), "township", list(ranked_units(["township"]))
    )
    assert {r.org.code for r in bottom_named(rows, scheme.bottom_flagged)} == tied


def test_all_equal_flags_nobody(
    client: Any, scheme: Scheme, four: list[Organization], staff: Any, assessors: Any
) -> None:
    field_scores(four, [7, 7, 7, 7])
    assert page_flags(client, staff.leader) == set()
    assert api_flags(client, staff.leader) == set()
    notes, text = bulletin(client, assessors.director, staff.leader)
    assert all("末位" not in note for note in notes.values()) and "排名末位" not in text


def unit_score(code: str, score: str) -> UnitScore:
    return UnitScore(org=Organization(code=code, name=code), score=Decimal(score))


@pytest.mark.parametrize(
    ("scores", "named"),
    [
        (("90", "80", "70", "60"), "CD"),
        (("90", "70", "70", "60"), "BCD"),  # tied at the cut: both
        (("90", "80", "60", "60"), "CD"),  # tied below the cut: just the two
        (("70", "70", "70", "60"), "D"),  # the tie reaches the best: only who is below it
        (("70", "70", "70", "70"), ""),  # all equal: nobody
        (("90", "80"), ""),  # no larger than two: nobody
    ],
)
def test_the_rule(scores: tuple[str, ...], named: str) -> None:
    rows = [unit_score(c, s) for c, s in zip("ABCD", scores, strict=False)]
    assert "".join(r.org.code for r in bottom_of(rows, 2)) == named
    assert bottom_named(rows, 2) == bottom_of(rows, 2)
