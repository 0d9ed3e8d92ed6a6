from django.apps import AppConfig


class WarningsConfig(AppConfig):
    name = "zhili.warnings"
    label = "warnings"
    verbose_name = "预警"

    def ready(self) -> None:
        # How a supervision order shows the warning it supervises.
        from zhili.warnings import supervised  # noqa: F401
