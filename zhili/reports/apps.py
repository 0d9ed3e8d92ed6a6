from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhili.reports"
    label = "reports"
    verbose_name = "研判报告"

    def ready(self) -> None:
        # The 日报's and the 周例会 pack's own sections register themselves.
        from zhili.reports import daily, weekly  # noqa: F401
