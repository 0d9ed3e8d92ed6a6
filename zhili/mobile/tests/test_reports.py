"""POST /m/api/reports: a grid worker's report becomes one case per idempotency key."""

import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhili.cases.models import Case, CaseAttachment, Channel, State
from zhili.cases.services import title_from
from zhili.mobile import services
from zhili.mobile.tests.conftest import PDF, PNG

URL = "/m/api/reports"


def report(key: Any = None, **fields: Any) -> dict[str, Any]:
    data = {
        "key": str(key or uuid.uuid4()),
        "category": "SZ01",
        "description": "甲一村村委会门口路灯不亮已有三天\n晚上行人看不清路",
        "lat": "34.505",
        "lng": "118.705",
        "address": "甲一村村委会门口",
    }
    data.update(fields)
    return data


def photo(name: str = "现场.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_sending_twice_makes_one_case(phone, workers, tree):
    key = uuid.uuid4()
    first = phone.post(URL, report(key, photos=[photo()]))
    assert first.status_code == 201, first.content
    again = phone.post(URL, report(key, photos=[photo()]))
    assert again.status_code == 200
    assert again.json()["case_no"] == first.json()["case_no"]
    assert again.json()["created"] is False

    case = Case.objects.get(channel=Channel.GRID_REPORT, external_id=str(key))
    assert Case.objects.filter(channel=Channel.GRID_REPORT).count() == 1
    assert case.case_no == first.json()["case_no"]
    assert case.registered_by == workers.me
    assert case.state == State.REGISTERED
    assert case.grid == tree.g111  # routed from the GPS position
    assert case.title == "甲一村村委会门口路灯不亮已有三天"  # the description's first line
    assert CaseAttachment.objects.filter(case=case).count() == 1  # the resend added none


def test_a_new_key_is_a_new_case(phone, workers):
    assert phone.post(URL, report()).status_code == 201
    assert phone.post(URL, report()).status_code == 201
    assert Case.objects.filter(channel=Channel.GRID_REPORT).count() == 2


def test_without_gps_the_address_is_enough(phone, workers):
    response = phone.post(URL, report(lat="", lng="", urgency="urgent"))
    assert response.status_code == 201, response.content
    case = Case.objects.get(case_no=response.json()["case_no"])
    assert case.lat is None and case.address == "甲一村村委会门口"
    assert case.urgency == "urgent"


def test_a_long_first_line_is_shortened_for_the_title():
    title = title_from("村" * 50 + "\n第二行", services.TITLE_LENGTH)
    assert len(title) == services.TITLE_LENGTH and title.endswith("…")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": ""}, "category"),
        ({"category": "NOPE"}, "category"),
        ({"description": "   "}, "description"),
        ({"key": "not-a-uuid"}, "key"),
        ({"lat": "", "lng": "", "address": ""}, "address"),
        ({"lat": "91"}, "lat"),
        ({"lng": "东经"}, "lng"),
        ({"lat": ""}, "lat"),
        ({"reporter_phone": "12345"}, "reporter_phone"),
        ({"urgency": "panic"}, "urgency"),
        ({"photos": [SimpleUploadedFile("a.pdf", PDF, content_type="image/png")]}, "photos"),
        ({"photos": [SimpleUploadedFile("a.png", b"", content_type="image/png")]}, "photos"),
        (
            {"photos": [SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="image/png")]},
            "photos",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(phone, workers, fields, field):
    response = phone.post(URL, report(**fields))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert not Case.objects.exists()


def test_too_many_photos(phone, workers):
    photos = [photo(f"{i}.png") for i in range(services.MAX_PHOTOS + 1)]
    response = phone.post(URL, report(photos=photos))
    assert response.status_code == 422 and response.json()["field"] == "photos"


@pytest.mark.parametrize("who", ["dispatcher", "police", "village", "outsider"])
def test_only_grid_workers_may_report(client, staff, who):
    client.force_login(getattr(staff, who))
    response = client.post(URL, report())
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Case.objects.exists()


def test_signed_out_phone_gets_401_not_a_login_page(client, staff):
    response = client.post(URL, report())
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_csrf_is_required(staff, workers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(workers.me)
    assert client.post(URL, report()).status_code == 403
    client.get("/m/report/")  # sets the CSRF cookie, as the page does
    token = client.cookies["csrftoken"].value
    assert client.post(URL, report(), HTTP_X_CSRFTOKEN=token).status_code == 201


def test_get_is_not_allowed(phone):
    assert phone.get(URL).status_code == 405


def test_another_workers_key_is_a_conflict(client, phone, workers):
    key = uuid.uuid4()
    assert phone.post(URL, report(key)).status_code == 201
    client.force_login(workers.other)
    response = client.post(URL, report(key))
    assert response.status_code == 409 and response.json()["field"] == "key"
    assert Case.objects.count() == 1


def test_a_concurrent_twin_that_wins_the_insert_is_returned(phone, workers, monkeypatch):
    """Two sends of one key at once: both miss the lookup, one insert wins; the other hits the
    unique constraint on (channel, external_id) and answers with the winner's case."""
    key = uuid.uuid4()
    assert phone.post(URL, report(key)).status_code == 201
    real = services._existing_report
    calls = []

    def not_yet_committed(found_key, actor):
        calls.append(found_key)
        return None if len(calls) == 1 else real(found_key, actor)

    monkeypatch.setattr(services, "_existing_report", not_yet_committed)
    response = phone.post(URL, report(key))
    assert response.status_code == 200, response.content
    assert len(calls) == 2
    assert Case.objects.filter(external_id=str(key)).count() == 1


def test_a_record_queued_by_another_account_is_not_sent_under_mine(phone, workers):
    """A shared phone: records queued by gridworker2 wait for gridworker2 to sign in."""
    response = phone.post(URL, report(), HTTP_X_ZHILI_USER="gridworker2")
    assert response.status_code == 401 and response.json()["code"] == "other_user"
    assert not Case.objects.exists()
    assert phone.post(URL, report(), HTTP_X_ZHILI_USER="gridworker").status_code == 201
