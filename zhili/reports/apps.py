from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "zhili.reports"
    label = "reports"
    verbose_name = "研判报告"

    def ready(self) -> None:
        # The sections of each kind (日报, 周例会, 月分析, 季点评) register themselves.
        from zhili.reports import daily, monthly, quarterly, weekly  # noqa: F401
