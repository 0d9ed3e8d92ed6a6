from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "zhili.opinions"
    label = "opinions"
    verbose_name = "舆情"
