"""The 督办通知单's print page: the Word file's words on A4, scoped, audited."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from zhili.core.models import AuditLog
from zhili.core.tests.papers import assert_same_words
from zhili.supervision.models import SupervisionOrder
from zhili.supervision.tests.test_orders import START, deliver_all, red_lamp_case

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def order(register, staff, catalog):
    red_lamp_case(register, staff, catalog)
    deliver_all(START + timedelta(hours=2, minutes=1))
    return SupervisionOrder.objects.get()


def prints(order: SupervisionOrder) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(action="personal_data.print", target_id=str(order.pk)).filter(
            target_type="supervision.supervisionorder"
        )
    )


def test_the_print_page_is_the_word_notice(order, staff):
    unit = client_for(staff.zjj_handler)
    page = unit.get(reverse("supervision:print", args=[order.number]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "督 办 通 知 单" in html and order.number in html and order.case.case_no in html
    assert 'class="sidenav"' not in html and "web/print.css" in html
    assert_same_words(html, unit.get(reverse("supervision:document", args=[order.number])).content)
    [row] = prints(order)
    assert (row.actor, row.extra) == (
        staff.zjj_handler,
        {"document": "supervision.order", "fields": []},
    )


def test_not_yours_is_404_and_not_audited(order, staff):
    url = reverse("supervision:print", args=[order.number])
    assert client_for(staff.cgj_handler).get(url).status_code == 404
    assert (
        client_for(staff.dispatcher)
        .get(reverse("supervision:print", args=["DB1999-00001"]))
        .status_code
        == 404
    )
    assert prints(order) == []


def test_the_detail_page_offers_print_beside_the_word_file(order, staff):
    html = client_for(staff.dispatcher).get(reverse("supervision:detail", args=[order.number]))
    text = html.content.decode()
    assert reverse("supervision:print", args=[order.number]) in text
    assert reverse("supervision:document", args=[order.number]) in text
