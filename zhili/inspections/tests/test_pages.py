"""The pages of 督, as a user goes through them: an inspection made, a finding issued from it,
the report with a photo, the re-check, 销号; circulars read; the 回头看 list."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.inspections import workflow
from zhili.inspections.models import Finding, FindingState, Inspection
from zhili.inspections.tests.conftest import photo

pytestmark = pytest.mark.any_day


def test_an_inspection_made_and_a_finding_rectified_on_the_pages(
    client: Any, people: Any, tree: Any
) -> None:
    today = timezone.localdate()
    client.force_login(people.director)
    page = client.get("/inspections/new/")
    assert page.status_code == 200 and "督查组成员单位" in page.content.decode()
    made = client.post(
        "/inspections/new/",
        {
            "kind": "special",
            "title": "调解室规范化专项督查",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=2)).isoformat(),
            "team": [tree.county.code],
            "targets": [tree.t1.code],
            "checklist": "dispute_rate|调解台账\n调解室标识",
        },
    )
    inspection = Inspection.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/inspections/{inspection.number}/"
    assert [i.item_code for i in inspection.items.all()] == ["dispute_rate", ""]
    shown = client.get(made["Location"]).content.decode()
    assert "考核指标：矛盾纠纷调解成功率" in shown  # the item's name beside the line
    issued = client.post(
        f"/inspections/{inspection.number}/",
        {
            "unit": tree.t1.code,
            "problem": "调解台账缺页",
            "requirement": "补齐台账",
            "unit_leader": "陈书记",
            "due_on": (today + timedelta(days=5)).isoformat(),
            "deduction": "1.5",
        },
    )
    finding = Finding.objects.get()
    assert issued.status_code == 302, issued.content.decode()[:2000]
    assert finding.deduction == pytest.approx(1.5)

    client.force_login(people.secretary)
    detail = client.get(f"/inspections/findings/{finding.number}/").content.decode()
    assert "提交整改报告" in detail and "调解台账缺页" in detail
    sent = client.post(
        f"/inspections/findings/{finding.number}/act/report/",
        {"report": "已补齐", "evidence": [photo()]},
        HTTP_HX_REQUEST="true",
    )
    assert sent.status_code == 200, sent.content.decode()[:3000]
    finding.refresh_from_db()
    assert finding.state == FindingState.REPORTED and finding.evidence.count() == 1

    client.force_login(people.leader)
    client.post(f"/inspections/findings/{finding.number}/act/pass/", {"note": "到位"})
    client.force_login(people.director)
    client.post(f"/inspections/findings/{finding.number}/act/close/", {})
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED
    listed = client.get("/inspections/findings/?state=closed").content.decode()
    assert finding.number in listed
    notice = client.get(f"/inspections/findings/{finding.number}/notice/")
    assert notice["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_report_without_evidence_is_refused_on_the_page(
    client: Any, finding: Finding, people: Any
) -> None:
    client.force_login(people.secretary)
    refused = client.post(
        f"/inspections/findings/{finding.number}/act/report/", {"report": "已整改"}
    )
    assert refused.status_code == 422
    assert "请上传整改佐证材料" in refused.content.decode()
    assert Finding.objects.get(pk=finding.pk).state == FindingState.ISSUED


def test_circular_pages_and_lookbacks(client: Any, people: Any, tree: Any) -> None:
    client.force_login(people.director)
    made = client.post(
        "/inspections/circulars/new/",
        {"kind": "work", "title": "督查情况通报", "body": "正文", "units": [tree.t1.code]},
    )
    assert made.status_code == 302
    client.force_login(people.secretary)
    listed = client.get("/inspections/circulars/").content.decode()
    assert "本单位未阅" in listed
    url = made["Location"]
    client.post(f"{url}read/")
    assert "本单位未阅" not in client.get("/inspections/circulars/").content.decode()
    assert client.get("/inspections/lookbacks/").status_code == 200
    client.force_login(people.gridworker)
    assert client.get("/inspections/").status_code == 403


def test_the_inspections_actions_follow_the_workflow_roles() -> None:
    from zhili.core.roles import PERMISSIONS, Role

    for role, actions in PERMISSIONS.items():
        if role == Role.ADMIN:
            continue
        sees = workflow.UNIT_ROLES | workflow.INSPECTOR_ROLES
        assert (Action.INSPECTIONS_VIEW in actions) == (role in sees), role
        assert (Action.INSPECTIONS_MANAGE in actions) == (role in workflow.INSPECTOR_ROLES), role
        assert (Action.INSPECTIONS_VERIFY in actions) == (role in workflow.VERIFIER_ROLES), role
    assert not can(None, Action.INSPECTIONS_VIEW)


def test_a_checklist_drawn_from_the_years_assessment_items(
    client: Any, people: Any, tree: Any
) -> None:
    """The new-inspection form offers the year's assessment items; picked ones become lines
    citing them; a typed code the scheme does not hold is refused beside the checklist."""
    today = timezone.localdate()
    client.force_login(people.director)
    page = client.get("/inspections/new/").content.decode()
    assert "从考核指标选取检查项" in page and "按时办结率（close_rate）" in page
    body = {
        "kind": "special",
        "title": "办理质效专项督查",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=2)).isoformat(),
        "team": [tree.county.code],
        "targets": [tree.t1.code],
    }
    refused = client.post("/inspections/new/", body | {"checklist": "closed_rate|办结台账"})
    assert refused.status_code == 400 and not Inspection.objects.exists()
    assert "closed_rate" in refused.content.decode() and "不在" in refused.content.decode()
    made = client.post(
        "/inspections/new/",
        body | {"checklist": "close_rate|办结台账抽查", "items": ["close_rate", "ack_rate"]},
    )
    assert made.status_code == 302
    lines = list(Inspection.objects.get().items.values_list("text", "item_code"))
    assert lines == [("办结台账抽查", "close_rate"), ("及时签收率", "ack_rate")]


def test_the_findings_of_a_unit_and_below_by_deadline_and_on_time(
    client: Any, finding: Finding, people: Any, tree: Any
) -> None:
    """The assessment's 整改按期完成率 links: `within` a unit (and those under it), the
    deadline's days (`due_from`, `due_to`), rectified on time or not (`on_time`)."""
    client.force_login(people.director)
    due = timezone.localtime(finding.due_at).date()

    def listed(**query: Any) -> int:
        page = client.get("/inspections/findings/", {"state": "all", **query})
        assert page.status_code == 200
        return page.context["page"].paginator.count

    assert (listed(within=tree.county.code), listed(within=tree.t2.code)) == (1, 0)
    assert listed(within=tree.t1.code, due_from=due, due_to=due) == 1
    assert listed(due_from=due + timedelta(days=1)) == 0
    assert listed(due_to=due - timedelta(days=1)) == 0
    assert (listed(on_time="no"), listed(on_time="yes")) == (1, 0)  # not reported yet
    assert listed(on_time="maybe", due_from="2026-02-30", within="") == 1  # dropped
    assert listed(within="NOPE") == 0
    # The filter form keeps what the link set, so a 查询 from there narrows, never widens.
    kept = client.get(
        "/inspections/findings/", {"state": "all", "within": tree.t1.code, "on_time": "no"}
    ).content.decode()
    assert f'<input type="hidden" name="within" value="{tree.t1.code}">' in kept
    assert '<option value="no" selected>' in kept
