"""Date filters on the pages: a day outside 2000..2099 is a field error, never an overflow
(zhili.core.dates; the API's `Day` type has the same bounds)."""

import pytest
from django.urls import reverse

PAGES = [
    ("cases:list", {"registered_to": "9999-12-31"}, "registered_to"),
    ("cases:list", {"registered_from": "0001-01-01"}, "registered_from"),
    ("cases:figures", {"start": "0001-01-01", "end": "9999-12-31"}, "end"),
    ("supervision:list", {"issued_to": "9999-12-31"}, "issued_to"),
]


@pytest.mark.parametrize(("page", "query", "field"), PAGES)
def test_out_of_range_days_are_refused_by_the_form_not_a_500(client, staff, page, query, field):
    client.force_login(staff.dispatcher)
    response = client.get(reverse(page), query)
    assert response.status_code in (200, 422)
    form = response.context.get("form") or response.context["filters"]
    assert field in form.errors
    assert "日期不能" in form.errors[field][0]


def test_days_within_the_bounds_filter_as_before(client, staff):
    client.force_login(staff.dispatcher)
    response = client.get(reverse("cases:list"), {"registered_from": "2026-11-01"})
    assert response.status_code == 200
    assert not response.context["form"].errors
