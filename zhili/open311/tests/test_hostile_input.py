"""Whatever a client sends, the answer is a 4xx in the spec's format or a success, never a
500 (run on PostgreSQL too: it refuses NUL characters that SQLite would store)."""

import pytest

from zhili.cases.models import Case
from zhili.open311.tests.conftest import BASE
from zhili.open311.tests.helpers import errors

NASTY = ["\x00", "'; DROP TABLE x; --", "😀" * 50, "%00", "a" * 5000, "<x>&amp;</x>", "\ufffe"]


@pytest.mark.parametrize("value", NASTY)
def test_no_input_gives_a_500(client, post, questions, value):
    gets = [
        f"services/{value}.json",
        f"requests/{value}.xml",
        f"tokens/{value}.json",
    ]
    for path in gets:
        response = client.get(f"{BASE}/{path}")
        assert response.status_code == 404, path
    for name in ["service_request_id", "service_code", "start_date", "end_date", "status"]:
        response = client.get(f"{BASE}/requests.xml", {name: value})
        assert response.status_code in (200, 400), name
    for name in ["service_code", "lat", "long", "address_string", "description", "email",
                 "media_url", "first_name", "last_name", "phone", "device_id", "account_id",
                 "attribute[SOURCE]", "attribute[PERIOD][]", "attribute[DECIBEL]",
                 "attribute[SINCE]"]:  # fmt: skip
        response = post("json", **{name: value})
        assert response.status_code in (201, 400, 404), (name, response.content)
        if response.status_code != 201:
            assert errors(response, "json")[0]["code"] == response.status_code


def test_control_characters_are_dropped_from_what_is_kept(post, questions):
    response = post(description="噪音\x00很大\x07，\t请处理", **{"attribute[SOURCE]": "shop"})
    assert response.status_code == 201
    assert Case.objects.get().description.startswith("噪音很大，\t请处理")


def test_too_many_ids_at_once(client, db):
    ids = ",".join(f"DH20261126-{n:05d}" for n in range(1001))
    response = client.get(f"{BASE}/requests.json", {"service_request_id": ids})
    assert response.status_code == 400
    assert errors(response, "json")[0]["description"].startswith("service_request_id")


# --- issue 11: dates out of range, an oversized body, a failure after the case -------------
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("start_date", "9999-12-31T00:00:00Z"),  # start + 90 days overflowed (500)
        ("end_date", "0001-01-01T00:00:00Z"),  # end - 90 days overflowed (500)
        ("start_date", "1999-12-31"),
        ("end_date", "2100-01-01T00:00:00+08:00"),
        ("start_date", "2026-11-01T00:00:00+16:00"),
    ],
)
def test_a_date_out_of_range_is_a_400_naming_the_parameter(client, db, fmt, name, value):
    response = client.get(f"{BASE}/requests.{fmt}", {name: value})
    assert response.status_code == 400, response.content
    [error] = errors(response, fmt)
    assert error["code"] == 400 and error["description"].startswith(f"{name}: ")


def test_a_datetime_answer_out_of_range_is_a_400(post, questions):
    response = post(**{"attribute[SOURCE]": "shop", "attribute[SINCE]": "0001-01-01T00:00:00Z"})
    assert response.status_code == 400
    assert errors(response, "json")[0]["description"].startswith("attribute[SINCE]")
    assert not Case.objects.exists()


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_oversized_body_is_a_413_in_the_spec_format(client, key, settings, fmt, debug):
    """Django answered an HTML page (400) for a body over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        f"{BASE}/requests.{fmt}",
        {"api_key": key, "service_code": "HJ01", "description": "噪" * 2000},
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")
    [error] = errors(response, fmt)
    assert error["code"] == 413 and "过大" in error["description"]
    assert not Case.objects.exists()


def test_a_failure_after_the_case_was_registered_leaves_no_case(
    client, post, questions, settings, monkeypatch
):
    from zhili.open311 import views

    settings.DEBUG = False
    client.raise_request_exception = False
    with monkeypatch.context() as patch:
        patch.setattr(views, "render", lambda *args, **kwargs: 1 / 0)
        response = post(**{"attribute[SOURCE]": "shop"})
    assert response.status_code == 500
    assert errors(response, "json") == [
        {"code": 500, "description": "服务器内部错误，已记录，请稍后重试"}
    ]
    assert not Case.objects.exists()


def test_bidi_controls_are_stripped_from_names(post, questions):
    response = post(first_name="先\u202e生", **{"attribute[SOURCE]": "shop"})
    assert response.status_code == 201
    assert "\u202e" not in Case.objects.get().reporter_name
