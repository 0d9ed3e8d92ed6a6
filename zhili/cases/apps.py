from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhili.cases"
    label = "cases"
    verbose_name = "一口受理 · 事件工单"
