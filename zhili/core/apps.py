from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "zhili.core"
    label = "core"
    verbose_name = "核心机制"

    def ready(self) -> None:
        # Imported now, so that its start time is this process's, not its first request's.
        from zhili.core import checks, health  # noqa: F401  (checks registers itself)
        from zhili.core.permission_names import name_permissions

        post_migrate.connect(name_permissions, dispatch_uid="zhili.core.permission_names")
