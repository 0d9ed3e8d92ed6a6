"""The import and the export in the browser: a dispatcher uploads a file with mistakes, reads
the report, uploads the corrected file, watches it import, and exports the list.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from zhili.cases.models import Case
from zhili.imports.models import ImportJob, JobState
from zhili.imports.services import import_job_run
from zhili.imports.tests.conftest import good_row, workbook_bytes
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def upload(page, base: str, path) -> None:
    page.goto(f"{base}/imports/")
    page.set_input_files("input[name=file]", str(path))
    page.click("[data-testid=upload-submit]")
    page.wait_for_url("**/imports/*/")


def test_import_then_export_in_the_browser(live_server, staff, rules, page, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    login(page, base, "dispatcher")
    page.click("text=工单导入")
    page.wait_for_url("**/imports/")
    page.screenshot(path=str(ARTIFACTS / "imports-index.png"), full_page=True)

    rows = [good_row(n) for n in range(1, 8)]
    rows[1]["联系电话"] = "1391234"
    rows[4]["办结时间"] = "2025-03-05 10:00"  # closed without a reply
    bad = tmp_path / "历史工单.xlsx"
    bad.write_bytes(workbook_bytes(rows))
    upload(page, base, bad)
    job = ImportJob.objects.get()
    assert page.get_attribute("[data-testid=job-status]", "data-state") == "queued"
    import_job_run(job.pk)  # what the worker does; the page polls for the outcome
    page.wait_for_selector("[data-testid=job-status][data-state=rejected]")
    report = page.inner_text("[data-testid=report-table]")
    assert "第 3 行" in report and "联系电话" in report
    assert "第 6 行" in report and "办理结果" in report
    page.screenshot(path=str(ARTIFACTS / "imports-rejected.png"), full_page=True)
    assert Case.objects.count() == 0

    rows[1]["联系电话"] = "13912340000"
    rows[4]["办理结果"] = "已协调解决"
    good = tmp_path / "历史工单-改正.xlsx"
    good.write_bytes(workbook_bytes(rows))
    upload(page, base, good)
    job = ImportJob.objects.latest("id")
    import_job_run(job.pk)
    page.wait_for_selector("[data-testid=job-status][data-state=done]")
    assert page.inner_text("[data-testid=job-created]") == "7"
    page.screenshot(path=str(ARTIFACTS / "imports-done.png"), full_page=True)
    assert ImportJob.objects.get(pk=job.pk).state == JobState.DONE

    page.goto(f"{base}/cases/?channel=hotline")
    page.screenshot(path=str(ARTIFACTS / "imports-list-export.png"))
    with page.expect_download() as download:
        page.click("[data-testid=export-xlsx]")
    target = tmp_path / "export.xlsx"
    download.value.save_as(target)
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    assert sheet.max_row == 8  # the header and the seven imported cases
