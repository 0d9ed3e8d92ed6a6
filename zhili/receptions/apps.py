from django.apps import AppConfig


class ReceptionsConfig(AppConfig):
    name = "zhili.receptions"
    label = "receptions"
    verbose_name = "领导接访"

    def ready(self) -> None:
        from zhili.receptions import tracking  # noqa: F401  (its kind registers its code)
