"""The dispatcher sees a likely duplicate on the workbench and merges it with one click.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from zhili.cases.models import CaseDuplicate, State
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER


def test_merge_a_flagged_duplicate_from_the_workbench(live_server, staff, register, page):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    master = register(
        title="夜间施工噪音",
        description="小区旁工地夜间施工，噪音很大，影响休息",
        lat=34.505,
        lng=118.705,
    )
    register(title="路灯不亮", description="人民路路灯坏了", lat=34.506, lng=118.706)
    duplicate = register(
        title="工地夜间施工噪音扰民",
        description="小区旁边的工地夜间施工，噪音很大，影响居民休息",
        lat=34.507,
        lng=118.707,
        reporter_name="李女士",
    )
    flag = CaseDuplicate.objects.get(case=duplicate)
    base = live_server.url
    login(page, base, "township")
    page.goto(f"{base}/cases/workbench/")
    row = page.locator(f"[data-testid=dup-{duplicate.case_no}-{master.case_no}]")
    row.wait_for()
    assert "疑似重复" in row.inner_text() and master.case_no in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "duplicates-workbench.png"), full_page=True)

    page.goto(f"{base}/cases/{duplicate.case_no}/")
    page.locator("[data-testid=case-duplicates]").wait_for()
    page.screenshot(path=str(ARTIFACTS / "duplicates-detail.png"), full_page=True)

    page.goto(f"{base}/cases/workbench/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click(f"[data-testid=dup-merge-{flag.pk}]")
    page.locator(f"[data-testid=done-{duplicate.case_no}]").wait_for()
    assert f"已合并至 {master.case_no}" in page.inner_text(f"#row-{duplicate.case_no}")
    page.screenshot(path=str(ARTIFACTS / "duplicates-merged.png"), full_page=True)
    duplicate.refresh_from_db()
    assert duplicate.state == State.MERGED and duplicate.master == master
