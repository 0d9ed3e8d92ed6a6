"""GET requests, one request and a token: what is published, filtered and kept out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhili.cases.models import Case, State
from zhili.cases.services import case_act
from zhili.open311 import selectors
from zhili.open311.formats import w3c
from zhili.open311.selectors import CLOSED, OPEN, status_of
from zhili.open311.tests.conftest import BASE
from zhili.open311.tests.helpers import errors, items

FORMATS = ["json", "xml"]
ID_NUMBER = "320722199001011234"


def listed(client, fmt, **params):
    response = client.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 200, response.content
    return items(response, fmt, "service_requests", "request")


def case_of(response) -> Case:
    return Case.objects.get(case_no=response.json()[0]["service_request_id"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_open311_requests_are_listed_and_no_personal_data(client, post, register, fmt):
    hotline = register(title="热线来电", description="热线市民来电反映噪音")
    mine = case_of(
        post(
            description=f"工地噪音扰民，我的身份证{ID_NUMBER}，电话 139 1234 5678，座机0518-87654321",
            email="wang@example.cn",
        )
    )
    response = client.get(f"{BASE}/requests.{fmt}")
    [item] = items(response, fmt, "service_requests", "request")
    assert item["service_request_id"] == mine.case_no != hotline.case_no
    body = response.content.decode()
    for secret in ["王先生", "13912345678", "wang@example.cn", ID_NUMBER, "87654321"]:
        assert secret not in body
    assert "320722********1234" in item["description"]
    assert "139****5678" in item["description"]
    assert "051****4321" in item["description"]
    assert item["service_code"] == "HJ01"
    assert item["service_name"] == "噪音扰民"
    assert item["requested_datetime"] == w3c(mine.registered_at)
    assert item["requested_datetime"].endswith("+08:00")
    assert float(item["lat"]) == mine.lat and float(item["long"]) == mine.lng
    assert item["address"] == "甲一村"  # no address given: the village of the point


def test_the_state_maps_to_open_and_closed_with_notes(client, post, staff, rules):
    case = case_of(post(service_code="SZ01", media_url="https://img.example.cn/lamp.jpg"))

    def current():
        return client.get(f"{BASE}/requests/{case.case_no}.json").json()[0]

    item = current()
    assert item["status"] == OPEN
    assert item["agency_responsible"] == case.dispatch_center.name
    assert item["expected_datetime"] is None
    assert item["media_url"] == "https://img.example.cn/lamp.jpg"
    assert item["status_notes"].startswith("受理：")
    assert "已受理" in item["service_notice"]

    case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
    item = current()
    assert item["status"] == OPEN
    assert item["agency_responsible"] == "住建局"
    assert item["status_notes"] == "派单：派往住建局"
    assert item["expected_datetime"] == w3c(case.due_at)
    assert item["updated_datetime"] == w3c(case.updated_at)

    case = case_act(actor=staff.zjj_handler, case=case, action="acknowledge")
    case = case_act(
        actor=staff.zjj_handler, case=case, action="reply", reply="已更换灯泡，联系人13812345678"
    )
    assert current()["status"] == OPEN  # replied, waiting for the center's review
    case_act(actor=staff.dispatcher, case=case, action="close", note="同意办结")
    item = current()
    assert item["status"] == CLOSED
    assert item["status_notes"] == "已更换灯泡，联系人138****5678"  # the reply, masked
    assert "已办结" in item["service_notice"]


def test_closed_rated_merged_and_returned_to_source_are_closed_the_rest_open():
    closed = {State.CLOSED, State.RATED, State.MERGED, State.RETURNED_TO_SOURCE}
    for state in State.values:
        assert status_of(state) == (CLOSED if state in closed else OPEN), state


@pytest.mark.parametrize("fmt", FORMATS)
def test_filters(client, post, staff, fmt):
    lamp = case_of(post(service_code="SZ01"))
    noise = case_of(post())
    old = case_of(post())
    Case.objects.filter(pk=old.pk).update(registered_at=timezone.now() - timedelta(days=100))
    case_act(actor=staff.dispatcher, case=lamp, action="suspend", reason="等待配件")
    Case.objects.filter(pk=noise.pk).update(state=State.MERGED)

    def ids(**params):
        return [i["service_request_id"] for i in listed(client, fmt, **params)]

    # The default window is the last 90 days, newest first.
    assert ids() == [noise.case_no, lamp.case_no]
    assert ids(service_code="SZ01") == [lamp.case_no]
    assert ids(service_code="SZ01,HJ01") == [noise.case_no, lamp.case_no]
    assert ids(status="closed") == [noise.case_no]
    assert ids(status="open") == [lamp.case_no]
    assert ids(status="open,closed") == [noise.case_no, lamp.case_no]
    # Ids override every other filter, the window included.
    assert ids(service_request_id=f"{old.case_no},{lamp.case_no}", status="closed") == [
        lamp.case_no,
        old.case_no,
    ]
    start = timezone.now() - timedelta(days=110)
    assert ids(start_date=w3c(start)) == [old.case_no]  # start + 90 days
    assert ids(start_date=w3c(start), end_date=w3c(start + timedelta(days=90))) == [old.case_no]
    assert ids(end_date=w3c(timezone.now() - timedelta(days=50))) == [old.case_no]
    assert ids(start_date=timezone.localdate().isoformat()) == [noise.case_no, lamp.case_no]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"}, "start_date"),
        ({"start_date": "last week"}, "start_date"),
        ({"end_date": "2026-02-30"}, "end_date"),
        ({"status": "pending"}, "status"),
        ({"service_code": "HJ01,NOPE"}, "service_code"),
    ],
)
def test_bad_filters_are_400_naming_the_field(client, catalog, fmt, params, field):
    response = client.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 400
    [error] = errors(response, fmt)
    assert error["code"] == 400
    assert error["description"].startswith(f"{field}: ")


def test_at_most_the_limit_newest_first(client, post, monkeypatch):
    made = [case_of(post()).case_no for _ in range(3)]
    assert selectors.LIMIT == 1000  # the spec's default
    monkeypatch.setattr(selectors, "LIMIT", 2)
    assert [i["service_request_id"] for i in listed(client, "json")] == made[:0:-1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_and_its_token(client, post, register, fmt):
    created = post(fmt)
    [answer] = items(created, fmt, "service_requests", "request")
    case_no, token = answer["service_request_id"], answer["token"]

    response = client.get(f"{BASE}/requests/{case_no}.{fmt}")
    assert response.status_code == 200
    [item] = items(response, fmt, "service_requests", "request")
    assert item["service_request_id"] == case_no
    assert item["status"] == OPEN

    response = client.get(f"{BASE}/tokens/{token}.{fmt}")
    assert response.status_code == 200
    [item] = items(response, fmt, "service_requests", "request")
    assert item == {"service_request_id": case_no, "token": token}

    hotline = register()
    for path in [f"requests/{hotline.case_no}", "requests/DH00000000-00000", "tokens/nope"]:
        response = client.get(f"{BASE}/{path}.{fmt}")
        assert response.status_code == 404, path
        assert errors(response, fmt)[0]["code"] == 404


def test_listing_reads_a_fixed_number_of_queries(client, post, django_assert_max_num_queries):
    for _ in range(4):
        post()
    with django_assert_max_num_queries(3):
        assert len(listed(client, "json")) == 4
