"""一案一码: every dossier has one tracking code, its number, and one address that opens it.

A kind of dossier is `Tracked` when its app registers it in `TRACKED` from its
`AppConfig.ready()`: its kernel kind (`DossierKind`: the model and who may see a record), the
field that holds its number, its page, and the ID numbers and phones written on it (what the
base registers match people by: zhili/registers/mentions.py).

The code is the record's number: the kinds' numbers have prefixes of their own (DH..., TJ...,
XF..., ZH...) and are unique in their table, so a code names one dossier. `/d/<code>/` (its QR
on the record's page) opens the record for whoever may see it, and is a 404 for anyone else,
the same answer as a code that does not exist.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse

from zhili.core.dossier.kinds import DossierKind
from zhili.core.registry import Registry
from zhili.core.types import Actor


def _nothing_written(record: Any) -> list[str]:
    return []


@dataclass(frozen=True)
class Tracked:
    kind: DossierKind[Any]
    page: Callable[[Any], str]  # the record's page (a path)
    number: str = "number"  # the field holding the code
    title: str = "title"  # the field a list names the record by
    # The ID numbers and phones written on the record (a caller's phone, the parties'
    # ID numbers): the people they match are suggested for linking.
    contacts: Callable[[Any], list[str]] = _nothing_written

    @property
    def name(self) -> str:
        return self.kind.audit_name

    def code(self, record: models.Model) -> str:
        return str(getattr(record, self.number))

    def label(self, record: models.Model) -> str:
        return str(getattr(record, self.title))


TRACKED: Registry[Tracked] = Registry("tracked dossier")


def track(tracked: Tracked) -> None:
    """Register a kind (from its app's ready()), under its kernel kind's audit name."""
    TRACKED.register(tracked.name, tracked)


def tracked_of(record: models.Model) -> Tracked | None:
    """The registration of `record`'s kind, or None."""
    for _, tracked in TRACKED.items():
        if isinstance(record, tracked.kind.model):
            return tracked
    return None


@dataclass(frozen=True)
class Found:
    tracked: Tracked
    record: models.Model

    @property
    def code(self) -> str:
        return self.tracked.code(self.record)

    @property
    def page(self) -> str:
        return self.tracked.page(self.record)


def find(actor: Actor, code: str) -> Found | None:
    """The dossier whose code is `code`, if `actor` may see it (one indexed lookup per kind
    until it is found)."""
    code = code.strip()
    if not code or len(code) > 40:
        return None
    for _, tracked in TRACKED.items():
        record = tracked.kind.model._default_manager.filter(**{tracked.number: code}).first()
        if record is not None:
            return Found(tracked, record) if tracked.kind.visible(actor, record) else None
    return None


def find_many(actor: Actor, name: str, ids: list[int]) -> list[Found]:
    """The records of kind `name` among `ids` that `actor` may see (one query)."""
    tracked = TRACKED.get(name)
    if tracked is None or not ids:
        return []
    records = tracked.kind.model._default_manager.filter(pk__in=ids)
    return [Found(tracked, r) for r in records if tracked.kind.visible(actor, r)]


def code_path(code: str) -> str:
    """The address a dossier's QR holds."""
    return reverse("dossier_code", args=[code])
