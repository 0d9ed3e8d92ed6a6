"""What the apps built on cases add to it from their AppConfig.ready(), without cases importing
them: the supervision orders on a case's page and on its printed 工单处理单 (CASE_PANELS),
and the grid worker's queue among the case list's "范围" choices (selectors.QUEUES)."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from zhili.cases import selectors
from zhili.cases.forms import CaseFilterForm
from zhili.cases.models import Case
from zhili.cases.panels import CASE_PANELS
from zhili.cases.services import case_act

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dispatched(staff: Any, register: Any) -> Case:
    case = register(address="甲镇人民路18号东侧工地")
    unit = staff.cgj_handler.organization.code
    return case_act(actor=staff.dispatcher, case=case, action="dispatch", unit=unit)


def test_the_case_page_and_its_print_show_the_orders_on_the_case(
    staff: Any, dispatched: Case
) -> None:
    from zhili.supervision.services import order_issue_for_case

    order = order_issue_for_case(actor=staff.dispatcher, case=dispatched, reason="群众反映强烈")
    client = client_for(staff.dispatcher)
    page = client.get(reverse("cases:detail", args=[dispatched.case_no])).content.decode()
    assert 'data-testid="case-supervision"' in page and order.number in page
    printed = client.get(reverse("cases:print_form", args=[dispatched.case_no])).content.decode()
    assert "督办情况" in printed and order.number in printed


def test_a_case_without_orders_shows_no_supervision_panel(staff: Any, dispatched: Case) -> None:
    page = client_for(staff.dispatcher).get(reverse("cases:detail", args=[dispatched.case_no]))
    assert 'data-testid="case-supervision"' not in page.content.decode()


def test_the_grid_queue_is_the_phone_apps_own(personas: Any) -> None:
    from zhili.mobile.selectors import my_grid_cases

    worker = personas.gridworker
    assert "grid" in selectors.user_queues(worker)
    assert "grid" not in selectors.user_queues(personas.dispatcher)
    grid = selectors.queue_cases(user=worker, queue="grid")
    assert str(grid.query) == str(my_grid_cases(user=worker).query)
    form = CaseFilterForm({"queue": "grid"})
    assert form.chosen_queue() == "grid"  # a choice the form knows once mobile is ready
    assert ("grid", "我的网格事件") in list(form.fields["queue"].widget.choices)


def test_a_key_is_registered_once() -> None:
    supervision = CASE_PANELS.get("supervision_orders")
    assert supervision is not None
    CASE_PANELS.register("supervision_orders", supervision)  # ready() again: no change
    with pytest.raises(ImproperlyConfigured):
        CASE_PANELS.register("supervision_orders", lambda user, case: [])
