"""GET /api/v1/assessment/{year}/{period}/scores: the contract's shape, the scope, 4xx naming
the field; POST .../compute."""

from decimal import Decimal

import pytest

from zhili.assessment.services import ledger_post, scores_compute
from zhili.assessment.tests.conftest import YEAR, day
from zhili.cases.tests.test_api import error, get, post

pytestmark = pytest.mark.django_db
URL = f"/api/v1/assessment/{YEAR}/11/scores"


@pytest.fixture
def posted(scheme, tree, assessors):
    scores_compute(actor=assessors.director, year=YEAR, period="11")
    ledger_post(
        actor=None,
        unit=tree.t2,
        on=day(11, 5),
        item_code="inspection_findings",
        points=Decimal(-2),
        reason="督查发现",
        source_label="督查",
        source_url="/x/",
        key="f:1",
    )


def test_the_scores_of_a_group(client, posted, staff, tree):
    rows = get(client, staff.leader, f"{URL}?group=township").json()
    assert [r["org"]["code"] for r in rows] == [tree.t1.code, tree.t2.code]
    first, second = rows
    assert set(first) >= {"org", "score", "rank", "grade", "vetoed", "items"}
    assert (first["rank"], second["rank"]) == (1, 2)
    assert first["score"] - second["score"] == pytest.approx(2)
    finding = next(i for i in second["items"] if i["item"] == "inspection_findings")
    assert finding["points"] == -2
    # A page (the session, not the token): the unit's entries of the item, the posted one
    # with its reason and its records' link.
    client.force_login(staff.leader)
    page = client.get(finding["sources_url"])
    assert page.status_code == 200
    [entry] = page.context["entries"]
    assert (entry.item.code, entry.unit, entry.points) == ("inspection_findings", tree.t2, -2)
    assert 'href="/x/"' in page.content.decode()
    assert all(set(i) >= {"item", "points", "sources_url"} for i in first["items"])


def test_without_a_group_both_groups_come(client, posted, staff):
    rows = get(client, staff.leader, URL).json()
    assert {r["group"] for r in rows} == {"township", "department"}


def test_a_township_sees_its_own_row(client, posted, staff, tree):
    rows = get(client, staff.township, f"{URL}?group=township").json()
    assert [r["org"]["code"] for r in rows] == [tree.t1.code]
    assert get(client, staff.township, f"{URL}?group=department").json() == []


def test_bad_input_names_the_field(client, posted, staff):
    error(get(client, staff.leader, f"/api/v1/assessment/{YEAR}/13/scores"), 422, field="period")
    error(get(client, staff.leader, "/api/v1/assessment/1999/11/scores"), 422, field="year")
    error(get(client, staff.leader, f"/api/v1/assessment/{YEAR + 1}/11/scores"), 404, field="year")
    assert get(client, staff.leader, f"{URL}?group=village").status_code == 422
    error(get(client, staff.outsider, URL), 403)


def test_compute(client, scheme, staff, assessors):
    response = post(client, assessors.director, f"/api/v1/assessment/{YEAR}/Q4/compute")
    assert response.status_code == 200, response.content
    assert response.json()["period"] == "Q4" and response.json()["entries"] > 0
    error(post(client, staff.township, f"/api/v1/assessment/{YEAR}/Q4/compute"), 403)
