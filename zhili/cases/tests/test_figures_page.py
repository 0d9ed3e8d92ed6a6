"""The unit figures page: real numbers from the same selector as the API, scoped."""

from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhili.cases.models import Case
from zhili.cases.services import case_act
from zhili.core.xlsx import XLSX

TZ = ZoneInfo("Asia/Shanghai")


def _closed_case(staff, register, catalog, rating):
    case = register(category=catalog.lamp)  # 路灯: 住建局, dispatched by the county
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch")
    for action, params in [("acknowledge", {}), ("reply", {"reply": "已修复"})]:
        case = case_act(actor=staff.zjj_handler, case=case, action=action, **params)
    case = case_act(actor=staff.dispatcher, case=case, action="close")
    return case_act(actor=staff.dispatcher, case=case, action="rate", rating=rating)


def test_figures_page_shows_the_units_rates(client, staff, register, catalog):
    _closed_case(staff, register, catalog, "satisfied")
    _closed_case(staff, register, catalog, "unsatisfied")
    client.force_login(staff.dispatcher)
    response = client.get(reverse("cases:figures"))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.unit_code == "320722-ZJJ")
    assert (row.received, row.rated, row.satisfied) == (2, 2, 1)
    assert row.closed_on_time_rate == 1.0 and row.satisfaction_rate == 0.5
    body = response.content.decode()
    assert 'data-testid="figures-row-320722-ZJJ"' in body and "50%" in body


def test_figures_page_is_scoped(client, staff, register, catalog):
    _closed_case(staff, register, catalog, "satisfied")
    client.force_login(staff.v12_officer)
    response = client.get(reverse("cases:figures"))
    assert response.status_code == 200
    assert [r.unit_code for r in response.context["rows"]] == []


def test_a_reversed_period_is_a_422_naming_the_end(client, staff):
    client.force_login(staff.dispatcher)
    today = timezone.localdate()
    response = client.get(
        reverse("cases:figures"), {"start": today, "end": today - timedelta(days=3)}
    )
    assert response.status_code == 422
    assert 'data-testid="error-end"' in response.content.decode()


def test_a_malformed_date_is_a_422_naming_the_field(client, staff):
    client.force_login(staff.dispatcher)
    response = client.get(reverse("cases:figures"), {"start": "2026-13-40"})
    assert response.status_code == 422
    assert 'data-testid="error-start"' in response.content.decode()


# --- the default period, the rule of the on-time rates, the export ---------------------------


@pytest.mark.any_day
@pytest.mark.parametrize(
    ("moment", "first", "last"),
    [
        (None, None, None),  # today, whatever day the suite runs
        (datetime(2026, 12, 3, 9, 0, tzinfo=TZ), date(2026, 12, 1), date(2026, 12, 31)),
        (datetime(2028, 2, 29, 15, 0, tzinfo=TZ), date(2028, 2, 1), date(2028, 2, 29)),
        (datetime(2027, 1, 1, 0, 30, tzinfo=TZ), date(2027, 1, 1), date(2027, 1, 31)),
    ],
)
def test_the_default_period_is_the_current_month(client, staff, moment, first, last):
    with time_machine.travel(moment or timezone.now(), tick=False):
        client.force_login(staff.dispatcher)  # a session of that day
        today = timezone.localdate()
        response = client.get(reverse("cases:figures"))
    first = first or today.replace(day=1)
    last = last or (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    assert (response.context["start"], response.context["end"]) == (first, last)
    assert first <= today <= last
    body = response.content.decode()
    assert f'value="{first:%Y-%m-%d}"' in body and f'value="{last:%Y-%m-%d}"' in body
    periods = {p["label"]: p for p in response.context["periods"]}
    assert periods["本月"]["current"] and not periods["上月"]["current"]
    assert periods["上月"]["end"] == first - timedelta(days=1)


def _dispatched_lamp(staff, register, catalog):
    return case_act(actor=staff.dispatcher, case=register(category=catalog.lamp), action="dispatch")


def test_the_on_time_rates_count_only_cases_that_are_due_or_done(client, staff, register, catalog):
    done = _dispatched_lamp(staff, register, catalog)
    done = case_act(actor=staff.zjj_handler, case=done, action="acknowledge")
    case_act(actor=staff.zjj_handler, case=done, action="reply", reply="已修复")
    _dispatched_lamp(staff, register, catalog)  # dispatched just now: not due, not done
    late = _dispatched_lamp(staff, register, catalog)
    past = timezone.now() - timedelta(hours=1)
    Case.objects.filter(pk=late.pk).update(due_at=past, acknowledge_due_at=past)
    client.force_login(staff.dispatcher)
    response = client.get(reverse("cases:figures"))
    row = next(r for r in response.context["rows"] if r.unit_code == "320722-ZJJ")
    assert (row.received, row.close_judged, row.closed_on_time) == (3, 2, 1)
    assert (row.acknowledge_judged, row.acknowledged_on_time) == (2, 1)
    assert row.closed_on_time_rate == 0.5 and row.acknowledged_on_time_rate == 0.5
    body = response.content.decode()
    assert 'data-testid="figures-rule"' in body
    assert "尚未到期且未办完的工单不计入这两项比率" in body


def test_the_figures_export_as_xlsx(client, staff, register, catalog):
    _closed_case(staff, register, catalog, "satisfied")
    _closed_case(staff, register, catalog, "unsatisfied")
    client.force_login(staff.dispatcher)
    today = timezone.localdate()
    page = client.get(reverse("cases:figures")).content.decode()
    assert reverse("cases:figures_export") in page
    response = client.get(reverse("cases:figures_export"), {"start": today, "end": today})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert f"{today:%Y年%m月%d日}至{today:%Y年%m月%d日}" in rows[0][0]
    header = rows[1]
    zjj = dict(zip(header, next(r for r in rows if r[1] == "320722-ZJJ"), strict=True))
    assert (zjj["承办单位"], zjj["受理"], zjj["已回访"], zjj["满意"]) == ("住建局", 2, 2, 1)
    assert (zjj["应办结"], zjj["按时办结"], zjj["按时办结率"], zjj["满意率"]) == (2, 2, 1.0, 0.5)
    totals = dict(zip(header, next(r for r in rows if r[0] == "合计"), strict=True))
    assert totals["受理"] == 2
    assert any(r[0] and "尚未到期且未办完的工单不计入" in r[0] for r in rows)
    rate_cell = next(c for c in sheet[3] if sheet.cell(row=2, column=c.column).value == "满意率")
    assert rate_cell.number_format == "0.0%"


def test_a_bad_period_exports_nothing(client, staff):
    client.force_login(staff.dispatcher)
    response = client.get(reverse("cases:figures_export"), {"start": "2026-13-40"})
    assert response.status_code == 422
    assert 'data-testid="error-start"' in response.content.decode()
