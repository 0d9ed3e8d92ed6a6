from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "zhili.imports"
    label = "imports"
    verbose_name = "工单导入导出"

    def ready(self) -> None:
        from zhili.imports import cases  # noqa: F401  (registers the import kind `cases`)
