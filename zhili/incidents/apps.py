from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "zhili.incidents"
    label = "incidents"
    verbose_name = "指挥事件"

    def ready(self) -> None:
        from zhili.incidents import panels, tracking  # noqa: F401  (they register themselves)
