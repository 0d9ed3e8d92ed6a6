"""The register's pages in a real browser: the 实有人口 list (masked, filtered by grid) and the
person's page, whose 查看完整号码 shows the full ID number. Screenshots go to /work/shots when
ZHILI_SHOTS is set. Run with `pytest -m browser`."""

import os
from typing import Any

from zhili.registers import services
from zhili.registers.tests.conftest import ID, People
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER


def shot(tab: Any, name: str) -> None:
    folder = os.environ.get("ZHILI_SHOTS")
    if folder:
        tab.screenshot(path=f"{folder}/registers-{name}.png", full_page=True)


def test_list_and_person_page(page: Any, live_server: Any, people: People) -> None:  # noqa: F811
    person = services.person_create(
        actor=people.village,
        values={
            "id_number": ID,
            "name": "王秀英",
            "grid": "32072290100101",
            "phone": "13812345678",
            "current_address": "甲一村东组12号",
            "ethnicity": "汉族",
        },
    )
    services.role_add(
        actor=people.village,
        person_id=person.pk,
        kind="correction",
        care_level="high",
        details={"category": "缓刑", "starts_on": "2026-01-01", "out_of_control": False},
    )
    login(page, live_server.url, "village")
    page.goto(f"{live_server.url}/registers/people/")
    page.get_by_role("link", name="实有人口").first.wait_for()
    row = page.get_by_test_id(f"person-{person.pk}")
    assert "138****5678" in row.inner_text() and ID not in page.content()
    page.select_option("select[name=grid]", "32072290100101")
    page.click("button:has-text('查询')")
    page.wait_for_url("**grid=32072290100101**")
    shot(page, "list")
    row.get_by_role("link", name="王秀英").click()
    page.get_by_test_id("person-roles").wait_for()
    assert "社区矫正人员" in page.get_by_test_id("person-roles").inner_text()
    assert ID not in page.get_by_test_id("person-id-number").inner_text()
    page.get_by_test_id("reveal-id").click()
    page.wait_for_load_state()
    assert ID in page.get_by_test_id("person-id-number").inner_text()
    shot(page, "person")


def test_people_import_and_export_pages(
    page: Any,  # noqa: F811
    live_server: Any,
    people: People,
    tmp_path: Any,
    settings: Any,
) -> None:
    from zhili.imports.models import ImportJob
    from zhili.imports.services import import_job_run
    from zhili.registers.tests.test_import_export import row, workbook

    settings.MEDIA_ROOT = tmp_path / "media"
    bad, good = tmp_path / "有误.xlsx", tmp_path / "人口.xlsx"
    bad.write_bytes(workbook([row(1), row(2, 所属网格编码="32072290200101"), row(3)]))
    good.write_bytes(workbook([row(1, 人员类别="留守人员"), row(2), row(3)]))
    login(page, live_server.url, "township")
    page.goto(f"{live_server.url}/registers/people/")
    page.get_by_test_id("people-import-link").click()
    page.get_by_test_id("column-table").wait_for()
    shot(page, "import")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_test_id("upload-submit").click()
    page.get_by_test_id("job-status").wait_for()
    import_job_run(ImportJob.objects.get(name="有误.xlsx").pk)
    page.get_by_test_id("report-table").wait_for()
    report = page.get_by_test_id("report-table").inner_text()
    assert "第 3 行" in report and "所属网格编码" in report
    assert "未导入任何人员" in page.get_by_test_id("job-rejected").inner_text()
    shot(page, "import-rejected")
    page.goto(f"{live_server.url}/registers/people/import/")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_test_id("upload-submit").click()
    page.get_by_test_id("job-status").wait_for()
    import_job_run(ImportJob.objects.get(name="人口.xlsx").pk)
    page.wait_for_selector("[data-testid=job-status][data-state=done]")
    assert page.get_by_test_id("job-created").inner_text() == "3"
    shot(page, "import-done")
    page.get_by_test_id("results-link").click()
    page.get_by_test_id("people-export").wait_for()
    assert "居民1" in page.get_by_test_id("people-table").inner_text()
    assert page.get_by_test_id("people-export-unmasked").is_visible()
    shot(page, "list-export")
