from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "zhili.registers"
    verbose_name = "基础数据"
    default_auto_field = "django.db.models.BigAutoField"
