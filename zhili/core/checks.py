"""System checks of the project's own wiring, run by every management command at start-up
(runserver, migrate, serve, worker, scheduler, check, check --deploy) and by the tests.

The event registry (config/event_handlers.py) holds dotted strings: without this check a
misspelt event name is never delivered and a misspelt handler path fails only when an event
reaches it, in the worker.
"""

import difflib
import inspect
from collections.abc import Callable, Collection, Mapping, Sequence

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, register
from django.utils.module_loading import import_string

from config import event_handlers
from zhili.core.events import known_event_types

REGISTRY = "config.event_handlers.EVENT_HANDLERS"


@register("events")
def event_handlers_check(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[CheckMessage]:
    return check_event_registry(event_handlers.EVENT_HANDLERS)


def check_event_registry(registry: Mapping[str, Sequence[str]]) -> list[CheckMessage]:
    """Every key of `registry` names an event class, every path imports to a handler that the
    outbox can call as ``handler(event, event_id=...)``."""
    names = set(known_event_types())
    errors: list[CheckMessage] = []
    for name, paths in registry.items():
        if name not in names:
            errors.append(_unknown_event(name, names))
        for path in paths:
            error = _path_error(name, path)
            if error is not None:
                errors.append(error)
    return errors


def _unknown_event(name: str, names: Collection[str]) -> Error:
    close = difflib.get_close_matches(name, sorted(names), n=1)
    hint = f"Did you mean {close[0]!r}?" if close else "Event classes are in each app's events.py."
    return Error(
        f"handlers are listed for {name!r}, which no event class is named.",
        hint=hint,
        obj=REGISTRY,
        id="zhili.E001",
    )


def _path_error(name: str, path: str) -> Error | None:
    try:
        handler = import_string(path)
    except ImportError as exc:
        return Error(
            f"{name!r}: the handler {path!r} does not import ({exc}).",
            obj=REGISTRY,
            id="zhili.E002",
        )
    if not callable(handler) or not _takes_event(handler):
        return Error(
            f"{name!r}: {path!r} is not a handler: "
            "the outbox calls it as handler(event, event_id=...).",
            obj=REGISTRY,
            id="zhili.E003",
        )
    return None


def _takes_event(handler: Callable[..., object]) -> bool:
    try:
        inspect.signature(handler).bind(object(), event_id=0)
    except TypeError:
        return False
    except ValueError:  # no signature to read (a builtin): nothing to hold against it
        return True
    return True
