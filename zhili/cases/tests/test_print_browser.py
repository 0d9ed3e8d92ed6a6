"""The print pages in a real browser: the detail page's 打印 buttons open them, the 打印 button
prints, the print stylesheet hides the toolbar and sets a serif CJK face, and the 受理回执
comes out of Chromium's PDF printer as exactly one A4 page.

Run with `pytest -m browser`."""

import re
from typing import Any

from zhili.cases.services import case_act
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    BROWSER,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = BROWSER

A4_POINTS = (595.28, 841.89)  # 210 mm x 297 mm


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The (width, height) in points of each page of a PDF written by Chromium (Skia writes
    one page object with its MediaBox per page, no object streams)."""
    assert b"/ObjStm" not in pdf, "compressed object streams: count pages another way"
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    pages = re.findall(rb"/Type\s*/Page(?![s\w])", pdf)
    assert len(boxes) == len(pages), (len(boxes), len(pages))
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


def is_a4(size: tuple[float, float]) -> bool:
    return all(abs(got - want) < 2 for got, want in zip(size, A4_POINTS, strict=True))


def open_print_view(detail: Any, testid: str) -> Any:
    """The print view the detail page's button opens in a new tab; the page's refusals by
    the Content-Security-Policy are collected in `view.csp`."""
    refused: list[str] = []
    detail.context.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    with detail.expect_popup() as opened:
        detail.click(f"[data-testid={testid}]")
    view = opened.value
    view.wait_for_load_state("networkidle")
    view.csp = refused
    return view


def test_the_receipt_prints_on_one_a4_page(live_server, staff, register, page):  # noqa: F811
    base = live_server.url
    case = register(
        reporter_name="刘海燕",
        address="甲镇人民路18号东侧工地",
        description="小区旁工地连续一周夜间施工到凌晨两点，噪音很大，老人孩子无法休息。" * 3,
    )
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
    login(page, base, "dispatcher")
    page.goto(f"{base}/cases/{case.case_no}/")
    receipt = open_print_view(page, "print-receipt")
    assert receipt.url.endswith(f"/cases/{case.case_no}/receipt/")
    receipt.wait_for_selector("[data-testid=receipt-qr] svg")
    assert receipt.csp == []
    assert case.case_no in receipt.inner_text("[data-testid=receipt-case-no]")
    # The 打印 button opens the browser's print dialog.
    receipt.evaluate("window.print = () => { window.__printed = true; }")
    receipt.click("[data-testid=print-now]")
    assert receipt.evaluate("window.__printed") is True

    receipt.emulate_media(media="print")
    assert receipt.is_hidden("[data-testid=print-toolbar]")
    font = receipt.evaluate("getComputedStyle(document.querySelector('.receipt')).fontFamily")
    assert "Noto Serif CJK SC" in font and font.rstrip().endswith("serif")
    ARTIFACTS.mkdir(exist_ok=True)
    receipt.screenshot(path=str(ARTIFACTS / "print-receipt.png"), full_page=True)
    pdf = receipt.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "print-receipt.pdf").write_bytes(pdf)
    pages = pdf_pages(pdf)
    assert len(pages) == 1, f"受理回执应为一页A4，实际{len(pages)}页"
    assert is_a4(pages[0]), pages[0]


def test_the_work_order_form_prints_on_a4(live_server, staff, register, page):  # noqa: F811
    base = live_server.url
    case = case_act(actor=staff.dispatcher, case=register(), action="dispatch")
    login(page, base, "dispatcher")
    page.goto(f"{base}/cases/{case.case_no}/")
    form = open_print_view(page, "print-form")
    form.emulate_media(media="print")
    assert form.is_hidden("[data-testid=print-toolbar]")
    # The bordered table keeps inside the page: nothing wider than the sheet.
    overflow = form.evaluate(
        "document.querySelector('.form-table').scrollWidth - "
        "document.querySelector('.work-order').clientWidth"
    )
    assert overflow <= 0
    pages = pdf_pages(form.pdf(format="A4", prefer_css_page_size=True))
    assert pages and all(is_a4(size) for size in pages)
    form.screenshot(path=str(ARTIFACTS / "print-form.png"), full_page=True)


def test_an_outsider_gets_the_404_page(live_server, staff, register, page):  # noqa: F811
    case = register()  # in 甲镇: not 乙乡's
    login(page, live_server.url, staff.t2_officer.username)
    response = page.goto(f"{live_server.url}/cases/{case.case_no}/receipt/")
    assert response is not None and response.status == 404
