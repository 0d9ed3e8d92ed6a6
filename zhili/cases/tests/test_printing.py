"""The case's print pages: the 工单处理单 and the 受理回执. Scoped like the detail page,
audited like a reveal, the phone masked unless the reveal rule allows the full number."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhili.cases.models import Case
from zhili.cases.services import Intake, case_act, case_register
from zhili.core.models import AuditLog
from zhili.core.personal import mask_phone
from zhili.core.qr import qr_svg

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def prints(case: Case) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(
            action="personal_data.print", target_type="cases.case", target_id=str(case.pk)
        ).order_by("id")
    )


@pytest.fixture
def handled(staff, register) -> Case:
    """A noise case of 甲镇 dispatched to 城管局, acknowledged and answered."""
    case = register(address="甲镇人民路18号东侧工地")
    case = case_act(
        actor=staff.dispatcher,
        case=case,
        action="dispatch",
        unit=staff.cgj_handler.organization.code,
    )
    case = case_act(actor=staff.cgj_handler, case=case, action="acknowledge")
    return case_act(
        actor=staff.cgj_handler, case=case, action="reply", reply="已责令工地夜间停工，并安排巡查。"
    )


def test_the_work_order_form_prints_the_whole_record(staff, handled):
    response = client_for(staff.dispatcher).get(reverse("cases:print_form", args=[handled.case_no]))
    assert response.status_code == 200
    html = response.content.decode()
    local = timezone.localtime
    for text in (
        "工单处理单",
        staff.dispatcher.organization.name,  # the county center heads the form
        handled.case_no,
        handled.get_channel_display(),
        f"{local(handled.registered_at):%Y年}{local(handled.registered_at).month}月",
        handled.reporter_name,
        mask_phone(handled.reporter_phone),
        handled.address,
        handled.category.name,
        handled.description,
        handled.lead_unit.name,
        f"{local(handled.due_at):%H:%M}",
        "派单",
        "签收",
        handled.reply,
        "负责人（签字）",
        "审核人（签字）",
        "web/print.css",
    ):
        assert text in html, text
    assert handled.reporter_phone not in html  # masked as in the lists
    assert 'class="sidenav"' not in html  # no navigation chrome
    [row] = prints(handled)
    assert row.actor == staff.dispatcher
    assert row.extra == {"document": "cases.form", "fields": ["reporter_name", "reporter_phone"]}


def test_the_full_number_follows_the_reveal_rule(staff, handled):
    url = reverse("cases:print_form", args=[handled.case_no]) + "?phone=full"
    response = client_for(staff.dispatcher).get(url)
    assert handled.reporter_phone in response.content.decode()
    assert prints(handled)[-1].extra["fields"] == ["reporter_name", "reporter_phone:full"]
    # The handling unit sees the case but may not reveal: refused, and nothing printed.
    assert client_for(staff.cgj_handler).get(url).status_code == 403
    assert len(prints(handled)) == 1
    masked = client_for(staff.cgj_handler).get(reverse("cases:print_form", args=[handled.case_no]))
    assert masked.status_code == 200 and "?phone=full" not in masked.content.decode()


def test_the_receipt_tells_the_caller_how_to_follow_the_case(staff, register, settings):
    settings.ZHILI_PUBLIC_URL = "https://zhili.example.gov.cn"
    settings.ZHILI_HOTLINE = "0518-12345"
    case = register(reporter_name="刘海燕")
    response = client_for(staff.dispatcher).get(reverse("cases:print_receipt", args=[case.case_no]))
    assert response.status_code == 200
    html = response.content.decode()
    progress = f"https://zhili.example.gov.cn/citizen/progress/?case_no={case.case_no}"
    for text in (
        "受理回执",
        staff.dispatcher.organization.name,
        "刘海燕：",
        case.case_no,
        progress,
        case.reporter_phone[-4:],
        mask_phone(case.reporter_phone),
        "0518-12345",
        f"已由{staff.dispatcher.organization.name}登记受理",  # the registering officer's unit
        f"{case.dispatch_center.name}将按照权责清单",  # not yet dispatched
    ):
        assert text in html, text
    assert case.reporter_phone not in html
    assert str(qr_svg(progress, title="办理进度查询")) in html  # the QR code opens that page
    [row] = prints(case)
    assert row.extra == {"document": "cases.receipt", "fields": ["reporter_name", "reporter_phone"]}


def test_the_receipt_names_the_unit_and_deadline_once_dispatched(staff, register):
    case = register()
    case = case_act(
        actor=staff.dispatcher,
        case=case,
        action="dispatch",
        unit=staff.cgj_handler.organization.code,
    )
    html = client_for(staff.dispatcher).get(reverse("cases:print_receipt", args=[case.case_no]))
    text = html.content.decode()
    assert f"您的诉求已派至{case.lead_unit.name}办理" in text
    assert f"{timezone.localtime(case.due_at):%H:%M}前办结" in text


def test_the_receipt_without_a_phone_points_to_the_hotline(staff, register, settings):
    case = register(anonymous=True)
    html = client_for(staff.dispatcher).get(reverse("cases:print_receipt", args=[case.case_no]))
    text = html.content.decode()
    assert "您好：" in text and "本诉求未留联系电话" in text and settings.ZHILI_HOTLINE in text
    assert prints(case)[0].extra["fields"] == []


def test_the_receipt_uses_the_requests_address_without_a_public_url(staff, register, settings):
    settings.ZHILI_PUBLIC_URL = ""
    case = register()
    html = client_for(staff.dispatcher).get(reverse("cases:print_receipt", args=[case.case_no]))
    assert f"http://testserver/citizen/progress/?case_no={case.case_no}" in html.content.decode()


@pytest.mark.parametrize("name", ["cases:print_form", "cases:print_receipt"])
def test_not_yours_is_404_and_leaves_no_audit_row(staff, register, name):
    case = register()  # in 甲镇: 乙乡 and 公安局 do not see it
    for outsider in (staff.t2_officer, staff.police):
        assert client_for(outsider).get(reverse(name, args=[case.case_no])).status_code == 404
    assert (
        client_for(staff.dispatcher).get(reverse(name, args=["DH00000000-99999"])).status_code
        == 404
    )
    assert Client().get(reverse(name, args=[case.case_no])).status_code == 302  # to the login
    assert prints(case) == []


def test_the_detail_page_opens_both_print_views(staff, register):
    case = register()
    html = client_for(staff.dispatcher).get(reverse("cases:detail", args=[case.case_no]))
    text = html.content.decode()
    assert reverse("cases:print_form", args=[case.case_no]) in text
    assert reverse("cases:print_receipt", args=[case.case_no]) in text


def test_the_receipts_link_fills_in_the_case_number(staff, register):
    case = register()
    url = reverse("portal:progress") + f"?case_no={case.case_no.lower()}"
    assert f'value="{case.case_no}"' in Client().get(url).content.decode()
    odd = Client().get(reverse("portal:progress") + "?case_no=<b>x</b>").content.decode()
    assert "&lt;b&gt;" not in odd and "<b>x</b>" not in odd


def test_the_progress_url_is_the_lookup_page(staff, register):
    case = register()
    html = client_for(staff.dispatcher).get(reverse("cases:print_receipt", args=[case.case_no]))
    url = html.context["receipt"].progress_url
    parts = urlsplit(url)
    assert parts.path == reverse("portal:progress")
    assert parse_qs(parts.query) == {"case_no": [case.case_no]}


def test_the_receipt_of_an_answered_case_says_so(staff, handled):
    case = case_act(actor=staff.dispatcher, case=handled, action="close")
    case = case_act(actor=staff.dispatcher, case=case, action="rate", rating="satisfied")
    html = client_for(staff.dispatcher).get(reverse("cases:print_receipt", args=[case.case_no]))
    text = html.content.decode()
    replied = timezone.localtime(case.replied_at)
    assert f"您的诉求已于{replied.year}年{replied.month}月{replied.day}日" in text
    assert f"您的评价为“{case.get_rating_display()}”" in text
    assert "前办结并答复您" not in text


def test_a_request_from_the_citizen_page_is_received_by_its_dispatch_center(staff, catalog):
    intake = Intake(
        channel="web",
        category=catalog.noise,
        title="夜间施工噪音",
        description="小区旁工地夜间施工，噪音很大",
        lat=34.505,
        lng=118.705,
        reporter_phone="13912345678",
    )
    case = case_register(actor=None, intake=intake)
    html = client_for(staff.dispatcher).get(reverse("cases:print_receipt", args=[case.case_no]))
    text = html.content.decode()
    assert f"已由{case.dispatch_center.name}登记受理" in text
    assert f"{case.dispatch_center.name}（受理专用章）" in text
