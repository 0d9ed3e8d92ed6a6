"""The 人民调解法 rules in the browser: a written agreement signed by one party on the spot
and by the other later (the effective date and the window follow the last signature), a
party ending a mediation (当事人终止), the handling target's yellow warning on the list and
the dossier, and a chair recording a mediator's training.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from datetime import date
from typing import Any

from zhili.mediation.models import Dispute, DisputeState
from zhili.mediation.services import handling_warn_due
from zhili.mediation.tests.conftest import AGREEMENT, walk
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"mediation-rules-{name}.png"), full_page=True)


def _context(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")


def test_signatures_termination_target_and_training(
    live_server: Any, med: Any, make_dispute: Any, browser: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    signing = walk(make_dispute(title="排水沟堵塞纠纷"), "mediating", med)
    ending = walk(make_dispute(title="宅基地界址纠纷"), "mediating", med)
    late = walk(make_dispute(title="承包地灌溉用水纠纷"), "mediating", med)
    Dispute.objects.filter(pk=late.pk).update(handling_due=date(2026, 11, 20))
    handling_warn_due()
    applicant, respondent = signing.parties.order_by("side")

    context = _context(browser)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base, "mediator1")

    # A written agreement: the respondent is to sign later; the seal is put on now.
    page.goto(f"{base}/mediation/disputes/{signing.number}/")
    page.click("[data-testid=action-agree]")
    form = page.locator("[data-testid=action-form-agree]")
    form.wait_for()
    form.locator("textarea[name=matters]").fill(AGREEMENT["matters"])
    form.locator(f"textarea[name=liability_{applicant.pk}]").fill("无")
    form.locator(f"textarea[name=liability_{respondent.pk}]").fill("负全部责任。")
    form.locator("textarea[name=terms]").fill(AGREEMENT["terms"])
    form.locator("textarea[name=performance]").fill(AGREEMENT["performance"])
    form.locator(f"select[name=sign_{respondent.pk}]").select_option("")
    shot(page, "agree-form")
    page.click("[data-testid=submit-agree]")
    page.wait_for_selector("[data-testid=action-done]")
    assert "被申请人李桂英" in page.inner_text("[data-testid=missing-signatures]")
    assert "尚未生效" in page.inner_text("[data-testid=effective-at]")
    shot(page, "agreement-unsigned")
    # Three days later (the clock is fixed here) the respondent signs with a fingerprint.
    page.click("[data-testid=action-sign]")
    sign = page.locator("[data-testid=action-form-sign]")
    sign.wait_for()
    sign.locator(f"select[name=sign_{respondent.pk}]").select_option("fingerprint")
    page.click("[data-testid=submit-sign]")
    page.wait_for_selector("[data-testid=action-done]")
    assert "2026年12月28日（第30日为休息日，顺延）" in page.inner_text(
        "[data-testid=confirmation-due]"
    )
    shot(page, "agreement-signed")

    # A party ends the mediation.
    page.goto(f"{base}/mediation/disputes/{ending.number}/")
    page.click("[data-testid=action-terminate]")
    end = page.locator("[data-testid=action-form-terminate]")
    end.wait_for()
    end.locator("select[name=party]").select_option(str(ending.parties.get(side="respondent").pk))
    end.locator("textarea[name=note]").fill("决定直接向人民法院起诉，不再接受调解")
    page.click("[data-testid=submit-terminate]")
    page.wait_for_selector("[data-testid=action-done]")
    assert page.inner_text("[data-testid=dispute-state]") == "当事人终止"
    assert "第二十三条" in page.inner_text("[data-testid=terminated-by]")
    shot(page, "terminated")
    ending.refresh_from_db()
    assert ending.state == DisputeState.TERMINATED

    # The handling target's yellow warning.
    page.goto(f"{base}/mediation/")
    assert page.locator(f"[data-testid=late-{late.number}]").is_visible()
    shot(page, "list-late")
    page.goto(f"{base}/mediation/disputes/{late.number}/")
    assert page.locator("[data-testid=target-late]").is_visible()
    shot(page, "detail-late")
    page.goto(f"{base}/mediation/confirmations/")
    shot(page, "confirmations")
    context.close()

    # The chair records a mediator's training; the warning goes away.
    chair = _context(browser)
    chair_page = chair.new_page()
    login(chair_page, base, "chair1")
    chair_page.goto(f"{base}/mediation/committees/{med.c1.pk}/")
    assert chair_page.locator(f"[data-testid=untrained-{med.m1.pk}]").is_visible()
    shot(chair_page, "committee-untrained")
    chair_page.click(f"[data-testid=mediator-link-{med.m1.pk}]")
    chair_page.wait_for_selector("[data-testid=mediator-warnings]")
    chair_page.click("[data-testid=panel-training] summary")
    chair_page.fill("input[name=tr-trained_on]", "2026-11-10")
    chair_page.fill("input[name=tr-hours]", "8")
    chair_page.fill("input[name=tr-content]", "人民调解法及调解协议书制作培训")
    chair_page.click("[data-testid=submit-training]")
    chair_page.wait_for_selector("[data-testid=training-table] >> text=调解协议书制作培训")
    assert chair_page.locator("[data-testid=mediator-warnings]").count() == 0
    shot(chair_page, "mediator")
    chair_page.goto(f"{base}/mediation/committees/")
    shot(chair_page, "committees")
    chair.close()
