"""What the reads share: the scope filter on a rota's `org_path`, the paths above a unit,
the start of a local day."""

from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from zhili.core.errors import InvalidInput
from zhili.core.scope import scope_for
from zhili.core.types import Actor

MAX_ID = 2**31 - 1  # ids are 32-bit on every database here


def path_scope(user: Actor, field: str = "org_path") -> Q:
    return scope_for(user).q(field)


def check_state(state: str, states: list[str], message: str) -> None:
    """A list's state filter: empty (all) or one of `states`; else 422 naming ``state``."""
    if state and state not in states:
        raise InvalidInput(message, field="state")


def ancestor_paths(path: str) -> list[str]:
    """The materialized paths of the organization at `path` and of those above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), timezone.get_current_timezone())
