"""The plans' pages and a force's status on the incident's timeline, in a real browser: the
county dispatcher sends the editor empty (each missing field says so), writes a plan with a
step added by 添加步骤, and finds it in the list; an incident's page shows the one-tap 到场
of its dispatched force. Screenshots land in /work/shots when it exists, else
test-artifacts/."""

from pathlib import Path
from typing import Any

from zhili.conftest import Tree
from zhili.core import outbox
from zhili.forces.services import force_set_status
from zhili.incidents import services
from zhili.incidents.models import Plan
from zhili.incidents.tests.conftest import HERE, place
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, browser, login, page  # noqa: F401

pytestmark = BROWSER
SHOTS = Path("/work/shots") if Path("/work/shots").is_dir() else ARTIFACTS


def test_the_dispatcher_writes_a_plan_on_its_pages(
    live_server: Any,
    plans: Tree,
    forces: Tree,
    personas: Tree,
    page: Any,  # noqa: F811
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    login(page, base, "dispatcher")
    page.goto(f"{base}/incidents/")
    page.click("[data-testid=plans-link]")
    page.wait_for_selector("[data-testid=plan-P-QTJJ]")
    page.screenshot(path=str(SHOTS / "plan-list.png"), full_page=True)

    page.click("[data-testid=plan-new]")
    page.click("[data-testid=plan-save]")
    page.wait_for_selector("[data-testid=error-code]")
    for field in ("code", "name", "category"):
        assert page.is_visible(f"[data-testid=error-{field}]"), field
    assert "预案至少需要一个处置步骤" in page.inner_text("[data-testid=plan-errors]")
    page.screenshot(path=str(SHOTS / "plan-editor-empty.png"), full_page=True)

    page.fill("input[name=code]", "YA-QTJJ-ZD")
    page.fill("input[name=name]", "重大群体性聚集处置预案")
    page.select_option("select[name=category]", "QTJJ")
    page.select_option("select[name=level]", "major")
    page.select_option("select[name=steps-0-team_type]", "police_patrol")
    page.fill("input[name=steps-0-role]", "公安")
    page.fill("input[name=steps-0-task]", "控制现场，设置警戒")
    page.fill("input[name=steps-0-deadline_minutes]", "10")
    page.click("[data-testid=plan-step-add]")  # a third row, after the two blank ones
    page.select_option("select[name=steps-2-team_type]", "grid")
    page.fill("input[name=steps-2-role]", "网格")
    page.fill("input[name=steps-2-task]", "摸清聚集人员和诉求")
    page.fill("input[name=steps-2-deadline_minutes]", "40")
    page.fill("input[name=reason]", "首次编制")
    page.screenshot(path=str(SHOTS / "plan-editor.png"), full_page=True)
    page.click("[data-testid=plan-save]")
    page.wait_for_selector("[data-testid=plan-steps]")
    steps = page.inner_text("[data-testid=plan-steps]")
    assert "控制现场，设置警戒" in steps and "摸清聚集人员和诉求" in steps
    assert "首次编制" in page.inner_text("[data-testid=plan-revisions]")
    page.screenshot(path=str(SHOTS / "plan-detail.png"), full_page=True)
    plan = Plan.objects.get(code="YA-QTJJ-ZD")
    assert [s.role for s in plan.steps.all()] == ["公安", "网格"]

    incident = services.incident_open(
        actor=personas.dispatcher,
        category="QTJJ",
        title="县政府门前群众聚集",
        lat=HERE[0],
        lng=HERE[1],
        level="major",
    )
    assert [t.text for t in incident.tasks.all()] == ["控制现场，设置警戒", "摸清聚集人员和诉求"]
    forces.police.user = personas.police
    forces.police.save()
    place(forces.police, HERE[0] + 0.002, HERE[1])
    services.incident_act(personas.dispatcher, incident, "dispatch", {"force": "F-P"})
    force_set_status(actor=personas.police, force=forces.police, status="on_scene")
    while outbox.deliver_pending(worker_id="test"):
        pass
    page.goto(f"{base}/incidents/{incident.number}/")
    timeline = page.locator("[data-testid=incident-timeline]")
    timeline.locator("li.tl-status").wait_for()
    assert "赵警官：已派遣 → 到场" in timeline.inner_text()
    page.screenshot(path=str(SHOTS / "incident-timeline-status.png"), full_page=True)
