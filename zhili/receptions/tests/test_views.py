"""The pages: the month rota (fill by HTMX, print sheet), a rota day (book, record), the
leader's page, township supervision (sortable, XLSX)."""

from datetime import date, time
from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhili.receptions.models import Appointment, RotaDay
from zhili.receptions.services import appointment_book, ownership_assign, rota_set

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_rota_page_offers_a_leader_for_each_working_day(client, rx, county_day) -> None:
    page = signed_in(client, rx.petition).get("/receptions/rota/?month=2026-11")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="leader-2026-11-26"' in html and "leader</a>" in html
    assert 'data-testid="pick-2026-11-27"' in html  # Friday: a select
    assert 'data-testid="pick-2026-11-28"' not in html  # Saturday: rest
    assert 'data-testid="pick-2026-11-25"' not in html  # past
    assert "东海县县领导接访日程安排表" in html
    assert "县信访局接待大厅" in html  # the print sheet lists place and time
    assert "08:30–11:30" in html


def test_picking_a_leader_saves_the_day_by_htmx(client, rx) -> None:
    c = signed_in(client, rx.petition)
    answer = c.post("/receptions/rota/320722/2026-11-27/", {"leader": rx.leader2.pk}, **HTMX)
    assert answer.status_code == 200
    assert "已保存" in answer.content.decode()
    assert RotaDay.objects.get(date=date(2026, 11, 27)).leader == rx.leader2
    refused = c.post("/receptions/rota/320722/2026-11-28/", {"leader": rx.leader2.pk}, **HTMX)
    assert refused.status_code == 422
    assert "休息日或法定节假日" in refused.content.decode()
    wrong = c.post("/receptions/rota/320722/2026-11-30/", {"leader": rx.secretary.pk}, **HTMX)
    assert wrong.status_code == 422 and "请选择接访领导" in wrong.content.decode()


def test_the_rota_is_read_only_and_scoped_for_others(client, rx, county_day) -> None:
    leader_page = signed_in(client, rx.leader).get("/receptions/rota/").content.decode()
    assert "pick-2026-11-27" not in leader_page and "leader-2026-11-26" in leader_page
    client.logout()
    township = signed_in(client, rx.township).get("/receptions/rota/")
    assert "甲镇综治中心" in township.content.decode()
    assert "leader-2026-11-26" not in township.content.decode()  # the county's is not theirs
    assert client.get("/receptions/rota/?org=320722").status_code == 404
    assert client.get(f"/receptions/day/{county_day.pk}/").status_code == 404
    assert (
        client.post(
            "/receptions/rota/320722901/2026-11-27/", {"leader": rx.secretary.pk}
        ).status_code
        == 403
    )
    client.logout()
    assert signed_in(client, rx.gridworker).get("/receptions/rota/").status_code == 403


def test_booking_and_a_full_day_on_the_day_page(client, rx, county_day) -> None:
    c = signed_in(client, rx.petition)
    url = f"/receptions/day/{county_day.pk}/book/"
    form = {
        "slot_time": "09:00",
        "visitor_name": "赵六",
        "visitor_phone": "13900001111",
        "subject": "征地",
    }
    assert c.post(url, form, **HTMX).status_code == 200
    taken = c.post(url, form, **HTMX)
    assert taken.status_code == 409 and "09:00 这一时段已被预约" in taken.content.decode()
    for slot in ("09:30", "10:00"):
        c.post(url, {**form, "slot_time": slot}, **HTMX)
    full = c.post(url, {**form, "slot_time": "10:30"}, **HTMX)
    assert full.status_code == 409 and "预约已满（共3个名额）" in full.content.decode()
    page = c.get(f"/receptions/day/{county_day.pk}/").content.decode()
    assert "139****1111" in page and "13900001111" not in page  # masked


def test_the_leader_records_a_joint_reception(client, rx, county_day) -> None:
    appointment = appointment_book(
        actor=rx.petition,
        rota_day=county_day,
        slot_time=time(9, 0),
        subject="欠薪",
        visitor_name="赵六",
        visitor_phone="13900001111",
    )
    c = signed_in(client, rx.leader)
    url = f"/receptions/appointment/{appointment.pk}/receive/"
    form_page = c.get(url, **HTMX).content.decode()
    assert "联合接访部门" in form_page and "司法局" in form_page
    missing = c.post(url, {"mode": "in_person", "request": "", "decision": "x"}, **HTMX)
    assert missing.status_code == 422 and "请填写来访诉求" in missing.content.decode()
    done = c.post(
        url,
        {
            "mode": "in_person",
            "request": "讨薪",
            "decision": "人社局督促发放",
            "departments": [rx.rsj.pk, rx.sfj.pk],
            "assigned_unit": rx.rsj.pk,
            "deadline": "2026-12-03",
        },
        **HTMX,
    )
    assert done.status_code == 200
    html = done.content.decode()
    assert "已记录对赵六的接访" in html and "联合接访：" in html
    assert Appointment.objects.get(pk=appointment.pk).state == "received"


def test_the_leaders_page_lists_today_and_ownerships(client, rx, county_day, make_petition) -> None:
    petition = make_petition("征地补偿")
    ownership_assign(
        actor=rx.petition, leader=rx.leader, petition=petition, target_date=date(2026, 12, 20)
    )
    c = signed_in(client, rx.leader)
    html = c.get("/receptions/mine/").content.decode()
    assert "打开今日接访" in html and petition.number in html and "包案中" in html
    other = make_petition("道路破损")
    taken = c.post(
        "/receptions/ownership/take/",
        {"petition": other.number, "target_date": "2026-12-10"},
        **HTMX,
    )
    assert taken.status_code == 200 and f"已包案 {other.number}" in taken.content.decode()
    bad = c.post(
        "/receptions/ownership/take/", {"petition": "XF0", "target_date": "2026-12-10"}, **HTMX
    )
    # Changed on purpose (issue 13): a petition number that names nothing is a fault of the
    # form's input, a 422 (404 before), as on every page's form.
    assert bad.status_code == 422 and "信访事项不存在" in bad.content.decode()
    client.logout()
    assert signed_in(client, rx.petition).get("/receptions/mine/").status_code == 403


def test_township_supervision_sorts_and_exports(client, rx, make_petition) -> None:
    rota_set(
        actor=rx.petition, organization=rx.tree.t1, day=date(2026, 11, 26), leader=rx.secretary
    )
    c = signed_in(client, rx.dispatcher)
    page = c.get("/receptions/townships/?start=2026-11-01&end=2026-11-30&sort=rota_days&desc=1")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("township-320722901") < html.index("township-320722902")
    assert "张书记" in html
    export = c.get("/receptions/townships/?start=2026-11-01&end=2026-11-30&format=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "乡镇（街道）"
    assert rows[2][0] == "甲镇综治中心" and rows[2][2] == 1


def test_township_export_writes_hostile_names_as_text(client, rx) -> None:
    from zhili.core.tests.test_xlsx import PAYLOADS, inert_cells

    rx.tree.t1.area_name = PAYLOADS[0]
    rx.tree.t1.save(update_fields=["area_name"])
    rx.secretary.full_name = PAYLOADS[1]
    rx.secretary.save(update_fields=["full_name"])
    rota_set(
        actor=rx.petition, organization=rx.tree.t1, day=date(2026, 11, 26), leader=rx.secretary
    )
    c = signed_in(client, rx.dispatcher)
    export = c.get("/receptions/townships/?start=2026-11-01&end=2026-11-30&format=xlsx")
    assert export.status_code == 200
    assert PAYLOADS[0] in inert_cells(export.content)
