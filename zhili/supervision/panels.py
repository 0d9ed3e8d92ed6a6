"""Supervision's panels on other apps' pages (registered when SupervisionConfig.ready() imports this module): the
orders on a case (its page and its print) and on a petition (its page) the user may see."""

from collections.abc import Iterable

from zhili.cases.models import Case
from zhili.cases.panels import CASE_PANELS
from zhili.core.types import Actor
from zhili.petitions.models import Petition
from zhili.petitions.panels import PETITION_PANELS
from zhili.supervision.models import SupervisionOrder
from zhili.supervision.selectors import order_list, orders_for_case


@CASE_PANELS.entry("supervision_orders")
def case_orders(user: Actor, case: Case) -> Iterable[SupervisionOrder]:
    return orders_for_case(user=user, case_id=case.pk).select_related("unit")


@PETITION_PANELS.entry("supervision_orders")
def petition_orders(user: Actor, petition: Petition) -> Iterable[SupervisionOrder]:
    return order_list(user=user).filter(petition=petition)
