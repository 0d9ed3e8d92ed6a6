"""The unit figures page: real numbers from the same selector as the API, scoped."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from zhili.cases.services import case_act


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
