"""GET/POST /api/v1/reports and the Word file: keyset pages, {id, state}, 4xx naming the field."""

from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document

from zhili.cases.tests.test_api import error, get, post
from zhili.reports.models import Report
from zhili.reports.services import report_deliver, report_generate

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
