"""What other apps show on a case's page and on its printed 工单处理单 (the supervision orders
on the case, for one), without cases importing them.

An app registers, from its AppConfig.ready(), a function giving the rows of the case it
shows to the user, under the name the case's templates read them by.
"""

from collections.abc import Callable, Iterable

from django.db.models import Model

from zhili.cases.models import Case
from zhili.core.registry import Registry
from zhili.core.types import Actor

CasePanel = Callable[[Actor, Case], Iterable[Model]]

CASE_PANELS: Registry[CasePanel] = Registry("case panel")


def panel_context(user: Actor, case: Case) -> dict[str, list[Model]]:
    """Every registered panel's rows for `user`, by the name the templates read."""
    return {name: list(rows(user, case)) for name, rows in CASE_PANELS.items()}
