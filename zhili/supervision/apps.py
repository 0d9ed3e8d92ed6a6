from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhili.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from zhili.cases.panels import CASE_PANELS
        from zhili.petitions.panels import PETITION_PANELS
        from zhili.supervision.panels import case_orders, petition_orders

        CASE_PANELS.register("supervision_orders", case_orders)
        PETITION_PANELS.register("supervision_orders", petition_orders)
