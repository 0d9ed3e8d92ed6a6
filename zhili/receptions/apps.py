from django.apps import AppConfig


class ReceptionsConfig(AppConfig):
    name = "zhili.receptions"
    label = "receptions"
    verbose_name = "领导接访"
