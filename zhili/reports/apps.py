from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhili.reports"
    label = "reports"
    verbose_name = "研判报告"

    def ready(self) -> None:
        from zhili.reports import daily  # noqa: F401  (the 日报's own sections register themselves)
