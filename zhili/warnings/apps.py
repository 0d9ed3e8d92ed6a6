from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "zhili.warnings"
    label = "warnings"
    verbose_name = "预警"
