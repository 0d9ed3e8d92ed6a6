from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "zhili.incidents"
    label = "incidents"
    verbose_name = "指挥事件"
