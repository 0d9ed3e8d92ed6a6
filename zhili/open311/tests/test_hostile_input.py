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
    response = post(description="噪音\x00很大\x07,\t请处理", **{"attribute[SOURCE]": "shop"})
    assert response.status_code == 201
    assert Case.objects.get().description.startswith("噪音很大,\t请处理")


def test_too_many_ids_at_once(client, db):
    ids = ",".join(f"DH20261126-{n:05d}" for n in range(1001))
    response = client.get(f"{BASE}/requests.json", {"service_request_id": ids})
    assert response.status_code == 400
    assert errors(response, "json")[0]["description"].startswith("service_request_id")
