from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WebConfig(AppConfig):
    name = "zhili.web"
    label = "web"
    verbose_name = "页面"

    def ready(self) -> None:
        # Each app registers its home-page cards in its workcards.py (zhili.core.workcards).
        autodiscover_modules("workcards")
