"""The API of 督: an inspection and a finding made, evidence uploaded, the rectification taken
through the kernel's action path, the Word notice and circular, read receipts; bad input 4xx
naming the field."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from docx import Document

from zhili.cases.tests.test_api import auth, error, get, post
from zhili.inspections import selectors, services
from zhili.inspections.models import Finding, Inspection, Receipt
from zhili.inspections.tests.conftest import photo

pytestmark = pytest.mark.any_day


def _inspection_body(tree: Any, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    body = {
        "kind": "joint",
        "title": "平安建设联合督查",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=3)).isoformat(),
        "team": [tree.county.code, tree.gaj.code],
        "targets": [tree.t1.code],
        "checklist": [{"text": "网格员走访记录", "item_code": "visits_on_time"}],
    }
    return body | overrides


def test_an_inspection_and_its_finding_through_the_api(client: Any, people: Any, tree: Any) -> None:
    made = post(client, people.director, "/api/v1/inspections", _inspection_body(tree))
    assert made.status_code == 201, made.content
    inspection = made.json()
    assert [t["code"] for t in inspection["targets"]] == [tree.t1.code]
    item = inspection["checklist"][0]["id"]
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    body = {
        "unit": tree.t1.code,
        "problem": "走访记录缺失",
        "requirement": "补齐",
        "due_on": due,
        "unit_leader": "陈书记",
        "item": item,
    }
    issued = post(
        client, people.director, f"/api/v1/inspections/{inspection['number']}/findings", body
    )
    assert issued.status_code == 201, issued.content
    number = issued.json()["number"]
    assert issued.json()["actions"] == []  # the inspector has nothing to do until the report

    notice = get(client, people.secretary, f"/api/v1/findings/{number}/notice")
    assert notice.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(notice.content)).paragraphs)
    assert "整 改 通 知 书" in text and "走访记录缺失" in text

    # No report without evidence; the evidence goes up first, then the report.
    refused = post(
        client, people.secretary, f"/api/v1/findings/{number}/actions/report", {"report": "已补齐"}
    )
    error(refused, 422, field="evidence")
    upload = client.post(
        f"/api/v1/findings/{number}/evidence", {"evidence": [photo()]}, **auth(people.secretary)
    )
    assert upload.status_code == 201, upload.content
    assert [e["name"] for e in upload.json()["evidence"]] == ["整改后现场.png"]
    reported = post(
        client, people.secretary, f"/api/v1/findings/{number}/actions/report", {"report": "已补齐"}
    )
    assert reported.json()["state"] == "reported"
    own = post(client, people.t1_director, f"/api/v1/findings/{number}/actions/pass", {})
    error(own, 403)
    passed = post(client, people.leader, f"/api/v1/findings/{number}/actions/pass", {"note": "好"})
    assert passed.json()["state"] == "verified"
    closed = post(client, people.director, f"/api/v1/findings/{number}/actions/close", {})
    assert closed.json()["state"] == "closed"
    assert [h["action"] for h in closed.json()["history"]] == [
        "issue",
        "evidence",
        "report",
        "pass",
        "close",
    ]
    listed = get(client, people.secretary, "/api/v1/findings?state=closed").json()
    assert [f["number"] for f in listed["items"]] == [number]
    assert get(client, people.t2_officer, f"/api/v1/findings/{number}").status_code == 404


def test_bad_input_names_the_field(client: Any, people: Any, tree: Any) -> None:
    error(
        post(
            client,
            people.director,
            "/api/v1/inspections",
            _inspection_body(tree, team=[tree.county.code]),
        ),
        422,
        field="team",
    )
    error(
        post(client, people.director, "/api/v1/inspections", _inspection_body(tree, kind="x")),
        422,
        field="kind",
    )
    unknown = [{"text": "台账", "item_code": "no_such_item"}]
    refused = post(
        client, people.director, "/api/v1/inspections", _inspection_body(tree, checklist=unknown)
    )
    error(refused, 422, field="checklist")
    assert "no_such_item" in refused.json()["detail"] and not Inspection.objects.exists()
    error(post(client, people.secretary, "/api/v1/inspections", _inspection_body(tree)), 403)
    made = post(client, people.director, "/api/v1/inspections", _inspection_body(tree)).json()
    url = f"/api/v1/inspections/{made['number']}/findings"
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = {
        "unit": tree.t1.code,
        "problem": "p",
        "requirement": "r",
        "due_on": past,
        "unit_leader": "陈",
    }
    error(post(client, people.director, url, body), 422, field="due_on")
    error(post(client, people.director, url, body | {"due_on": "2026-13-01"}), 422, field="due_on")
    assert not Finding.objects.exists()


def test_a_circular_is_read_and_receipted(client: Any, people: Any, tree: Any) -> None:
    body = {
        "kind": "work",
        "title": "关于第四季度督查情况的通报",
        "body": "第一段\n第二段",
        "units": [tree.t1.code, tree.t2.code],
    }
    made = post(client, people.director, "/api/v1/circulars", body)
    assert made.status_code == 201, made.content
    number = made.json()["number"]
    assert made.json()["sent"] == 2 and made.json()["read"] == 0
    read = post(client, people.secretary, f"/api/v1/circulars/{number}/read")
    assert read.json()["read"] == 1
    receipt = Receipt.objects.get(unit=tree.t1)
    assert receipt.read_by == people.secretary
    # A second reader of the same unit does not sign again.
    post(client, people.township, f"/api/v1/circulars/{number}/read")
    receipt.refresh_from_db()
    assert receipt.read_by == people.secretary
    # The police department neither issued nor received it.
    assert get(client, people.police, f"/api/v1/circulars/{number}").status_code == 404
    word = get(client, people.t2_officer, f"/api/v1/circulars/{number}/document")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "关于第四季度督查情况的通报" in text and "第二段" in text
    error(
        post(client, people.director, "/api/v1/circulars", body | {"units": ["NOPE"]}),
        422,
        field="units",
    )


def test_a_findings_admonitions_in_the_api_as_on_its_page(
    client: Any, people: Any, finding: Finding
) -> None:
    """The ladder's 诫勉谈话 records, from the one selector the finding's page reads."""
    later = timezone.localdate() + timedelta(days=20)
    for n in range(3):  # the third failure reaches the last rung
        finding = services.finding_report(
            actor=people.secretary, finding=finding, report="已整改", evidence=[photo()]
        )
        finding = services.finding_fail(
            actor=people.leader, finding=finding, reason=f"第{n + 1}次复查仍缺台账", due_on=later
        )
    records = list(selectors.finding_admonitions(finding))
    assert len(records) == 1
    body = get(client, people.secretary, f"/api/v1/findings/{finding.number}").json()
    assert body["ladder"] == "admonition"
    assert [(a["unit"]["code"], a["head"], a["reason"]) for a in body["admonitions"]] == [
        (r.unit.code, r.head, r.reason) for r in records
    ]
    client.force_login(people.secretary)
    page = client.get(f"/inspections/findings/{finding.number}/").content.decode()
    assert all(f"诫勉谈话：{r.unit.name} {r.head}" in page for r in records)
