from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "zhili.mobile"
    label = "mobile"
    verbose_name = "网格员移动端"
