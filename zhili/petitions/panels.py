"""What other apps show on a petition's page (the supervision orders on the petition, for
one), without petitions importing them.

An app registers, from its AppConfig.ready(), a function giving the rows of the petition it
shows to the user, under the name the petition's templates read them by (as
zhili.cases.panels does for the case page, on the same zhili.core.registry.Registry).
"""

from collections.abc import Callable, Iterable

from django.db.models import Model

from zhili.core.registry import Registry
from zhili.core.types import Actor
from zhili.petitions.models import Petition

PetitionPanel = Callable[[Actor, Petition], Iterable[Model]]

PETITION_PANELS: Registry[PetitionPanel] = Registry("petition panel")


def panel_context(user: Actor, petition: Petition) -> dict[str, list[Model]]:
    """Every registered panel's rows for `user`, by the name the templates read."""
    return {name: list(rows(user, petition)) for name, rows in PETITION_PANELS.items()}
