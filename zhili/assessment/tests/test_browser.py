"""In a browser: the county leader opens the month's township leaderboard, where exactly the
bottom two are flagged (末位), then 甲镇's 基础数据质量 entry on its ledger and, from its
source link, the list of the records counted as defective.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhili.assessment.services import ledger_post, scheme_create_default, scores_compute
from zhili.assessment.tests.test_data_quality import county  # noqa: F401 - fixture
from zhili.conftest import make_org
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER


def test_the_bottom_two_flagged_and_the_data_quality_sources(
    live_server: Any,
    county: Any,  # noqa: F811
    tree: Any,
    assessors: Any,
    page: Any,  # noqa: F811
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    period, _cases = county
    t3 = make_org("320722903", "丙镇综治中心", "center", "township", tree.county)
    t4 = make_org("320722904", "丁镇综治中心", "center", "township", tree.county)
    scheme_create_default(actor=None, year=period.year)
    scores_compute(actor=assessors.director, year=period.year, period=period.slug)
    for unit, points in ((tree.t1, 7), (tree.t2, 9), (t3, 5), (t4, 8)):
        ledger_post(
            actor=None,
            unit=unit,
            on=min(period.last, timezone.localdate()),
            item_code="field_check",
            points=Decimal(points),
            reason="实地考核：台账规范、值班到岗",
            source_label="实地考核",
            source_url="",
            key=f"field:{unit.code}",
        )
    base = live_server.url
    login(page, base, "leader")
    page.goto(f"{base}/assessment/{period.year}/{period.slug}/?group=township")
    flagged = page.locator("tr.flagged")
    assert flagged.count() == 2
    names = {flagged.nth(n).locator("td.unit").first.inner_text() for n in range(2)}
    assert names == {tree.t1.name, t3.name}  # 甲镇 lost its 3 data-quality points too
    assert page.locator("tr.flagged .badge-veto").all_inner_texts() == ["末位", "末位"]
    page.screenshot(path=str(ARTIFACTS / "assessment-leaderboard.png"), full_page=True)

    page.click(f"[data-testid=score-row-{tree.t1.code}] a[href*='item=data_quality']")
    page.locator("[data-testid=ledger]").wait_for()
    assert "数据完整有效 5/14 = 35.71%" in page.inner_text("[data-testid=ledger]")
    page.screenshot(path=str(ARTIFACTS / "assessment-data-quality-entry.png"), full_page=True)

    page.click("[data-testid=ledger] a:has-text('存在缺陷的记录')")
    page.locator("[data-testid=quality-summary]").wait_for()
    assert "14" in page.inner_text("[data-testid=quality-summary]")
    assert page.locator("[data-testid=defect-cases]").count() == 3
    page.screenshot(path=str(ARTIFACTS / "assessment-data-quality-list.png"), full_page=True)
