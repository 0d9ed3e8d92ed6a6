from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhili.core"
    label = "core"
    verbose_name = "核心机制"

    def ready(self) -> None:
        # Imported now, so that its start time is this process's, not its first request's.
        from zhili.core import health  # noqa: F401
