"""GET/POST /api/v1/reports and the Word file: keyset pages, {id, state}, 4xx naming the field;
sending a report to units, its deliveries with their read receipts, the 季点评's comments."""

import json
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document

from zhili.cases.tests.test_api import auth, error, get, post
from zhili.core.models import AuditLog
from zhili.core.roles import Role
from zhili.reports.models import Report, ReportDelivery
from zhili.reports.services import report_deliver, report_generate, report_request

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def test_a_report_is_asked_for_generated_listed_and_downloaded(client, staff, day_data, tree):
    period = f"{day_data.day:%Y-%m-%d}"
    response = post(
        client, staff.dispatcher, "/api/v1/reports", {"kind": "daily", "period": period}
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "queued" and set(body) == {"id", "state"}
    error(get(client, staff.dispatcher, f"/api/v1/reports/{body['id']}/document"), 409)
    report_generate(body["id"])
    post(client, staff.dispatcher, "/api/v1/reports", {"kind": "daily", "period": period})
    page = get(
        client, staff.dispatcher, f"/api/v1/reports?kind=daily&period={period}&limit=1"
    ).json()
    assert [item["version"] for item in page["items"]] == [2]
    rest = get(
        client, staff.dispatcher, f"/api/v1/reports?kind=daily&limit=1&cursor={page['next_cursor']}"
    )
    first = rest.json()["items"][0]
    assert (first["version"], first["state"], first["progress"]) == (1, "done", 100)
    document = get(client, staff.dispatcher, first["document_url"])
    assert document.status_code == 200
    assert len(Document(BytesIO(document.content)).tables) == 9
    # A township sees nothing until the report is delivered to it.
    assert get(client, staff.township, "/api/v1/reports").json()["items"] == []
    error(get(client, staff.township, f"/api/v1/reports/{body['id']}/document"), 404)
    report_deliver(
        actor=staff.dispatcher, report=Report.objects.get(pk=body["id"]), units=[tree.t1.code]
    )
    listed = get(client, staff.township, "/api/v1/reports").json()["items"]
    assert [item["id"] for item in listed] == [body["id"]]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"kind": "quarterly", "period": "2020-12"}, 422, "period"),
        ({"kind": "weekly", "period": "2020-W54"}, 422, "period"),
        ({"kind": "annual", "period": "2020-01-01"}, 422, "kind"),
        ({"kind": "daily", "period": "2020-02-30"}, 422, "period"),
        ({"kind": "daily", "period": "yesterday"}, 422, "period"),
        ({"kind": "daily", "period": "2099-01-01"}, 422, "period"),
        ({"kind": "daily"}, 422, "period"),
        ({"kind": "daily", "period": "2020-01-01\u0000"}, 422, "period"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(client, staff, body, status, field):
    error(post(client, staff.dispatcher, "/api/v1/reports", body), status, field=field)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/reports?kind=annual", "kind"),
        ("/api/v1/reports?limit=99999999999999999999", "limit"),
        ("/api/v1/reports?cursor=not-a-cursor", "cursor"),
        ("/api/v1/reports/99999999999999999999/document", "report_id"),
    ],
)
def test_bad_queries_name_the_field(client, staff, url, field):
    error(get(client, staff.dispatcher, url), 422, field=field)


def test_who_may_not_generate_gets_403(client, staff):
    body = {"kind": "daily", "period": "2020-01-01"}
    error(post(client, staff.township, "/api/v1/reports", body), 403)
    error(post(client, staff.gridworker, "/api/v1/reports", body), 403)
    error(get(client, staff.dispatcher, "/api/v1/reports/12345"), 404)


def test_the_quarterly_review_is_asked_for_and_described_like_the_others(client, staff):
    quarter = timezone.localdate()
    period = f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}"  # the running one, so far
    response = post(
        client, staff.dispatcher, "/api/v1/reports", {"kind": "quarterly", "period": period}
    )
    assert response.status_code == 202, response.content
    report = report_generate(response.json()["id"])
    assert report.state == "done", report.message
    assert [s["key"] for s in report.content["sections"]] == ["q-townships", "q-departments"]
    listed = get(client, staff.dispatcher, f"/api/v1/reports?kind=quarterly&period={period}")
    assert [item["id"] for item in listed.json()["items"]] == [report.pk]
    document = get(client, staff.dispatcher, listed.json()["items"][0]["document_url"])
    assert len(Document(BytesIO(document.content)).tables) == 2

    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    asked = schemas["ReportRequestIn"]["properties"]
    assert "quarterly" in asked["kind"]["description"]
    assert "尚未开放" not in str(schemas)
    assert "2026-Q4" in asked["period"]["description"]


def put(client, user, url, body):
    data = json.dumps(body)
    return client.put(url, data, content_type="application/json", **auth(user))


def _generated(staff, kind, period):
    report = report_request(actor=staff.dispatcher, kind=kind, period=period)
    return report_generate(report.pk)


