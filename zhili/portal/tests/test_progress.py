"""Progress lookup: the case number and the phone's last four digits show the state, the
public timeline and the reply; anything else shows the same "未找到" and reveals nothing."""

from zhili.cases.models import Case
from zhili.cases.services import case_act
from zhili.core.models import AuditLog
from zhili.portal.tests.conftest import (
    PHONE,
    REPLY,
    RETURN_REASON,
    SECRET_TEXT,
    SECRET_TITLE,
    closed,
    replied,
)


def assert_reveals_nothing(html: str, case: Case) -> None:
    for secret in (SECRET_TITLE, SECRET_TEXT, REPLY, "李女士", PHONE, "甲镇综治中心", "诉求已受理"):
        assert secret not in html
    assert 'data-testid="lookup-result"' not in html
    assert "未找到该诉求" in html


def test_a_wrong_tail_reveals_nothing(citizen, web_case, staff, handler):
    case = closed(web_case, staff, handler)
    response = citizen.lookup(case.case_no, "0000")
    assert response.status_code == 404
    assert_reveals_nothing(response.content.decode(), case)


def test_an_unknown_number_looks_the_same_as_a_wrong_tail(citizen, web_case):
    wrong_tail = citizen.lookup(web_case.case_no, "1234")
    unknown = citizen.lookup("DH20991231-99999", "1234")
    assert wrong_tail.status_code == unknown.status_code == 404

    def body(response, number):  # the page, less what the citizen typed and the CSRF token
        html = response.content.decode().replace(number, "")
        return [line for line in html.splitlines() if "csrfmiddlewaretoken" not in line]

    assert body(wrong_tail, web_case.case_no) == body(unknown, "DH20991231-99999")


def test_the_right_tail_shows_the_timeline_and_the_reply(citizen, web_case, staff, handler):
    case = replied(web_case, staff, handler)
    case_act(actor=staff.dispatcher, case=case, action="close", note="内部审核意见")
    response = citizen.lookup(case.case_no.lower(), PHONE[-4:])
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="lookup-result"' in html
    assert "已办结" in html  # the state
    for step in ("诉求已受理", "已转交承办单位", "承办单位已签收", "承办单位已反馈办理结果"):
        assert step in html
    assert "审核通过，已办结" in html
    assert "甲镇综治中心" in html  # the unit's name
    assert REPLY in html
    # No staff names, no notes, no personal data.
    for private in ("张晓明", staff.dispatcher.username, "内部审核意见", PHONE, "李女士"):
        assert private not in html


def test_before_the_reply_there_is_no_reply_and_internal_steps_stay_inside(
    citizen, web_case, staff, handler
):
    case = case_act(actor=staff.dispatcher, case=web_case, action="dispatch")
    case = case_act(actor=handler, case=case, action="return", reason=RETURN_REASON)
    html = citizen.lookup(case.case_no, PHONE[-4:]).content.decode()
    assert "承办单位退回，重新分派" in html
    assert RETURN_REASON not in html
    assert 'data-testid="reply"' not in html
    assert 'data-testid="rate-form"' not in html


def test_each_lookup_is_audited(citizen, web_case):
    citizen.lookup(web_case.case_no, "0000")
    citizen.lookup(web_case.case_no, PHONE[-4:])
    citizen.lookup("DH20991231-99999", "0000")
    rows = AuditLog.objects.filter(action="cases.case.citizen_lookup").order_by("id")
    assert [(r.target_id, r.extra["found"]) for r in rows] == [
        (str(web_case.pk), False),
        (str(web_case.pk), True),
        ("", False),
    ]
    assert all(r.actor is None and r.extra["client"] == "127.0.0.1" for r in rows)
    assert all(PHONE[-4:] not in str(r.extra) for r in rows)  # the tail is not stored


def test_bad_formats_are_field_errors(citizen):
    response = citizen.lookup("", "12a")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-case_no"' in html and 'data-testid="error-phone_tail"' in html


def test_the_lookup_rate_limit_holds(citizen, web_case, settings):
    settings.ZHILI_RATE_LIMITS = {**settings.ZHILI_RATE_LIMITS, "portal.lookup": (3, 600)}
    for tail in ("0001", "0002", "0003"):
        assert citizen.lookup(web_case.case_no, tail).status_code == 404
    response = citizen.lookup(web_case.case_no, PHONE[-4:])
    assert response.status_code == 429
    assert SECRET_TITLE not in response.content.decode()


def test_failed_lookups_of_one_number_are_limited_from_any_address(citizen, web_case, settings):
    settings.ZHILI_RATE_LIMITS = {**settings.ZHILI_RATE_LIMITS, "portal.lookup_case": (2, 3600)}
    client = citizen.client
    for n, address in enumerate(("10.0.0.1", "10.0.0.2")):
        data = {"case_no": web_case.case_no, "phone_tail": f"000{n}"}
        assert client.post("/citizen/progress/", data, REMOTE_ADDR=address).status_code == 404
    data = {"case_no": web_case.case_no, "phone_tail": PHONE[-4:]}
    assert client.post("/citizen/progress/", data, REMOTE_ADDR="10.0.0.3").status_code == 429
    # Another case number is not affected.
    other = client.post("/citizen/progress/", {"case_no": "DH20991231-00001", "phone_tail": "0000"})
    assert other.status_code == 404
