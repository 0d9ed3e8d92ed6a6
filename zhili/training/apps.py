from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "zhili.training"
    label = "training"
    verbose_name = "网上培训"
