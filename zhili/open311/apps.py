from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "zhili.open311"
    label = "open311"
    verbose_name = "Open311 接口"
