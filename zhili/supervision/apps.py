from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import AppConfig

from zhili.core.types import Actor

if TYPE_CHECKING:
    from zhili.cases.models import Case
    from zhili.petitions.models import Petition
    from zhili.supervision.models import SupervisionOrder


def case_orders(user: Actor, case: "Case") -> Iterable["SupervisionOrder"]:
    """The orders on a case the user may see: a panel of the case's page and its print."""
    from zhili.supervision.selectors import orders_for_case

    return orders_for_case(user=user, case_id=case.pk).select_related("unit")


def petition_orders(user: Actor, petition: "Petition") -> Iterable["SupervisionOrder"]:
    """The orders on a petition the user may see: a panel of the petition's page."""
    from zhili.supervision.selectors import order_list

    return order_list(user=user).filter(petition=petition)


class SupervisionConfig(AppConfig):
    name = "zhili.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from zhili.cases.panels import CASE_PANELS
        from zhili.petitions.panels import PETITION_PANELS

        CASE_PANELS.register("supervision_orders", case_orders)
        PETITION_PANELS.register("supervision_orders", petition_orders)
