from django.apps import AppConfig

from zhili.core.types import Actor


def has_grid_queue(user: Actor) -> bool:
    """Whether the user has the grid worker's queue among the case list's "范围" choices."""
    from zhili.core.roles import Action
    from zhili.core.scope import can

    return can(user, Action.MOBILE_USE)


class MobileConfig(AppConfig):
    name = "zhili.mobile"
    label = "mobile"
    verbose_name = "网格员移动端"

    def ready(self) -> None:
        from zhili.cases.selectors import QUEUES, Queue
        from zhili.mobile.selectors import my_grid_cases

        QUEUES.register("grid", Queue("我的网格事件", my_grid_cases, has_grid_queue))
