"""The history row every dossier keeps, written and shown one way.

Each kind subclasses `HistoryRow` with its foreign key to the record, named as the record
(``case``, ``dispute``...) with ``related_name="events"``, and its index on (record,
created_at). The row says what was done (`action`, a transition's name or a step such as
``register``), the states before and after (the same when the step keeps the state), who
did it and from which unit (empty for the platform's own steps), the note the actor wrote
and the step's data.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from zhili.core.fields import Ref
from zhili.core.rows import insert_row
from zhili.core.types import SystemActor

if TYPE_CHECKING:
    from zhili.core.dossier.kinds import DossierKind

R = TypeVar("R", bound=models.Model)


class HistoryRow(models.Model):
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30)
    actor = Ref(settings.AUTH_USER_MODEL, "操作人", null=True)
    actor_unit = Ref("orgs.Organization", "操作单位", null=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField("时间", default=timezone.now)

    # The subclass's foreign key to its record ("petition", "order"...), when it names the
    # row: "<record id> <action>".
    record_field = ""

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        if self.record_field:
            return f"{getattr(self, f'{self.record_field}_id')} {self.action}"
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"


def record_history(
    kind: "DossierKind[R]",
    record: R,
    action: str,
    *,
    from_state: str,
    to_state: str,
    actor: SystemActor,
    note: str = "",
    at: datetime | None = None,
    **data: object,
) -> HistoryRow:
    """Write one history row of `record` in the caller's transaction."""
    user = actor if getattr(actor, "pk", None) else None
    row = kind.history(
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=user,
        actor_unit=getattr(user, "organization", None),
        note=note,
        data=data,
        created_at=at or timezone.now(),
    )
    setattr(row, kind.link, record)
    return insert_row(row)


@dataclass(frozen=True)
class TimelineEntry:
    """A history row as the pages and the API show it."""

    action: str
    label: str  # the action's Chinese name
    actor: str  # who: a person's name, else the kind's name for the platform's own steps
    unit: str  # the unit the actor acted from, or ""
    to_state: str  # the new state's label
    changed: bool  # whether the step changed the state
    note: str
    data: Mapping[str, object]
    created_at: datetime


# Actions any kind's history may hold, written by the mechanisms every dossier shares (the
# registers' links: zhili/registers/mentions.py).
SHARED_LABELS = {"mention": "关联人员或房屋", "unmention": "解除关联"}


def action_labels(kind: "DossierKind[R]") -> dict[str, str]:
    """The Chinese name of every action a history row of the kind may hold."""
    own = {name: t.label for name, t in kind.table.transitions.items()} | dict(kind.labels)
    return SHARED_LABELS | own


def history_rows(kind: "DossierKind[R]", record: R) -> "QuerySet[HistoryRow]":
    """The history rows of `record`, oldest first, with who and from which unit."""
    return kind.history._default_manager.filter(**{kind.link: record}).select_related(
        "actor", "actor_unit"
    )


def timeline(kind: "DossierKind[R]", record: R) -> list[TimelineEntry]:
    """The history of `record` as the pages show it."""
    names = action_labels(kind)
    rows = history_rows(kind, record)
    return [
        TimelineEntry(
            action=row.action,
            label=names.get(row.action, row.action),
            actor=row.actor.display_name if row.actor else kind.nobody.get(row.action, "系统"),
            unit=row.actor_unit.name if row.actor_unit else "",
            to_state=kind.table.states.get(row.to_state, row.to_state),
            changed=row.from_state != row.to_state,
            note=row.note,
            data=row.data,
            created_at=row.created_at,
        )
        for row in rows
    ]
