"""The pages: the scores table links every number to its entries, each entry to its records;
the scheme; the vetoes; the ranking circular in Word."""

from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document

from zhili.assessment.services import ledger_post, scores_compute
from zhili.assessment.tests.conftest import YEAR, day

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(scheme, tree, assessors):
    scores_compute(actor=assessors.director, year=YEAR, period="11")
    ledger_post(
        actor=None,
        unit=tree.t2,
        on=day(11, 5),
        item_code="inspection_findings",
        points=Decimal(-2),
        reason="督查发现台账缺失",
        source_label="督查发现问题",
        source_url="/inspections/1/",
        key="f:1",
    )


def login(client, user):
    client.force_login(user)
    return client


def test_the_scores_page_links_each_number(client, computed, assessors, tree):
    page = login(client, assessors.director).get(f"/assessment/{YEAR}/11/?group=township")
    html = page.content.decode()
    assert page.status_code == 200 and "考核得分与排名" in html
    entries = f"/assessment/{YEAR}/11/entries/?unit={tree.t2.code}&amp;item=inspection_findings"
    assert entries in html
    listing = client.get(entries.replace("&amp;", "&")).content.decode()
    assert "督查发现台账缺失" in listing and 'href="/inspections/1/"' in listing


def test_the_months_bottom_two_are_flagged_and_the_circular_is_word(
    client, computed, assessors, tree
):
    html = (
        login(client, assessors.director)
        .get(f"/assessment/{YEAR}/11/?group=township")
        .content.decode()
    )
    assert html.count('class="flagged"') == 0  # two townships: nobody below the bottom two
    assert client.post(f"/assessment/{YEAR}/11/bulletin/", {"group": "township"}).status_code == 302
    response = client.get(f"/assessment/{YEAR}/11/bulletin.docx?group=township")
    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    [table] = document.tables
    assert [c.text for c in table.rows[1].cells][:2] == ["1", tree.t1.name]


def test_the_scheme_and_vetoes_pages(client, computed, assessors):
    login(client, assessors.director)
    scheme = client.get(f"/assessment/{YEAR}/scheme/").content.decode()
    assert "按时办结率" in scheme and "一票否决事项" in scheme
    assert client.get(f"/assessment/{YEAR}/vetoes/").status_code == 200


def test_compute_from_the_page_and_refusals(client, scheme, assessors, staff):
    login(client, assessors.director)
    response = client.post(f"/assessment/{YEAR}/Q4/compute/", {"group": "department"})
    assert response.status_code == 302
    assert client.get(f"/assessment/{YEAR}/13/").status_code == 404
    client.logout()
    login(client, staff.township)
    assert client.post(f"/assessment/{YEAR}/Q4/compute/").status_code == 403
    assert client.get(f"/assessment/{YEAR}/11/?group=township").status_code == 200


def test_the_admin_pages_open(client, computed, make_user, tree):
    admin_user = make_user("root", tree.county, is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    for name in ["scheme", "item", "ledgerentry", "veto", "grade", "nomination", "staffgrade"]:
        assert client.get(f"/admin/assessment/{name}/").status_code == 200, name
    scheme_id = computed_scheme_id()
    assert client.get(f"/admin/assessment/scheme/{scheme_id}/change/").status_code == 200


def computed_scheme_id() -> int:
    from zhili.assessment.models import Scheme

    return Scheme.objects.get(year=YEAR).pk


def test_only_the_assessors_propose_a_veto(client, computed, staff, assessors, tree):
    client.force_login(staff.leader)
    form = {"unit": tree.t1.code, "event": "serious_crime", "on": "2026-11-02", "reason": "命案"}
    assert client.post(f"/assessment/{YEAR}/vetoes/", form).status_code == 403
    client.force_login(assessors.analyst)
    assert client.post(f"/assessment/{YEAR}/vetoes/", form).status_code == 302
    assert "命案" in client.get(f"/assessment/{YEAR}/vetoes/").content.decode()
