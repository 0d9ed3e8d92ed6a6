from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhili.supervision"
    label = "supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        from zhili.supervision import panels  # noqa: F401  (its panels register themselves)
