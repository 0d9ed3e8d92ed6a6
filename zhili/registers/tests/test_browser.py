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
