"""A citizen reports without an account: one case, channel web, routed; errors by field with
what was typed kept; the challenge, the honeypot and the rate limit hold robots off."""

from datetime import timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhili.cases.models import Case, CaseAttachment, Channel, State
from zhili.core.models import AuditLog, OutboxEvent
from zhili.portal.challenge import TTL
from zhili.portal.tests.conftest import PHONE, PNG, challenge_of


def test_the_page_is_public_and_asks_a_question(citizen, catalog):
    response = citizen.client.get("/citizen/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "东海县社会治理" in html and "群众诉求" in html
    assert 'name="website"' in html  # the honeypot
    assert f'<optgroup label="{catalog.env.name}">' in html
    assert f'value="{catalog.noise.code}"' in html
    assert "分拨工作台" not in html  # not the staff navigation


def test_a_report_creates_one_web_case_and_routes_it(citizen, tree, rules, catalog):
    token, answer = citizen.challenge()
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = citizen.report(token=token, answer=answer, photos=[photo])

    assert response.status_code == 200
    case = Case.objects.get()
    assert case.channel == Channel.WEB
    assert case.state == State.REGISTERED
    assert case.registered_by is None
    assert case.category == catalog.noise
    assert case.grid == tree.g111 and case.village == tree.v11
    assert case.dispatch_center == tree.t1
    assert case.suggested_unit == tree.t1  # the rule "noise in township T1 -> T1"
    assert case.reporter_phone == PHONE and case.reporter_name == "王先生"
    assert case.title.startswith("小区旁工地每晚施工")
    assert CaseAttachment.objects.filter(case=case, content_type="image/png").count() == 1
    assert AuditLog.objects.filter(action="cases.case.register", target_id=str(case.pk)).exists()
    assert OutboxEvent.objects.filter(name="cases.registered").count() == 1
    html = response.content.decode()
    assert case.case_no in html
    assert "请保存好诉求编号" in html and "联系电话后四位" in html
    assert PHONE not in html  # masked
    assert "139****5678" in html


def test_an_address_without_a_point_is_enough(citizen, rules, tree):
    response = citizen.report(lat="", lng="", address="甲镇人民路18号")
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.address == "甲镇人民路18号" and case.lat is None
    # No point: the address names 甲镇, whose noise rule routes the case to its center.
    assert case.township == tree.t1 and case.village is None
    assert case.dispatch_center == tree.t1 and case.suggested_unit == tree.t1
    no_place = citizen.report(lat="", lng="", address="小区东门")
    assert no_place.status_code == 200
    unplaced = Case.objects.exclude(pk=case.pk).get()
    assert unplaced.dispatch_center == tree.county  # no place named: the county sorts it out


def test_bad_inputs_give_field_errors_and_keep_what_was_typed(citizen, rules):
    response = citizen.report(
        category="",
        reporter_phone="12345",
        lat="",
        lng="",
        address="",
        description="漏水了，楼上漏水",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-category"' in html
    assert 'data-testid="error-reporter_phone"' in html and "电话号码格式不正确" in html
    assert 'data-testid="error-address"' in html
    assert "漏水了，楼上漏水" in html  # what was typed is still there
    assert 'value="12345"' in html
    assert Case.objects.count() == 0


def test_a_short_description_is_refused(citizen, rules):
    response = citizen.report(description="吵")
    assert response.status_code == 400
    assert "至少5个字" in response.content.decode()
    assert Case.objects.count() == 0


def test_photos_are_checked_by_their_content(citizen, rules):
    fake = SimpleUploadedFile("photo.jpg", b"<html>not a picture</html>", content_type="image/jpeg")
    response = citizen.report(photos=[fake])
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-photos"' in html and "类型不受支持" in html
    assert "照片未保存，请重新选择" in html
    assert Case.objects.count() == 0

    pdf = SimpleUploadedFile("a.jpg", b"%PDF-1.4 ...", content_type="image/jpeg")
    response = citizen.report(photos=[pdf])
    assert response.status_code == 422 and "不是图片" in response.content.decode()

    four = [SimpleUploadedFile(f"{i}.png", PNG, content_type="image/png") for i in range(4)]
    response = citizen.report(photos=four)
    assert response.status_code == 422 and "最多上传3张照片" in response.content.decode()
    assert Case.objects.count() == 0


def test_the_challenge_is_required(citizen, rules):
    token, _ = citizen.challenge()
    response = citizen.report(token=token, answer="")
    assert response.status_code == 422
    assert 'data-testid="error-challenge_answer"' in response.content.decode()
    response = citizen.report(token="", answer="7")
    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_a_wrong_answer_uses_the_question_up(citizen, rules):
    token, right = citizen.challenge()
    wrong = str(int(right) + 1)
    response = citizen.report(token=token, answer=wrong)
    assert response.status_code == 422
    assert "答案不正确" in response.content.decode()
    # The right answer on the same token is too late: one try per question.
    response = citizen.report(token=token, answer=right)
    assert response.status_code == 422
    assert "验证题已使用" in response.content.decode()
    assert Case.objects.count() == 0
    # The page gave a new question, which works.
    token2, right2 = challenge_of(response.content.decode())
    assert token2 != token
    assert citizen.report(token=token2, answer=right2).status_code == 200
    assert Case.objects.count() == 1


def test_the_same_form_sent_twice_makes_one_case(citizen, rules):
    token, answer = citizen.challenge()
    first = citizen.report(token=token, answer=answer)
    second = citizen.report(token=token, answer=answer)
    case = Case.objects.get()
    assert first.status_code == second.status_code == 200
    assert case.case_no in second.content.decode()


def test_a_question_expires(citizen, rules):
    token, answer = citizen.challenge()
    with time_machine.travel(timezone.now() + timedelta(seconds=TTL + 5)):
        response = citizen.report(token=token, answer=answer)
    assert response.status_code == 422
    assert "验证题已过期" in response.content.decode()
    assert Case.objects.count() == 0


def test_full_width_digits_are_accepted(citizen, rules):
    token, answer = citizen.challenge()
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in answer)
    assert citizen.report(token=token, answer=full_width).status_code == 200


def test_the_honeypot_catches_robots(citizen, rules):
    response = citizen.report(website="http://spam.example")
    assert response.status_code == 400
    assert "提交未通过校验" in response.content.decode()
    assert Case.objects.count() == 0


def test_the_report_rate_limit_holds(citizen, rules, settings):
    settings.ZHILI_RATE_LIMITS = {**settings.ZHILI_RATE_LIMITS, "portal.report": (2, 3600)}
    assert citizen.report().status_code == 200
    assert citizen.report(description="").status_code == 400  # a failed try counts too
    response = citizen.report()
    assert response.status_code == 429
    html = response.content.decode()
    assert "操作过于频繁" in html and "以后再试" in html
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Case.objects.count() == 1
    # Another address is not affected.
    other = citizen.client.post("/citizen/", {}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code != 429
    # After the window, the same address may report again.
    with time_machine.travel(timezone.now() + timedelta(seconds=3601)):
        assert citizen.report().status_code == 200
    assert Case.objects.count() == 2


def test_the_township_outlines_are_public(citizen, tree):
    response = citizen.client.get("/citizen/map/townships.json")
    assert response.status_code == 200
    features = response.json()["features"]
    names = sorted(f["properties"]["name"] for f in features)
    assert names == sorted([tree.t1.area_name, tree.t2.area_name])
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features)
