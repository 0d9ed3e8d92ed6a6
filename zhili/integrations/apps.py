from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "zhili.integrations"
    label = "integrations"
    verbose_name = "对接与接口密钥"
