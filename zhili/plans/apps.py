from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "zhili.plans"
    label = "plans"
    verbose_name = "统筹协调（工作计划）"
