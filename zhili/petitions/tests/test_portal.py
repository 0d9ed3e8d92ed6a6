"""信访事项查询 on the citizen page: lookup by number and phone tail (one answer for a wrong
tail and an unknown number, audited, rate limited), the reply shown, one rating."""

import re
from typing import Any

from django.test import Client

from zhili.core.models import AuditLog
from zhili.petitions.models import Petition
from zhili.petitions.tests.conftest import advance

TOKEN = re.compile(r'name="token" value="([^"]+)"')


def lookup(client: Client, number: str, tail: str) -> Any:
    return client.post("/citizen/petition/", {"number": number, "phone_tail": tail})


def test_the_form_is_on_the_citizen_page(db: Any) -> None:
    page = Client().get("/citizen/petition/")
    assert page.status_code == 200 and "信访事项查询" in page.content.decode()
    assert 'data-testid="tab-petition"' in Client().get("/citizen/").content.decode()


def test_the_petitioner_sees_progress_and_the_reply(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    response = lookup(Client(), petition.number.lower(), "1234")
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="petition-result"' in body
    assert "已答复" in body and "责成村委会十日内足额发放" in body and "甲镇综治中心" in body
    assert "申请复查" in body and 'data-testid="petition-rate-form"' in body
    assert staff.township.username not in body  # no staff names
    log = AuditLog.objects.get(action="petitions.petition.citizen_lookup")
    assert log.extra["found"] is True


def test_a_wrong_tail_and_an_unknown_number_look_the_same(register: Any, staff: Any) -> None:
    petition = register()
    wrong = lookup(Client(), petition.number, "0000")
    unknown = lookup(Client(), "XF2099-999999", "1234")
    assert wrong.status_code == unknown.status_code == 404
    for response in (wrong, unknown):
        body = response.content.decode()
        assert "未找到该信访事项" in body and petition.title not in body
    assert (
        AuditLog.objects.filter(
            action="petitions.petition.citizen_lookup", extra__found=False
        ).count()
        == 2
    )


def test_a_bad_number_is_a_field_error(db: Any) -> None:
    response = lookup(Client(), "abc", "12")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-number"' in body and 'data-testid="error-phone_tail"' in body


def test_repeated_failures_on_one_number_are_limited(register: Any, settings: Any) -> None:
    petition = register()
    settings.ZHILI_RATE_LIMITS = {**settings.ZHILI_RATE_LIMITS, "portal.lookup_case": (3, 3600)}
    for _ in range(3):
        assert lookup(Client(), petition.number, "0000").status_code == 404
    assert lookup(Client(), petition.number, "1234").status_code == 429


def test_rating_once_after_the_reply(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    client = Client()
    token = TOKEN.search(lookup(client, petition.number, "1234").content.decode())[1]  # type: ignore[index]
    done = client.post(
        "/citizen/petition/rate/", {"token": token, "rating": "basically", "comment": "还行"}
    )
    assert done.status_code == 200 and "评价已提交" in done.content.decode()
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.rating == "basically" and petition.rated_at is not None
    event = petition.events.get(action="rate")
    assert event.actor is None and event.note == "信访人自评"
    again = client.post("/citizen/petition/rate/", {"token": token, "rating": "unsatisfied"})
    assert again.status_code == 409
    assert Petition.objects.get(pk=petition.pk).rating == "basically"


def test_no_rating_before_the_reply(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "accept")
    body = lookup(Client(), petition.number, "1234").content.decode()
    assert 'data-testid="petition-rate-form"' not in body and "办理期限" in body
    from django.core import signing

    token = signing.dumps(petition.pk, salt="zhili.portal.petition_rate")
    response = Client().post("/citizen/petition/rate/", {"token": token, "rating": "satisfied"})
    assert response.status_code == 409 and "答复后才能评价" in response.content.decode()


def test_a_forged_token_is_refused(register: Any) -> None:
    response = Client().post("/citizen/petition/rate/", {"token": "x", "rating": "satisfied"})
    assert response.status_code == 400 and 'data-testid="expired"' in response.content.decode()
