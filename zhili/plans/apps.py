from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "zhili.plans"
    label = "plans"
    verbose_name = "统筹协调（工作计划）"

    def ready(self) -> None:
        # How a supervision order shows the task it supervises.
        from zhili.plans import supervised  # noqa: F401
