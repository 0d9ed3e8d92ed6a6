from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhili.portal"
    label = "portal"
    verbose_name = "群众诉求平台"