@pytest.fixture
def daily(staff):
    """Yesterday's 日报, generated (its figures do not matter here)."""
    return _generated(staff, "daily", f"{timezone.localdate() - timedelta(days=1):%Y-%m-%d}")


def test_a_report_is_delivered_and_its_read_receipts_listed(client, staff, tree, daily, make_user):
    url = f"/api/v1/reports/{daily.pk}/deliveries"
    sent = post(client, staff.dispatcher, url, {"units": [tree.t1.code, tree.t2.code]})
    assert sent.status_code == 201, sent.content
    assert [(d["unit"]["code"], d["read_at"]) for d in sent.json()] == [
        (tree.t1.code, None),
        (tree.t2.code, None),
    ]
    assert sent.json()[0]["delivered_by"] == staff.dispatcher.display_name
    again = post(client, staff.dispatcher, url, {"units": [tree.t1.code]})  # sent already
    assert again.status_code == 201 and len(again.json()) == 2
    assert ReportDelivery.objects.filter(report=daily).count() == 2
    assert AuditLog.objects.filter(action="reports.report.deliver").count() == 2
    # 甲镇's officer opens the Word file: 甲镇's read receipt.
    document = get(client, staff.township, f"/api/v1/reports/{daily.pk}/document")
    assert document.status_code == 200
    receipts = {d["unit"]["code"]: d for d in get(client, staff.leader, url).json()}
    assert receipts[tree.t1.code]["read_by"] == staff.township.display_name
    assert receipts[tree.t1.code]["read_at"] is not None
    assert receipts[tree.t2.code]["read_at"] is None
    # As on the pages: the receipts are the county's to see, sending is the generators'.
    error(get(client, staff.township, url), 403)
    error(get(client, staff.police, url), 404)  # not sent to the police: not in sight
    error(post(client, staff.township, url, {"units": [tree.t2.code]}), 403)
    # A dispatcher's role held at a township does not send the county's report.
    township_dispatcher = make_user("tdispatch", tree.t1, Role.DISPATCHER)
    error(post(client, township_dispatcher, url, {"units": [tree.t2.code]}), 403)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "units"),
        ({"units": []}, 422, "units"),
        ({"units": ["  "]}, 422, "units"),
        ({"units": "320722901"}, 422, "units"),
        ({"units": ["nope"]}, 422, "units"),
        ({"units": ["x" * 41]}, 422, "units.0"),
        ({"units": ["320722901"] * 201}, 422, "units"),
    ],
)
def test_bad_deliveries_name_the_field(client, staff, daily, body, status, field):
    url = f"/api/v1/reports/{daily.pk}/deliveries"
    error(post(client, staff.dispatcher, url, body), status, field=field)


def test_a_report_not_generated_yet_is_not_delivered(client, staff, tree):
    queued = report_request(actor=staff.dispatcher, kind="daily", period="2020-01-01")
    url = f"/api/v1/reports/{queued.pk}/deliveries"
    error(post(client, staff.dispatcher, url, {"units": [tree.t1.code]}), 409)
    error(get(client, staff.dispatcher, "/api/v1/reports/424242/deliveries"), 404)


def test_the_leader_comments_on_the_quarterly_review(client, staff, daily):
    quarter = timezone.localdate()
    period = f"{quarter.year}-Q{(quarter.month - 1) // 3 + 1}"
    review = _generated(staff, "quarterly", period)
    assert review.state == "done", review.message
    url = f"/api/v1/reports/{review.pk}/comment"
    written = put(client, staff.leader, url, {"comment": "排名靠后的单位要查找原因，限期整改。"})
    assert written.status_code == 200, written.content
    body = written.json()
    assert body["comment"] == "排名靠后的单位要查找原因，限期整改。"
    assert (body["commented_by"], body["id"]) == (staff.leader.display_name, review.pk)
    again = put(client, staff.dispatcher, url, {"comment": "请各单位对照整改。"})
    assert again.json()["comment"] == "请各单位对照整改。"  # written again: replaced
    shown = get(client, staff.leader, f"/api/v1/reports/{review.pk}").json()
    assert shown["comment"] == "请各单位对照整改。"
    assert shown["commented_by"] == staff.dispatcher.display_name
    assert AuditLog.objects.filter(action="reports.report.comment").count() == 2
    error(put(client, staff.dispatcher, url, {"comment": "  "}), 422, field="comment")
    error(put(client, staff.dispatcher, url, {}), 422, field="comment")
    error(put(client, staff.dispatcher, url, {"comment": "长" * 4001}), 422, field="comment")
    daily_url = f"/api/v1/reports/{daily.pk}/comment"
    error(put(client, staff.dispatcher, daily_url, {"comment": "好"}), 422, field="comment")
    error(put(client, staff.township, url, {"comment": "好"}), 403)
    queued = report_request(actor=staff.dispatcher, kind="quarterly", period=period)
    queued_url = f"/api/v1/reports/{queued.pk}/comment"
    error(put(client, staff.dispatcher, queued_url, {"comment": "好"}), 409)
