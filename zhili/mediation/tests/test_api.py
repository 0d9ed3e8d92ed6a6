"""The dispute API: scoped reads, registration, actions, sessions, the agreement document."""

from io import BytesIO
from typing import Any

import pytest
from docx import Document

from zhili.cases.tests.test_api import error, get, post
from zhili.mediation.tests.conftest import AGREEMENT, id_number, walk

pytestmark = pytest.mark.django_db

BODY = {
    "title": "拖欠劳务费纠纷",
    "kind": "labour",
    "summary": "王某在某建筑队务工三个月，工程结束后工资被拖欠一万二千元。",
    "source": "application",
    "people_count": 2,
    "parties": [
        {"side": "applicant", "name": "王明", "id_number": id_number("32072219850505123")},
        {
            "side": "respondent",
            "kind": "organization",
            "name": "东海县某建筑劳务有限公司",
            "org_code": "",
        },
    ],
}


def test_register_list_detail(client: Any, med: Any) -> None:
    created = post(client, med.mediator1, "/api/v1/disputes", BODY)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "registered" and body["committee"] == med.c1.name
    assert (
        body["parties"][0]["id_number"].startswith("320722")
        and "*" in body["parties"][0]["id_number"]
    )
    assert body["actions"] == ["consent", "terminate", "flag_risk"]
    listed = get(client, med.mediator1, "/api/v1/disputes?kind=labour").json()
    # The list answers keyset pages (issue 13: one shape for every list).
    assert [d["number"] for d in listed["items"]] == [body["number"]]
    assert listed["next_cursor"] is None
    assert get(client, med.mediator2, "/api/v1/disputes").json() == {
        "items": [],
        "next_cursor": None,
    }
    error(get(client, med.mediator2, f"/api/v1/disputes/{body['number']}"), 404, field=None)


def test_bad_party_is_a_422_naming_it(client: Any, med: Any) -> None:
    bad = {**BODY, "parties": [{"side": "applicant", "name": "甲", "id_number": "123"}]}
    error(post(client, med.mediator1, "/api/v1/disputes", bad), 422, field="parties.0.id_number")
    other = {**BODY, "committee": med.c2.pk}
    error(post(client, med.mediator1, "/api/v1/disputes", other), 422, field="committee")
    error(post(client, med.leader, "/api/v1/disputes", BODY), 403)


def test_act_through_to_agreement_and_document(client: Any, med: Any, make_dispute: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    url = f"/api/v1/disputes/{dispute.number}"
    session = post(
        client, med.mediator1, f"{url}/sessions", {"record": "首次调解", "mode": "video"}
    )
    assert session.status_code == 201 and session.json()["mode"] == "video"
    assert len(get(client, med.mediator1, f"{url}/sessions").json()) == 1
    error(post(client, med.mediator1, f"{url}/act", {"action": "agree"}), 422, field="matters")
    parties = list(dispute.parties.all())
    signed = {
        "action": "agree",
        **AGREEMENT,
        "signed_at": "2026-11-26T16:00:00+08:00",  # the parties sign then (no time given)
        "liabilities": [{"party": p.pk, "liability": "无"} for p in parties],
        "signatures": [{"party": p.pk, "method": "fingerprint"} for p in parties],
        "mediator_signed_at": "2026-11-26T17:00:00+08:00",
        "sealed_at": "2026-11-26T17:30:00+08:00",
    }
    agreed = post(client, med.mediator1, f"{url}/act", signed)
    assert agreed.status_code == 200 and agreed.json()["state"] == "agreed"
    agreement = agreed.json()["agreement"]
    assert agreement["confirmation_due"] == "2026-12-28" and not agreement["missing_signatures"]
    assert agreement["effective_at"] == "2026-11-26T09:30:00Z"  # the seal (17:30), the last
    document = get(client, med.mediator1, f"{url}/agreement")
    assert document.status_code == 200
    text = "\n".join(p.text for p in Document(BytesIO(document.content)).paragraphs)
    assert "李桂英" in text and "清理费用800元" in text
    error(post(client, med.mediator1, f"{url}/act", {"action": "archive"}), 403)
    error(post(client, med.chair1, f"{url}/act", {"action": "archive"}), 409, code="wrong_state")
    error(post(client, med.chair1, f"{url}/act", {"action": "teleport"}), 404, field="action")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"action": "consent", "party": 10**12, "consent": "agreed"}, 422, "party"),
        ({"action": "consent", "party": 1, "consent": "maybe"}, 422, None),
        ({"action": "assign", "lead_mediator": 999999}, 422, "lead_mediator"),
        ({"action": "flag_risk", "risk": "fire", "note": "x"}, 422, "risk"),
        ({"action": "flag_risk", "risk": "criminal"}, 422, "note"),
        ({"action": "session", "record": "x"}, 409, None),
        ({"action": "consent", "party": 0}, 422, "party"),
        ({"action": "\x00"}, 422, "action"),
    ],
)
def test_bad_action_input_is_a_4xx(
    client: Any, med: Any, make_dispute: Any, body: dict, status: int, field: str | None
) -> None:
    dispute = make_dispute()
    if body.get("party") == 1:
        body = {**body, "party": dispute.parties.first().pk}
    response = post(client, med.chair1, f"/api/v1/disputes/{dispute.number}/act", body)
    assert response.status_code == status, response.content
    if field:
        assert response.json()["field"] == field


