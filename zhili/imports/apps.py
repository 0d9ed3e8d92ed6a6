from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "zhili.imports"
    label = "imports"
    verbose_name = "工单导入导出"
