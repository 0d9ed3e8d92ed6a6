"""The case list's total: the page asks for it once shown; exact up to 10,000, an estimate
above (zhili.core.counting), in the user's scope and queue, with the list's filters."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhili.cases.services import case_act
from zhili.core import counting

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def total_text(client: Client, **query: str) -> str:
    response = client.get(reverse("cases:list_total"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_asks_for_its_total_with_its_filters(staff, register, catalog):
    register()
    register()
    client = client_for(staff.dispatcher)
    body = client.get(reverse("cases:list"), {"channel": "hotline"}).content.decode()
    assert 'hx-get="/cases/_total/?channel=hotline"' in body
    assert "共 2 条" in total_text(client, channel="hotline")
    assert "共 0 条" in total_text(client, channel="web")


def test_the_total_is_scoped_and_follows_the_queue_and_the_clock(staff, register, catalog):
    lamp = case_act(actor=staff.dispatcher, case=register(category=catalog.lamp), action="dispatch")
    register()  # a noise case T1 holds
    assert "共 2 条" in total_text(client_for(staff.dispatcher))
    assert "共 0 条" in total_text(client_for(staff.v12_officer))
    handler = client_for(staff.zjj_handler)
    assert "共 1 条" in total_text(handler, queue="unit", due="open")
    assert "共 0 条" in total_text(handler, queue="unit", due="overdue")
    assert lamp.lead_unit == staff.zjj_handler.organization


def test_an_empty_first_page_says_zero_without_asking(staff):
    body = client_for(staff.dispatcher).get(reverse("cases:list")).content.decode()
    assert 'data-testid="list-total">共 0 条' in body
    assert reverse("cases:list_total") not in body


def test_a_big_result_shows_an_estimate(staff, register, monkeypatch):
    for _ in range(4):
        register()
    monkeypatch.setattr(counting, "EXACT_UP_TO", 1)
    monkeypatch.setattr(counting, "SMALL_TABLE", 1)
    monkeypatch.setattr(counting, "POINTS", 2)
    body = total_text(client_for(staff.dispatcher))
    assert "约" in body and "为按抽样估算的约数" in body


def test_a_bad_filter_gives_no_total_and_no_error(staff):
    body = total_text(client_for(staff.dispatcher), category="NO-SUCH")
    assert "共 — 条" in body