def test_bad_session_dates_are_422(client: Any, med: Any, make_dispute: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    url = f"/api/v1/disputes/{dispute.number}/sessions"
    for held_at in ("1900-01-01T00:00:00", "2999-01-01T00:00:00+08:00"):
        error(
            post(client, med.mediator1, url, {"record": "x", "held_at": held_at}),
            422,
            field="held_at",
        )


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "1999-12", "2100-01", "2026-1", "x"])
def test_a_bad_month_filter_is_a_422(client: Any, med: Any, month: str) -> None:
    """It was ignored: the whole list came back as if filtered (issue 11 item 10)."""
    error(get(client, med.leader, f"/api/v1/disputes?month={month}"), 422, field="month")


def test_a_good_month_filters(client: Any, med: Any, make_dispute: Any) -> None:
    make_dispute()
    assert get(client, med.leader, "/api/v1/disputes?month=2026-11").status_code == 200


def test_the_action_is_named_in_the_path(client: Any, med: Any, make_dispute: Any) -> None:
    """Issue 13: one action endpoint for every dossier, `POST /disputes/{number}/actions/{action}`,
    its checks in the kernel's order (out of sight 404, role 403, state 409, guard 409)."""
    dispute = make_dispute()
    url = f"/api/v1/disputes/{dispute.number}/actions"
    applicant, respondent = (
        dispute.parties.get(side="applicant"),
        dispute.parties.get(side="respondent"),
    )
    consent = {"party": applicant.pk, "consent": "agreed"}
    error(post(client, med.mediator2, f"{url}/consent", consent), 404)  # another township
    error(post(client, med.secretary1, f"{url}/consent", consent), 403)  # sees, may not act
    error(post(client, med.mediator1, f"{url}/start", {}), 409, code="wrong_state")
    error(
        post(client, med.mediator1, f"{url}/consent", {"party": applicant.pk}), 422, None, "consent"
    )
    assert post(client, med.mediator1, f"{url}/teleport", {}).status_code == 422  # not an action
    answered = post(client, med.mediator1, f"{url}/consent", consent)
    assert answered.status_code == 200, answered.content
    assert [h["label"] for h in answered.json()["history"]] == ["登记", "记录当事人意愿"]
    assert answered.json()["history"][-1]["unit"] == "甲镇综治中心"
    # A guard refuses last: the respondent has not agreed yet.
    error(post(client, med.chair1, f"{url}/accept"), 409, code="wrong_state")
    body = {"party": respondent.pk, "consent": "agreed"}
    assert post(client, med.mediator1, f"{url}/consent", body).status_code == 200
    accepted = post(client, med.chair1, f"{url}/accept")  # no body: the action reads none
    assert (accepted.status_code, accepted.json()["state"]) == (200, "accepted")

    # The path of one action in the body still answers (deprecated in the OpenAPI).
    old = f"/api/v1/disputes/{dispute.number}/act"
    started = post(client, med.mediator1, old, {"action": "start", "note": "约定本周调解"})
    assert (started.status_code, started.json()["state"]) == (200, "mediating")
    paths = get(client, med.mediator1, "/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/disputes/{number}/act"]["post"]["deprecated"] is True
    assert "deprecated" not in paths["/api/v1/disputes/{number}/actions/{action}"]["post"]


def test_the_list_pages_by_cursor(client: Any, med: Any, make_dispute: Any) -> None:
    numbers = [make_dispute(title=f"纠纷{i}").number for i in range(3)]
    first = get(client, med.chair1, "/api/v1/disputes?limit=2").json()
    assert [d["number"] for d in first["items"]] == numbers[:0:-1]  # newest first
    rest = get(client, med.chair1, f"/api/v1/disputes?limit=2&cursor={first['next_cursor']}")
    assert [d["number"] for d in rest.json()["items"]] == numbers[:1]
    assert rest.json()["next_cursor"] is None
    error(get(client, med.chair1, "/api/v1/disputes?cursor=not-a-cursor"), 422, field="cursor")
