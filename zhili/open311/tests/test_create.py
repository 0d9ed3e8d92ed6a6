"""POST requests: the key, the validation of every field and question, and the case it makes."""

import pytest

from zhili.cases.models import Case, Channel, State
from zhili.core.models import AuditLog
from zhili.integrations.models import ApiKey
from zhili.integrations.services import apikey_create, apikey_revoke
from zhili.open311.models import ServiceRequest
from zhili.open311.tests.helpers import errors, items

FORMATS = ["json", "xml"]


def one(response, fmt):
    [item] = items(response, fmt, "service_requests", "request")
    return item


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_becomes_an_open311_case(post, questions, rules, tree, fmt):
    response = post(
        fmt,
        **{
            "attribute[SOURCE]": "construction",
            "attribute[PERIOD][]": ["night", "dawn"],
            "attribute[DECIBEL]": "85",
            "attribute[SINCE]": "2026-11-20T22:30:00+08:00",
            "attribute[UNKNOWN]": "ignored",
            "media_url": "https://img.example.cn/noise.jpg",
            "email": "wang@example.cn",
            "device_id": "dev-1",
            "account_id": "acct-7",
        },
    )
    assert response.status_code == 201, response.content
    item = one(response, fmt)
    case = Case.objects.get(case_no=item["service_request_id"])
    extra = ServiceRequest.objects.get(case=case)
    assert item["token"] == extra.token
    assert item["account_id"] == "acct-7"
    assert case.case_no in item["service_notice"]
    # Through the one intake: channel open311, no staff actor, routed by the rules.
    assert case.channel == Channel.OPEN311
    assert case.registered_by is None
    assert case.state == State.REGISTERED
    assert case.category.code == "HJ01"
    assert case.grid == tree.g111
    assert case.suggested_unit == rules.t1_noise.unit
    assert case.reporter_name == "王先生"
    assert case.reporter_phone == "13912345678"
    assert case.external_id == extra.token
    assert case.title == "小区旁工地夜间施工，噪音很大"
    # The officers see the answers on the case.
    assert "噪音来源：建筑施工" in case.description
    assert "发生时段：夜间22时后、凌晨" in case.description
    assert "图片：https://img.example.cn/noise.jpg" in case.description
    assert extra.attributes == {
        "SOURCE": "construction",
        "PERIOD": ["night", "dawn"],
        "DECIBEL": 85,
        "SINCE": "2026-11-20T22:30:00+08:00",
    }
    assert (extra.email, extra.device_id, extra.media_url) == (
        "wang@example.cn",
        "dev-1",
        "https://img.example.cn/noise.jpg",
    )
    assert extra.api_key.channel == Channel.OPEN311
    assert AuditLog.objects.filter(action="open311.request.create", target_id=str(extra.pk))
    assert AuditLog.objects.filter(action="integrations.apikey.use").count() == 1
    assert ApiKey.objects.get().last_used_at is not None


def test_the_key_may_come_in_the_header(client, key, rules):
    response = client.post(
        "/open311/v2/requests.json",
        {"service_code": "SZ01", "address_string": "东海县牛山街道和平路12号"},
        headers={"X-Api-Key": key},
    )
    assert response.status_code == 201
    case = Case.objects.get(case_no=response.json()[0]["service_request_id"])
    assert case.address == "东海县牛山街道和平路12号"
    assert case.lat is None
    assert case.title == "路灯损坏"  # no description: the service's name
    assert "路灯损坏" in case.description


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_bad_key_is_refused_with_403(post, staff, fmt):
    hotline = apikey_create(actor=None, channel="hotline", name="12345平台")[1]
    revoked_row, revoked = apikey_create(actor=None, channel="open311", name="旧App")
    apikey_revoke(actor=None, key=revoked_row)
    for bad in ["", "zk_not-a-key", hotline, revoked]:
        response = post(fmt, api_key=bad)
        assert response.status_code == 403, bad
        [error] = errors(response, fmt)
        assert error["code"] == 403
        assert error["description"].startswith("api_key")
    assert not Case.objects.exists()


def test_the_key_is_checked_before_the_input(post, staff):
    response = post(api_key="zk_wrong", service_code="")
    assert response.status_code == 403


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "NOPE"}, 404, "service_code"),
        ({"lat": "", "long": ""}, 400, "address_string"),
        ({"long": ""}, 400, "long"),
        ({"lat": ""}, 400, "lat"),
        ({"lat": "north"}, 400, "lat"),
        ({"lat": "91"}, 400, "lat"),
        ({"long": "nan"}, 400, "long"),
        ({"phone": "12345"}, 400, "phone"),
        ({"email": "not-an-email"}, 400, "email"),
        ({"media_url": "ftp://example.cn/a.jpg"}, 400, "media_url"),
        ({"description": "很" * 4001}, 400, "description"),
        ({"last_name": "王" * 26}, 400, "last_name"),
        ({"address_string": "路" * 301}, 400, "address_string"),
        ({"device_id": "d" * 101}, 400, "device_id"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(post, staff, fmt, params, status, field):
    response = post(fmt, **params)
    assert response.status_code == status, response.content
    [error] = errors(response, fmt)
    assert error["code"] == status
    assert error["description"].startswith(f"{field}: ")
    assert not Case.objects.exists()
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({}, "attribute[SOURCE]"),  # required
        ({"attribute[SOURCE]": "  "}, "attribute[SOURCE]"),
        ({"attribute[SOURCE]": "plane"}, "attribute[SOURCE]"),  # not a listed value
        ({"attribute[SOURCE]": ["shop", "home"]}, "attribute[SOURCE]"),  # single value
        (
            {"attribute[SOURCE]": "shop", "attribute[PERIOD][]": ["day", "noon"]},
            "attribute[PERIOD]",
        ),
        ({"attribute[SOURCE]": "shop", "attribute[DECIBEL]": "loud"}, "attribute[DECIBEL]"),
        ({"attribute[SOURCE]": "shop", "attribute[DECIBEL]": "inf"}, "attribute[DECIBEL]"),
        ({"attribute[SOURCE]": "shop", "attribute[SINCE]": "yesterday"}, "attribute[SINCE]"),
    ],
)
def test_answers_are_checked_against_the_definitions(post, questions, fmt, answers, field):
    response = post(fmt, **answers)
    assert response.status_code == 400, response.content
    [error] = errors(response, fmt)
    assert error["description"].startswith(f"{field}: ")
    assert not Case.objects.exists()


def test_informational_and_retired_questions_take_no_answer(post, questions):
    response = post(
        **{"attribute[SOURCE]": "home", "attribute[NOTE]": "我有许可证", "attribute[OLD]": "x"}
    )
    assert response.status_code == 201
    assert ServiceRequest.objects.get().attributes == {"SOURCE": "home"}


def test_multivalue_answers_may_come_without_brackets_and_decimals_stay(post, questions):
    response = post(
        **{
            "attribute[SOURCE]": "shop",
            "attribute[PERIOD]": ["day", "day", "night"],
            "attribute[DECIBEL]": "72.5",
        }
    )
    assert response.status_code == 201
    assert ServiceRequest.objects.get().attributes == {
        "SOURCE": "shop",
        "PERIOD": ["day", "night"],
        "DECIBEL": 72.5,
    }


def test_each_request_gets_its_own_case_and_token(post, rules):
    first = post(service_code="SZ01").json()[0]
    second = post(service_code="SZ01").json()[0]
    assert first["service_request_id"] != second["service_request_id"]
    assert first["token"] != second["token"]
    assert ServiceRequest.objects.count() == 2
