from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhili.reports"
    label = "reports"
    verbose_name = "研判报告"

    def ready(self) -> None:
        # The 日报's, the 周例会 pack's and the 月分析's own sections register themselves.
        from zhili.reports import daily, monthly, weekly  # noqa: F401
