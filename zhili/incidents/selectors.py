"""Every scoped read of the incidents: a user with `forces.view` sees the incidents
commanded by the organizations under their own (the county: all); an incident out of sight
is answered as one that does not exist (404)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from zhili.cases.models import Category
from zhili.core.dossier import TimelineEntry, timeline
from zhili.core.near import Near
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.forces.models import Position
from zhili.forces.selectors import Candidate, nearest_available
from zhili.incidents import workflow
from zhili.incidents.models import (
    Dispatch,
    Incident,
    IncidentState,
    Plan,
    PlanRevision,
    PlanStep,
    Task,
)
from zhili.intercom.selectors import TalkRow, talks_for
from zhili.video.models import Camera
from zhili.video.selectors import cameras_near as video_near

# Where `plan_rows` leaves each plan's steps in force (read by `plan_steps`).
STEPS_READ = "steps_in_force"
# The most fixes a replay carries (a long incident's tracks are cut, oldest kept).
REPLAY_MAX_POINTS = 20_000


def incident_scope(user: Actor) -> Q:
    if not can(user, Action.FORCES_VIEW):
        return Q(pk__in=[])
    return scope_for(user).q("org_path")


def incident_rows(*, user: Actor, state: str = "") -> QuerySet[Incident]:
    rows = Incident.objects.filter(incident_scope(user)).select_related("category", "organization")
    return filter_given(rows, state=state)


def incident_get(*, user: Actor, number: str) -> Incident:
    rows = incident_rows(user=user).select_related("plan", "case")
    return one_or_not_found(rows, "指挥事件不存在", number=number)


def plan_rows(
    *, user: Actor, category: str = "", level: str | None = None, active: bool | None = None
) -> QuerySet[Plan]:
    """The county's plans by category (the catalog's order) and level, each with its steps in
    force read with it (one query for all of them: `plan_steps`); plans are the county's,
    seen by every desk (`forces.view`)."""
    if not can(user, Action.FORCES_VIEW):
        return Plan.objects.none()
    rows = Plan.objects.select_related("category").prefetch_related(
        Prefetch("steps", queryset=_steps_in_force(), to_attr=STEPS_READ)
    )
    rows = filter_given(rows, category__code=category)
    if level is not None:
        rows = rows.filter(level=level)
    if active is not None:
        rows = rows.filter(active=active)
    return rows.order_by("category__path", "level", "code")


def plan_categories() -> QuerySet[Category]:
    """The categories that have a plan (the list's filter)."""
    return Category.objects.filter(plans__isnull=False).distinct().order_by("path")


def plan_get(*, user: Actor, code: str) -> Plan:
    rows = Plan.objects.select_related("category")
    if not can(user, Action.FORCES_VIEW):
        rows = rows.none()
    return one_or_not_found(rows, "预案不存在", code=code)


def _steps_in_force() -> QuerySet[PlanStep]:
    # The one place that says which steps are in force: those no edit retired.
    rows = PlanStep.objects.filter(retired_at__isnull=True).select_related("team_type")
    return rows.order_by("order", "id")


def plan_steps(plan: Plan) -> list[PlanStep]:
    """The plan's steps in force, in order, with their team types: those `plan_rows` read
    with the plan, else read now. Every read of a plan's current steps comes here (the
    services' too: what an incident's tasks are made from, what a revision keeps)."""
    read: list[PlanStep] | None = getattr(plan, STEPS_READ, None)
    if read is not None:
        return read
    return list(_steps_in_force().filter(plan=plan))


def plan_revisions(plan: Plan) -> QuerySet[PlanRevision]:
    return plan.revisions.select_related("actor__organization").order_by("-version", "-id")


def plan_in_use(plan: Plan) -> int:
    """How many open incidents were opened on the plan (their tasks stay as they were)."""
    return plan.incidents.filter(state=IncidentState.HANDLING).count()


def tasks_of(incident: Incident) -> QuerySet[Task]:
    return incident.tasks.select_related("team", "team_type")


def dispatches_of(incident: Incident) -> QuerySet[Dispatch]:
    return incident.dispatches.select_related("force__team__team_type", "sent_by")


def nearest_forces(*, user: Actor, incident: Incident, limit: int) -> list[Candidate]:
    """The `limit` nearest idle forces with a fresh position that `user` commands."""
    return nearest_available(user=user, lat=incident.lat, lng=incident.lng, limit=limit)


def history(incident: Incident) -> list[TimelineEntry]:
    """The incident's steps, and who talked when in its talk group (对讲), oldest first."""
    talks = [
        TimelineEntry(
            action="talk",
            label="对讲",
            actor=talk.user,
            unit="",
            to_state="",
            changed=False,
            note=_talk_note(talk),
            data={
                "started_at": talk.started_at.isoformat(),
                "ended_at": talk.ended_at.isoformat() if talk.ended_at else None,
                # When Janus's AudioBridge told that the talker was heard (its talking event).
                "heard_at": talk.heard_at.isoformat() if talk.heard_at else None,
            },
            created_at=talk.started_at,
        )
        for talk in talks_for(incident.number)
    ]
    steps = timeline(workflow.KIND, incident)
    return sorted([*steps, *talks], key=lambda entry: entry.created_at)


def _talk_note(talk: TalkRow) -> str:
    if talk.ended_at is None:
        return "正在讲话"
    return f"讲话 {max(1, round((talk.ended_at - talk.started_at).total_seconds()))} 秒"


@dataclass(frozen=True)
class Ring:
    minutes: int
    radius_m: float
    speed_kmh: float


def rings(incident: Incident) -> list[Ring]:
    """The 1/3/5-minute rings (INCIDENT_RING_MINUTES) at the speed of the plan's team types
    (their mean; no plan: the types of the tasks, else the forces' default 30 km/h)."""
    speeds = [task.team_type.speed_kmh for task in tasks_of(incident)]
    speed = sum(speeds) / len(speeds) if speeds else 30.0
    return [Ring(m, speed / 3.6 * 60 * m, speed) for m in settings.INCIDENT_RING_MINUTES]


def cameras_near(*, user: Actor, incident: Incident, limit: int = 20) -> list[Camera]:
    """The cameras `user` sees within INCIDENT_CAMERA_RADIUS_M of the incident, nearest first."""
    radius = settings.INCIDENT_CAMERA_RADIUS_M
    return list(video_near(user=user, near=Near(incident.lat, incident.lng, radius), limit=limit))


def open_dispatches_of(user: Actor) -> list[Dispatch]:
    """The handheld's dispatches not yet finished, newest first."""
    rows = Dispatch.objects.filter(force__user=user, finish_at__isnull=True)
    return list(rows.select_related("incident__category").order_by("-sent_at")[:5])


@dataclass(frozen=True)
class Replay:
    """What the map replays of an incident: from its opening to its end (or now), the
    positions its dispatched forces reported meanwhile and its timeline's steps."""

    start: datetime
    end: datetime
    tracks: dict[str, list[tuple[datetime, float, float]]]  # force code -> fixes, oldest first
    names: dict[str, str]


def replay(incident: Incident, now: datetime | None = None) -> Replay:
    end = incident.closed_at or now or timezone.now()
    forces = {d.force_id: d.force for d in dispatches_of(incident)}
    rows = (
        Position.objects.filter(force_id__in=forces, at__gte=incident.opened_at, at__lte=end)
        .order_by("force_id", "at", "id")
        .values_list("force_id", "at", "lat", "lng")[:REPLAY_MAX_POINTS]
    )
    tracks: dict[str, list[tuple[datetime, float, float]]] = {f.code: [] for f in forces.values()}
    for force_id, at, lat, lng in rows:
        tracks[forces[force_id].code].append((at, lat, lng))
    return Replay(incident.opened_at, end, tracks, {f.code: f.name for f in forces.values()})
