"""The ranking circular (排名通报) of the monthly leaderboard is issued, not only downloaded: from
the scores page as a circular of 督 (numbered, sent to every unit of the rank group, each
unit's read receipt), the units at the foot named, signed with the issuing center's name, its
ranking kept as it stood; the page's Word download is the issued one."""

import re
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from zhili.assessment.bulletins import ranking_circular_issue
from zhili.assessment.documents import COLUMNS
from zhili.assessment.models import Scheme
from zhili.assessment.periods import parse_period
from zhili.assessment.selectors import group_scores
from zhili.assessment.services import ledger_post
from zhili.assessment.tests.conftest import YEAR, day
from zhili.assessment.tests.test_leaderboard import field_scores, four  # noqa: F401
from zhili.assessment.units import ranked_units
from zhili.cases.tests.test_api import get
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.roles import Role
from zhili.inspections.models import Circular, CircularKind
from zhili.orgs.models import Organization

pytestmark = pytest.mark.django_db

PAGE = f"/assessment/{YEAR}/11/?group=township"
ISSUE = f"/assessment/{YEAR}/11/bulletin/"
WORD = f"/assessment/{YEAR}/11/bulletin.docx?group=township"
CENTER = "海州县综治中心"  # not the demo county's name, which the old paper hard-coded


def ranking() -> list[Any]:
    scheme = Scheme.objects.get(year=YEAR)
    units = list(ranked_units(["township"]))
    return group_scores(scheme, parse_period(YEAR, "11"), "township", units)


def word(client: Any) -> Any:
    response = client.get(WORD)
    assert response.status_code == 200
    return Document(BytesIO(response.content))


def test_issued_distributed_read_and_in_word(
    client: Any,
    scheme: Scheme,
    four: list[Organization],  # noqa: F811
    staff: Any,
    assessors: Any,
    tree: Any,
) -> None:
    Organization.objects.filter(pk=tree.county.pk).update(name=CENTER)
    t1, _t2, t3, _t4 = four
    field_scores(four, [6, 10, 4, 8])  # 甲镇 and 丙镇 at the foot
    rows = ranking()
    client.force_login(assessors.director)
    assert 'data-testid="bulletin-issue"' in client.get(PAGE).content.decode()
    assert client.get(WORD).status_code == 404  # nothing issued yet: no paper to download
    assert client.post(ISSUE, {"group": "township"}).status_code == 302

    circular = Circular.objects.get(kind=CircularKind.RANKING)
    assert re.fullmatch(rf"东综治通〔{timezone.localdate().year}〕\d+号", circular.number)
    assert circular.center.pk == tree.county.pk
    sent = set(circular.receipts.values_list("unit__code", flat=True))
    assert sent == set(ranked_units(["township"]).values_list("code", flat=True))
    assert circular.table["columns"] == list(COLUMNS)
    assert [row[:3] for row in circular.table["rows"]] == [
        [str(r.rank), r.org.name, str(r.score)] for r in rows
    ]
    assert f"{t1.name}、{t3.name}排名末位，请于十个工作日内向{CENTER}书面报告" in circular.body
    page = client.get(PAGE).content.decode()
    assert circular.number in page and 'data-testid="bulletin-issue"' not in page
    again = client.post(ISSUE, {"group": "township"}, follow=True).content.decode()
    assert f"已印发：{circular.number}" in again
    assert Circular.objects.filter(kind=CircularKind.RANKING).count() == 1

    # A unit of the group reads it from the leaderboard's link: its receipt is signed.
    client.force_login(staff.township)
    page = client.get(PAGE).content.decode()
    assert f'href="{reverse("inspections:circular", args=[circular.number])}"' in page
    shown_page = client.get(reverse("inspections:circular", args=[circular.number]))
    assert 'data-testid="circular-table"' in shown_page.content.decode()
    client.post(reverse("inspections:circular_read", args=[circular.number]))
    receipt = circular.receipts.get(unit=tree.t1)
    assert receipt.read_by == staff.township and receipt.read_at is not None
    assert circular.receipts.filter(read_at__isnull=False).count() == 1

    shown = get(client, staff.township, f"/api/v1/circulars/{circular.number}").json()
    assert (shown["kind"], shown["table"]) == ("ranking", circular.table)

    # The Word file opens with its table, names the foot and is signed by the center.
    document = word(client)
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == list(COLUMNS)
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == circular.table["rows"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert CENTER in text and "东海县综治中心" not in text
    assert f"{t1.name}、{t3.name}排名末位" in text
    assert {r.cells[1].text for r in table.rows[1:] if "末位" in r.cells[4].text} == {
        t1.name,
        t3.name,
    }


def test_the_issued_ranking_stays_as_issued(
    client: Any,
    scheme: Scheme,
    four: list[Organization],  # noqa: F811
    assessors: Any,
) -> None:
    """Scores recomputed after the issue change the page, not the circular."""
    field_scores(four, [6, 10, 4, 8])
    circular = ranking_circular_issue(
        actor=assessors.director, year=YEAR, period="11", group="township"
    )
    issued = circular.table["rows"]
    last = four[2]  # 丙镇, last
    ledger_post(
        actor=None,
        unit=last,
        on=day(11, 20),
        item_code="honours",
        points=Decimal(5),
        reason="上级表彰",
        source_label="表彰",
        source_url="",
        key="honour:1",
    )
    assert [r.org.name for r in ranking()] != [row[1] for row in issued]
    client.force_login(assessors.director)
    [table] = word(client).tables
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == issued


def test_who_issues_and_what_is_refused(
    client: Any,
    scheme: Scheme,
    four: list[Organization],  # noqa: F811
    staff: Any,
    assessors: Any,
    tree: Any,
    make_user: Any,
) -> None:
    field_scores(four, [6, 10, 4, 8])
    client.force_login(staff.township)
    assert client.post(ISSUE, {"group": "township"}).status_code == 403
    with pytest.raises(Forbidden):
        ranking_circular_issue(actor=staff.leader, year=YEAR, period="11", group="township")
    with pytest.raises(InvalidInput) as refused:
        ranking_circular_issue(actor=assessors.director, year=YEAR, period="11", group="x")
    assert refused.value.field == "group"
    # An analyst of a body housed in the county center issues in the center's name.
    analyst = make_user("xf-analyst", tree.xfjd, Role.ANALYST)
    made = ranking_circular_issue(actor=analyst, year=YEAR, period="11", group="township")
    assert made.center.pk == tree.county.pk
    with pytest.raises(Conflict):
        ranking_circular_issue(actor=assessors.director, year=YEAR, period="11", group="township")
    # The other rank group is its own circular.
    other = ranking_circular_issue(
        actor=assessors.director, year=YEAR, period="11", group="department"
    )
    assert other.number != made.number
