"""Who may generate, who sees which report, distribution (下发) and read receipts."""

from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from docx import Document

from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.roles import Role
from zhili.reports.models import ReportDelivery
from zhili.reports.services import report_deliver, report_generate, report_request

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def report(day_data: Any, staff: Any) -> Any:
    queued = report_request(actor=staff.dispatcher, kind="daily", period=f"{day_data.day:%Y-%m-%d}")
    return report_generate(queued.pk)


def test_only_the_county_center_generates(day_data, staff, make_user, tree):
    period = f"{day_data.day:%Y-%m-%d}"
    for user in (staff.township, staff.village, staff.police, staff.gridworker):
        with pytest.raises(Forbidden):
            report_request(actor=user, kind="daily", period=period)
    # A dispatcher's role held at a township does not make the county's report.
    township_dispatcher = make_user("tdispatch", tree.t1, Role.DISPATCHER)
    with pytest.raises(Forbidden):
        report_request(actor=township_dispatcher, kind="daily", period=period)
    analyst = make_user("analyst", tree.county, Role.ANALYST)
    assert report_request(actor=analyst, kind="daily", period=period).version == 1


@pytest.mark.parametrize(
    ("kind", "period", "field"),
    [
        ("yearly", "2020-12-03", "kind"),
        ("quarterly", "2020-Q5", "period"),
        ("monthly", "2020-13", "period"),
        ("daily", "2026-13-01", "period"),
        ("daily", "20261203", "period"),
        ("daily", "2099-12-31", "period"),
        ("daily", "1999-12-31", "period"),
    ],
)
def test_bad_input_names_the_field(staff, kind, period, field):
    with pytest.raises(InvalidInput) as caught:
        report_request(actor=staff.dispatcher, kind=kind, period=period)
    assert caught.value.field == field


def test_a_township_sees_a_report_once_delivered_and_its_reading_is_receipted(report, staff, tree):
    township = client_for(staff.township)
    url = f"/reports/{report.pk}/"
    assert township.get(url).status_code == 404
    assert "研判报告" not in township.get("/").content.decode()
    report_deliver(actor=staff.dispatcher, report=report, units=[tree.t1.code, tree.t2.code])
    assert township.get("/").content.decode().count("研判报告") >= 1
    page = township.get(url)
    assert page.status_code == 200
    assert "下发与阅读" not in page.content.decode()  # the receipts are the sender's
    delivery = ReportDelivery.objects.get(report=report, unit=tree.t1)
    assert delivery.read_by == staff.township and delivery.read_at is not None
    first_read = delivery.read_at
    township.get(url)
    delivery.refresh_from_db()
    assert delivery.read_at == first_read  # the first reader is kept
    assert ReportDelivery.objects.get(report=report, unit=tree.t2).read_at is None
    sender = client_for(staff.dispatcher).get(url).content.decode()
    assert "1 / 2 已读" in sender and staff.township.display_name in sender
    # Another unit, not delivered to, still sees nothing.
    assert client_for(staff.police).get(url).status_code == 404


def test_delivery_checks_its_units(report, staff, tree):
    with pytest.raises(InvalidInput) as caught:
        report_deliver(actor=staff.dispatcher, report=report, units=[])
    assert caught.value.field == "units"
    with pytest.raises(InvalidInput):
        report_deliver(actor=staff.dispatcher, report=report, units=["nope"])
    with pytest.raises(Forbidden):
        report_deliver(actor=staff.township, report=report, units=[tree.t1.code])
    assert len(report_deliver(actor=staff.dispatcher, report=report, units=[tree.t1.code])) == 1
    assert report_deliver(actor=staff.dispatcher, report=report, units=[tree.t1.code]) == []
    queued = report_request(actor=staff.dispatcher, kind="daily", period=report.period)
    with pytest.raises(Conflict):
        report_deliver(actor=staff.dispatcher, report=queued, units=[tree.t1.code])


def test_the_deliver_form(report, staff, tree):
    client = client_for(staff.dispatcher)
    response = client.post(f"/reports/{report.pk}/deliver/", {"units": [tree.t1.code]})
    assert response.status_code == 302
    assert ReportDelivery.objects.filter(report=report, unit=tree.t1).exists()
    refused = client.post(f"/reports/{report.pk}/deliver/", {})
    assert refused.status_code == 422 and "请选择接收单位" in refused.content.decode()


def test_the_pages(report, staff):
    client = client_for(staff.dispatcher)
    listing = client.get("/reports/").content.decode()
    assert f"/reports/{report.pk}/" in listing and "生成报告" in listing
    page = client.get(f"/reports/{report.pk}/").content.decode()
    for title in (
        "一、总体情况",
        "社情民意",
        "二、新增预警",
        "三、红黄牌",
        "六、在办督办",
        "下载Word",
    ):
        assert title in page
    assert client.get(f"/reports/{report.pk}/print/").status_code == 200
    refused = client.post("/reports/generate/", {"kind": "daily", "day": "2099-01-01"})
    assert refused.status_code == 422 and "尚未开始" in refused.content.decode()
    made = client.post("/reports/generate/", {"kind": "daily", "day": report.period})
    assert made.status_code == 302
    status = client.get(made["Location"] + "_status/", HTTP_HX_REQUEST="true")
    assert status.status_code == 200 and "等待后台生成" in status.content.decode()
    assert client_for(staff.gridworker).get("/reports/").status_code == 403


def test_the_word_file_opens_with_its_tables_and_the_print_page_has_its_words(report, staff):
    from zhili.core.tests.papers import assert_same_words

    client = client_for(staff.dispatcher)
    response = client.get(f"/reports/{report.pk}/document/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(BytesIO(response.content))
    assert len(document.tables) == 9  # two in the totals, three of warnings, one in each other
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header == ["来源渠道", "受理件数"]
    last = [cell.text for cell in document.tables[0].rows[-1].cells]
    assert last == ["合计", "6"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "一、总体情况" in text and "日报" in text
    assert_same_words(client.get(f"/reports/{report.pk}/print/").content.decode(), response.content)


def test_the_admin_shows_a_report_and_its_deliveries(report, staff, tree, make_user):
    report_deliver(actor=staff.dispatcher, report=report, units=[tree.t1.code])
    root = make_user("root", tree.county, is_superuser=True, is_staff=True)
    client = client_for(root)
    assert client.get("/admin/reports/report/").status_code == 200
    page = client.get(f"/admin/reports/report/{report.pk}/change/")
    assert page.status_code == 200 and tree.t1.name in page.content.decode()
