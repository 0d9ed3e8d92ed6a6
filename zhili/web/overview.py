"""The home page's overview card (今日态势), given by a higher app: the big screen registers
the leader's (zhili/screen/overview.py) from its AppConfig.ready(), as the registries of
zhili/core/registry.py go; without it the home page has no such card."""

from collections.abc import Callable

from zhili.core.registry import Registry
from zhili.core.types import Actor

# What the card shows for a user, or None for a user who gets no card.
OVERVIEW: Registry[Callable[[Actor], object | None]] = Registry("home overview")


def overview_for(user: Actor) -> object | None:
    entry = OVERVIEW.get("leader")
    return entry(user) if entry is not None else None
