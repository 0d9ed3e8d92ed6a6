from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhili.cases"
    label = "cases"
    verbose_name = "一口受理 · 事件工单"

    def ready(self) -> None:
        from zhili.cases import tracking  # noqa: F401  (its kind registers its code)
