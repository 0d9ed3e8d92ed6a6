"""Supervision's panels on other apps' pages (registered in SupervisionConfig.ready()): the
orders on a case (its page and its print) and on a petition (its page) the user may see."""

from collections.abc import Iterable

from zhili.cases.models import Case
from zhili.core.types import Actor
from zhili.petitions.models import Petition
from zhili.supervision.models import SupervisionOrder
from zhili.supervision.selectors import order_list, orders_for_case


def case_orders(user: Actor, case: Case) -> Iterable[SupervisionOrder]:
    return orders_for_case(user=user, case_id=case.pk).select_related("unit")


def petition_orders(user: Actor, petition: Petition) -> Iterable[SupervisionOrder]:
    return order_list(user=user).filter(petition=petition)
