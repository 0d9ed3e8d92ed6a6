from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "zhili.imports"
    label = "imports"
    verbose_name = "工单导入导出"

    def ready(self) -> None:
        # The import kinds register themselves: historical work orders, the people register.
        from zhili.imports import cases, people  # noqa: F401
