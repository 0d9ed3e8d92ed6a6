"""The case list to XLSX: the list's filters and scope, masked phones, audited, bounded."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhili.core.models import AuditLog
from zhili.imports import exports

pytestmark = pytest.mark.django_db


def export(client, user, **params):
    client.force_login(user)
    return client.get(reverse("imports:export_cases"), params)


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content)
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def cases(register, catalog):
    return {
        "t1_noise": register(reporter_phone="13912345678"),
        "t1_lamp": register(category=catalog.lamp, channel="city_management"),
        "t2_noise": register(lat=34.515, lng=118.705, reporter_phone="0518-87654321"),
    }


def test_export_follows_the_filters(client, staff, cases):
    rows = rows_of(export(client, staff.dispatcher, channel="city_management"))
    assert [r["工单编号"] for r in rows] == [cases["t1_lamp"].case_no]
    rows = rows_of(export(client, staff.dispatcher, category="HJ"))
    assert {r["工单编号"] for r in rows} == {cases["t1_noise"].case_no, cases["t2_noise"].case_no}
    assert {r["事项分类"] for r in rows} == {"噪音扰民"}
    everything = rows_of(export(client, staff.dispatcher))
    assert len(everything) == 3
    # Newest first, as on the list.
    assert [r["工单编号"] for r in everything] == [
        c.case_no
        for c in sorted(cases.values(), key=lambda c: (c.registered_at, c.pk), reverse=True)
    ]


def test_export_follows_the_scope(client, staff, cases):
    township = rows_of(export(client, staff.township))
    assert {r["工单编号"] for r in township} == {
        cases["t1_noise"].case_no,
        cases["t1_lamp"].case_no,
    }
    assert rows_of(export(client, staff.t2_officer, channel="city_management")) == []


def test_export_masks_phones_and_is_audited(client, staff, cases):
    rows = {r["工单编号"]: r for r in rows_of(export(client, staff.dispatcher))}
    assert rows[cases["t1_noise"].case_no]["联系电话"] == "139****5678"
    assert rows[cases["t2_noise"].case_no]["联系电话"] == "051****4321"
    assert rows[cases["t1_noise"].case_no]["状态"] == "已受理"
    assert rows[cases["t1_noise"].case_no]["乡镇（街道）"]
    assert all("13912345678" not in str(v) for r in rows.values() for v in r.values())
    log = AuditLog.objects.get(action="cases.export")
    assert log.actor == staff.dispatcher and log.extra["rows"] == 3
    rows_of(export(client, staff.dispatcher, channel="hotline", registered_from="2026-11-01"))
    last = AuditLog.objects.filter(action="cases.export").order_by("-id").first()
    assert last.extra["filters"] == {"channel": "hotline", "registered_from": "2026-11-01"}
    assert last.extra["rows"] == 2


def test_too_large_an_export_is_refused_with_a_message(client, staff, cases, monkeypatch):
    monkeypatch.setattr(exports, "MAX_EXPORT", 2)
    response = export(client, staff.dispatcher)
    assert response.status_code == 422
    assert "超过单次导出上限" in response.content.decode()
    assert not AuditLog.objects.filter(action="cases.export").exists()
    assert rows_of(export(client, staff.dispatcher, channel="city_management"))


def test_the_list_page_links_to_the_export_with_its_filters(client, staff, cases):
    client.force_login(staff.dispatcher)
    page = client.get(reverse("cases:list"), {"channel": "hotline"}).content.decode()
    assert f"{reverse('imports:export_cases')}?channel=hotline" in page
    assert "导出Excel" in page


def test_export_needs_a_login(client):
    response = client.get(reverse("imports:export_cases"))
    assert response.status_code == 302 and "/login/" in response.url
