"""The 日报 in the browser: a dispatcher opens 研判报告 from the navigation, generates
yesterday's report, watches its progress until it shows, follows a figure to its list, sends
it to a township and downloads the Word file.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from io import BytesIO

import pytest
from docx import Document

from zhili.reports.models import Report
from zhili.reports.services import report_generate, report_request
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = [*BROWSER, pytest.mark.any_day]


def test_the_daily_report_in_the_browser(live_server, staff, day_data, tree, page, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    login(page, base, "dispatcher")
    page.click("text=研判报告")
    page.wait_for_url("**/reports/")
    assert page.input_value("input[name=day]") == f"{day_data.day:%Y-%m-%d}"
    page.click("[data-testid=generate]")
    page.wait_for_url("**/reports/*/")
    assert page.get_attribute("[data-testid=report-status]", "data-state") == "queued"
    report = Report.objects.get()
    report_generate(report.pk)  # what the worker does; the page polls, then shows it
    page.wait_for_selector("[data-testid=section-totals]")
    page.screenshot(path=str(ARTIFACTS / "reports-daily.png"), full_page=True)
    totals = page.inner_text("[data-testid=section-totals]")
    assert "社情民意" in totals and "合计" in totals

    # The 合计 of the channels opens the case list of the day: six cases.
    page.click("[data-testid=section-totals] tr:has-text('合计') a.report-figure")
    page.wait_for_url("**/cases/?*")
    assert page.locator("[data-testid^=list-row-]").count() == 6
    page.go_back()

    page.check(f"input[name=units][value='{tree.t1.code}']")
    page.click("[data-testid=deliver]")
    page.wait_for_selector(f"[data-testid=delivery-{tree.t1.code}]")
    assert "未读" in page.inner_text(f"[data-testid=delivery-{tree.t1.code}]")

    with page.expect_download() as download:
        page.click("[data-testid=download-docx]")
    target = tmp_path / "daily.docx"
    download.value.save_as(target)
    document = Document(BytesIO(target.read_bytes()))
    assert len(document.tables) == 9
    assert document.tables[0].rows[-1].cells[-1].text == "6"


def test_the_monthly_report_in_the_browser(live_server, staff, month_data, page, tmp_path):
    """Last month's 月分析 asked for on the list page: its charts show, a figure opens its cases,
    the print page carries the charts too."""
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/reports/")
    assert page.input_value("input[name=month]") == month_data.period
    page.select_option("select[name=kind]", "monthly")
    page.click("[data-testid=generate]")
    page.wait_for_url("**/reports/*/")
    report_generate(Report.objects.get(kind="monthly").pk)
    page.wait_for_selector("[data-testid=section-m-rates]")
    charts = page.locator("[data-testid^=chart-] img")
    assert charts.count() >= 4
    assert all(charts.nth(i).evaluate("i => i.naturalWidth") > 0 for i in range(charts.count()))
    page.set_viewport_size({"width": 1400, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "reports-monthly.png"), full_page=True)
    scores = page.locator("[data-testid=section-m-scores]")
    assert scores.locator("table").count() == 2
    scores.screenshot(path=str(ARTIFACTS / "reports-monthly-scores.png"))
    first_score = scores.locator("tbody tr >> nth=0").locator("td >> nth=2").locator("a")
    unit = scores.locator("tbody tr >> nth=0").locator("td >> nth=1").inner_text()
    first_score.click()  # the score opens the unit's ledger entries of the month
    page.wait_for_url("**/assessment/*/*/entries/?unit=*")
    assert unit in page.inner_text("main")
    page.go_back()

    page.click("[data-testid=section-m-totals] td a.report-figure >> nth=0")
    page.wait_for_url("**/cases/?*")
    assert page.locator("[data-testid^=list-row-]").count() == len(month_data.cases)
    page.go_back()
    page.click("[data-testid=print]")
    page.wait_for_selector("[data-testid=paper] .paper-picture img")
    page.screenshot(path=str(ARTIFACTS / "reports-monthly-print.png"), full_page=True)


def test_the_quarterly_review_in_the_browser(live_server, staff, month_data, page):
    """The 季点评 of last month's quarter: ranked tables, the leader's comments saved."""
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/reports/")
    first = month_data.first
    page.select_option("select[name=kind]", "quarterly")
    page.fill("input[name=quarter]", f"{first.year}-Q{(first.month - 1) // 3 + 1}")
    page.click("[data-testid=generate]")
    page.wait_for_url("**/reports/*/")
    report_generate(Report.objects.get(kind="quarterly").pk)
    page.wait_for_selector("[data-testid=section-q-townships]")
    page.fill("[data-testid=comment-form] textarea", "排名靠后的单位要查找原因，限期整改。")
    page.click("[data-testid=save-comment]")
    page.wait_for_selector("[data-testid=comment-text]")
    assert "限期整改" in page.inner_text("[data-testid=comment-text]")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "reports-quarterly.png"), full_page=True)


def test_the_weekly_pack_in_the_browser(live_server, staff, day_data, page):
    """The 周例会 pack of the 日报's week: the warnings still open, a count opening its list."""
    ARTIFACTS.mkdir(exist_ok=True)
    iso = day_data.day.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    report = report_request(actor=staff.dispatcher, kind="weekly", period=week)
    report_generate(report.pk)
    login(page, live_server.url, "dispatcher")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.set_viewport_size({"width": 1400, "height": 900})
    section = page.locator("[data-testid=section-open-warnings]")
    section.screenshot(path=str(ARTIFACTS / "reports-weekly-open-warnings.png"))
    total = section.locator("table >> nth=0").locator("tr:has-text('合计') a.report-figure").last
    n = int(total.inner_text())
    assert n == 2  # the day's two warnings, neither signed yet
    total.click()
    page.wait_for_url("**/warnings/?*")
    assert page.locator("[data-testid^=warning-row-]").count() == n
    assert page.is_checked("[data-testid=filter-open]")
    page.screenshot(path=str(ARTIFACTS / "reports-weekly-open-list.png"), full_page=True)
