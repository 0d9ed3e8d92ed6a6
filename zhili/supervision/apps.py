from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import AppConfig

from zhili.core.types import Actor

if TYPE_CHECKING:
    from zhili.petitions.models import Petition
    from zhili.supervision.models import SupervisionOrder


def petition_orders(user: Actor, petition: "Petition") -> Iterable["SupervisionOrder"]:
    """The orders on a petition the user may see: a panel of the petition's page."""
    from zhili.supervision.selectors import order_list

    return order_list(user=user).filter(petition=petition)


class SupervisionConfig(AppConfig):
    name = "zhili.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from zhili.petitions.panels import PETITION_PANELS

        PETITION_PANELS.register("supervision_orders", petition_orders)
