"""A township committee chair walks through the report pages: searches the archived
disputes, marks one as exemplary from its result row, finds it in the collection, downloads
the anthology, reads the monthly report and the rankings. Screenshots in test-artifacts/.

Run with `pytest -m browser`.
"""

from io import BytesIO

from docx import Document

from zhili.mediation.reports.tests.conftest import at, make_dispute
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER

KINDS = ["neighbourhood", "marriage_family", "labour", "housing_homestead", "contract"]


def build(world):
    for i in range(12):
        mediator = world.m1 if i % 3 else world.m2
        make_dispute(
            world.c1 if i % 4 else world.c11,
            title=f"第{i + 1}起纠纷",
            kind=KINDS[i % len(KINDS)],
            source="application" if i % 2 else "screening",
            registered_at=at(2026, 11, 1 + i),
            outcome="no_agreement" if i % 5 == 4 else "agreement",
            outcome_at=at(2026, 11, 2 + i),
            people=2 + i % 4,
            risk_criminal=i == 3,
            lead=mediator,
            mediators=(world.m1, world.m2) if i % 2 else (mediator,),
            room=world.r1 if i % 4 else world.r11,
            performed="yes" if i % 3 else "partly",
        )
    return make_dispute(
        world.c1,
        title="张建国与李明宅基地纠纷",
        kind="housing_homestead",
        outcome="agreement",
        outcome_at=at(2026, 11, 20),
        lead=world.m1,
        room=world.r1,
        summary="张建国称邻居李明新砌围墙占用其宅基地约三十公分，双方多次争吵。",
        parties=(("张建国", "", ""), ("李明", "", "")),
        sessions=("调解员王芳到现场丈量，双方同意以原界址为准。",),
        terms="李明于十日内拆除越界围墙。",
    )


def test_chair_marks_a_case_and_reads_the_reports(live_server, world, page):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    wall = build(world)
    base = live_server.url
    login(page, base, "chair")

    page.goto(f"{base}/mediation/reports/search/?q=宅基地 围墙")
    row = page.locator(f"[data-testid=row-{wall.number}]")
    row.wait_for()
    page.click(f"[data-testid=mark-{wall.number}]")
    page.fill(f"[data-testid=mark-form-{wall.number}] textarea", "")
    page.click(f"[data-testid=mark-form-{wall.number}] [data-testid=mark-submit]")
    page.locator(f"[data-testid=mark-form-{wall.number}] [data-testid=error-note]").wait_for()
    page.fill(
        f"[data-testid=mark-form-{wall.number}] textarea",
        "调解员实地丈量、以界址说理，邻里握手言和。",
    )
    page.screenshot(path=str(ARTIFACTS / "mreports-search-mark.png"), full_page=True)
    page.click(f"[data-testid=mark-form-{wall.number}] [data-testid=mark-submit]")
    page.locator(f"[data-testid=done-{wall.number}]").wait_for()
    assert "典型案例" in row.inner_text()

    page.goto(f"{base}/mediation/reports/collection/")
    assert wall.number in page.inner_text("[data-testid=collection-table]")
    page.screenshot(path=str(ARTIFACTS / "mreports-collection.png"), full_page=True)
    with page.expect_download() as info:
        page.click("[data-testid=anthology-export]")
    document = Document(BytesIO(info.value.path().read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "张某与李某宅基地纠纷" in text and "张建国" not in text

    page.goto(f"{base}/mediation/reports/monthly/?month=2026-11")
    total = page.locator("[data-testid=line-kind-total] [data-col=registered]")
    assert total.inner_text().strip() == "13"
    page.screenshot(path=str(ARTIFACTS / "mreports-monthly.png"), full_page=True)

    page.goto(f"{base}/mediation/reports/rankings/?start=2026-11-01&end=2026-11-30&min_cases=3")
    assert "王芳" in page.inner_text("[data-testid=ranking-mediators]")
    assert "评分办法" in page.inner_text("[data-testid=ranking-formula]")
    page.screenshot(path=str(ARTIFACTS / "mreports-rankings.png"), full_page=True)
