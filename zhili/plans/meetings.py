"""Meetings (周例会, 联席会): their minutes recorded on the platform, each decision a task
(source = the meeting) with an owner unit and a deadline, worked and supervised like any
plan task."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput, required_text
from zhili.core.models import Series
from zhili.core.types import Actor
from zhili.orgs.models import Organization
from zhili.plans.models import Meeting, MeetingKind
from zhili.plans.services import TaskInput, next_number, require_manager, task_create

PREFIX = "HY"


@dataclass(frozen=True)
class Decision:
    """One decision of a meeting: what, which unit owns it, by when."""

    title: str
    unit: Organization | None
    due_on: date | None
    description: str = ""


def _check(kind: str, held_on: date | None, today: date) -> date:
    if kind not in MeetingKind.values:
        raise InvalidInput("会议类型应为周例会（weekly）或联席会（joint）", field="kind")
    if held_on is None:
        raise InvalidInput("请填写会议日期", field="held_on")
    if held_on > today:
        raise InvalidInput("会议日期不能晚于今天", field="held_on")
    return held_on


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    kind: str,
    title: str,
    held_on: date | None,
    attendees: str,
    minutes: str,
    place: str = "",
    chair: str = "",
    decisions: Sequence[Decision] = (),
    at: datetime | None = None,
) -> Meeting:
    """Record a meeting's minutes and turn each decision into a task (all or nothing: a
    faulty decision is a 422 naming ``decisions.<n>.<field>``). `at` dates the record (the
    demo loader's earlier meetings)."""
    center = require_manager(actor)
    now = at or timezone.now()
    held_on = _check(kind, held_on, timezone.localdate(now))
    meeting = Meeting.objects.create(
        number=next_number(Series.MEETING, PREFIX, now),
        kind=kind,
        title=required_text(title, field="title", label="会议名称", limit=120),
        held_on=held_on,
        place=(place or "").strip()[:120],
        chair=(chair or "").strip()[:60],
        attendees=required_text(attendees, field="attendees", label="参会人员"),
        minutes=required_text(minutes, field="minutes", label="会议纪要", limit=20000),
        center=center,
        center_path=center.path,
        recorded_by=actor,
        recorded_at=now,
    )
    for n, decision in enumerate(decisions):
        data = TaskInput(
            title=decision.title,
            lead_unit=decision.unit,
            due_on=decision.due_on,
            description=decision.description,
        )
        task_create(
            actor=actor,
            data=data,
            meeting=meeting,
            at=now,
            field=f"decisions.{n}.",
            lead_field="unit",
        )
    audit(actor, "plans.meeting.record", meeting, decisions=len(decisions))
    return meeting
