"""How leader reception shows on the petitions it concerns (listed in config/event_handlers.py).

Leader reception announces a reception of a petition and a leader taking a petition over
(包案) or resolving it; each adds a line to the petition's timeline (zhili.petitions owns the
timeline and its labels; the lines are written here, in the app above it, so that petitions
does not import receptions):

- `note_reception` (receptions.reception_recorded): "领导接访", with the leader, the mode
  (现场 / 视频), the departments of a joint reception, the decision (shortened), the
  responsible unit and the deadline;
- `note_ownership` (receptions.ownership_changed): "领导包案" (with the target date and who
  arranged it) or "包案办结" (with the resolution).

A timeline line is not a state change: `from_state` and `to_state` are both the petition's
state at delivery. The line is dated when the reception or the 包案 step happened, not when
the event was delivered, so that the timeline stays in the order things happened.

Idempotent: each line carries the outbox event's id in `data["event_id"]`, and a second
delivery of the same event finds it and adds nothing (as zhili/cases/handlers.py does).
"""

from datetime import datetime
from typing import TypeVar

from django.db import models
from django.db.models import QuerySet

from zhili.orgs.models import Organization, User
from zhili.petitions.models import Petition, PetitionEvent
from zhili.petitions.workflow import HISTORY_LABELS, OWNERSHIP_ACTIONS, RECEPTION_ACTION
from zhili.receptions.events import OwnershipChanged, ReceptionRecorded
from zhili.receptions.models import Mode, Ownership, OwnershipNote, Reception

# The labels of the lines added here on the petition's timeline (the dossier kind's labels,
# zhili.petitions.workflow.HISTORY_LABELS).
TIMELINE_LABELS = {
    action: HISTORY_LABELS[action] for action in (RECEPTION_ACTION, *OWNERSHIP_ACTIONS.values())
}

SUMMARY_CHARS = 120

Row = TypeVar("Row", bound=models.Model)


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first `limit` characters of a text on one line, an ellipsis when cut."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _already(petition_id: int, action: str, event_id: int) -> bool:
    return PetitionEvent.objects.filter(
        petition_id=petition_id, action=action, data__event_id=event_id
    ).exists()


def _petition_and(petition_id: int, rows: QuerySet[Row], pk: int) -> tuple[Petition, Row] | None:
    """The event's petition and its row among `rows`, or None when either is gone."""
    petition = Petition.objects.filter(pk=petition_id).first()
    row = rows.filter(pk=pk).first()
    return None if petition is None or row is None else (petition, row)


def _line(
    petition: Petition,
    action: str,
    *,
    actor: User | None,
    unit: Organization | None,
    note: str,
    at: datetime,
    **data: object,
) -> PetitionEvent:
    # Not zhili.core.dossier.record_history: that takes the unit from the actor, and a
    # reception's line names the center where it took place (a county leader receiving at
    # a township's center).
    return PetitionEvent.objects.create(
        petition=petition,
        action=action,
        from_state=petition.state,
        to_state=petition.state,
        actor=actor,
        actor_unit=unit,
        note=note,
        data=data,
        created_at=at,
    )


def _unit_names(codes: tuple[str, ...] | list[str]) -> list[str]:
    names = dict(Organization.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(code, code) for code in codes]


def reception_note(reception: Reception, departments: list[str]) -> str:
    """王立新现场接访（联合接访：人社局、司法局）。/ 处理意见：…… / 责任单位：人社局，
    办理时限：2026-12-03。 (three lines)"""
    mode = Mode(reception.mode).label if reception.mode in Mode.values else reception.mode
    head = f"{reception.leader.display_name}{mode}"
    if departments:
        head += f"（联合接访：{'、'.join(departments)}）"
    parts = [head + "。", f"处理意见：{summary(reception.decision)}"]
    if reception.assigned_unit is not None:
        due = f"，办理时限：{reception.deadline:%Y-%m-%d}" if reception.deadline else ""
        parts.append(f"责任单位：{reception.assigned_unit.name}{due}。")
    return "\n".join(parts)


def note_reception(event: ReceptionRecorded, *, event_id: int) -> None:
    """A leader received the petitioners of a petition: "领导接访" on its timeline."""
    if event.petition_id is None or _already(event.petition_id, RECEPTION_ACTION, event_id):
        return
    rows = Reception.objects.select_related("leader", "organization", "assigned_unit")
    found = _petition_and(event.petition_id, rows, event.reception_id)
    if found is None:
        return
    petition, reception = found
    departments = _unit_names(list(event.departments))
    _line(
        petition,
        RECEPTION_ACTION,
        actor=reception.leader,
        unit=reception.organization,
        note=reception_note(reception, departments),
        at=reception.received_at,
        event_id=event_id,
        reception_id=reception.pk,
        leader_id=reception.leader_id,
        mode=event.mode,
        departments=list(event.departments),
        assigned_unit=event.assigned_unit,
        deadline=event.deadline,
    )


def _step(ownership: Ownership, action: str) -> OwnershipNote | None:
    """The 包案's own note of that step (who did it, what was written)."""
    return ownership.notes.filter(action=action).select_related("actor").order_by("id").last()


def ownership_note(ownership: Ownership, action: str) -> str:
    leader = ownership.leader.display_name
    step = _step(ownership, action)
    if action == "resolve":
        return f"包案领导{leader}：{summary(ownership.resolution or (step.note if step else ''))}"
    text = f"{leader}包案，化解目标日期 {ownership.target_date:%Y-%m-%d}。"
    by = step.actor if step is not None else ownership.created_by
    if by is not None and by.pk != ownership.leader_id:
        text += f"由{by.display_name}安排。"
    if step is not None and step.note and step.note != "领导包案":
        text += f"\n{summary(step.note)}"
    return text


def note_ownership(event: OwnershipChanged, *, event_id: int) -> None:
    """A leader took a petition over (领导包案) or resolved it (包案办结)."""
    action = OWNERSHIP_ACTIONS.get(event.action)
    if action is None or _already(event.petition_id, action, event_id):
        return
    rows = Ownership.objects.select_related("leader", "leader__organization", "created_by")
    found = _petition_and(event.petition_id, rows, event.ownership_id)
    if found is None:
        return
    petition, ownership = found
    at = ownership.resolved_at if event.action == "resolve" else ownership.created_at
    _line(
        petition,
        action,
        actor=ownership.leader,
        unit=ownership.leader.organization,
        note=ownership_note(ownership, event.action),
        at=at or ownership.updated_at,
        event_id=event_id,
        ownership_id=ownership.pk,
        leader_id=ownership.leader_id,
        target_date=ownership.target_date.isoformat(),
    )
