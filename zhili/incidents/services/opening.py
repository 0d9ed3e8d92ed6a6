"""Opening an incident: by the desk (`incident_open`) or for an emergency case
(`incident_open_for_case`); its number, its commanding organization, its plan, and a task
for a team per step of the plan."""

from datetime import datetime, timedelta
from typing import TypedDict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhili.cases.models import Case, Category, Urgency
from zhili.cases.selectors import case_get
from zhili.core.counters import take_next
from zhili.core.dossier import record_history
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.live import groups_for, push_after_commit
from zhili.core.models import Series
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor, SystemActor
from zhili.forces.models import Force, Team, TeamType
from zhili.incidents import workflow
from zhili.incidents.models import Incident, Level, Plan, Task
from zhili.incidents.selectors import plan_steps
from zhili.incidents.services.common import check_point, talk_group, update_message
from zhili.orgs.models import Organization


def next_incident_no(now: datetime) -> str:
    """ZH2026-00007: sequential per local year, gap-free (the shared counters)."""
    year = timezone.localdate(now).year
    return f"ZH{year}-{take_next(Series.INCIDENT, str(year)):05d}"


def commanding_org(actor: Actor) -> Organization:
    """The organization an actor's incidents are commanded by: their own unit (a village's
    staff: their township), the county root for an actor outside the tree."""
    org = actor.organization
    while org is not None and org.level == "village" and org.parent_id is not None:
        org = org.parent
    if org is None:
        root = Organization.objects.filter(parent__isnull=True).order_by("path").first()
        if root is None:
            raise Conflict("尚未建立组织架构", code="no_organization")
        return root
    return org


def plan_for(category: Category, level: str, code: str = "") -> Plan | None:
    """The plan named by `code`, else the category's active plan for the level, else its
    active plan for any level; None when the category has none."""
    if code:
        plan = Plan.objects.filter(code=code).first()
        if plan is None:
            raise InvalidInput(f"预案 {code} 不存在", field="plan")
        if not plan.active:
            raise InvalidInput(f"预案 {code}（{plan.name}）已停用", field="plan")
        return plan
    plans = Plan.objects.filter(category=category, active=True)
    plans = plans.filter(Q(level=level) | Q(level=""))
    return plans.order_by("-level", "code").first()


def team_for(team_type: TeamType, incident: Incident) -> Team | None:
    """The team of `team_type` that takes a task of `incident`: within the commanding
    organization's subtree, else a county-level unit's (公安局 ...); of several, the one
    with a force nearest the incident (a team without a placed force comes last)."""
    teams = Team.objects.filter(team_type=team_type)
    own = list(teams.filter(organization__path__startswith=incident.org_path))
    candidates = own or list(teams.filter(organization__level="county"))
    if not candidates:
        return None

    def distance(team: Team) -> float:
        placed = Force.objects.filter(team=team, lat__isnull=False, lng__isnull=False)
        squares = [
            (f.lat - incident.lat) ** 2 + (f.lng - incident.lng) ** 2  # type: ignore[operator]
            for f in placed.only("lat", "lng")
        ]
        return min(squares, default=float("inf"))

    return min(candidates, key=lambda team: (distance(team), team.code))


class IncidentFields(TypedDict):
    """What an incident is opened with, checked."""

    category: Category
    title: str
    level: str
    case: Case | None
    lat: float
    lng: float


def _incident_fields(
    actor: Actor, *, category: str, title: str, level: str, case_no: str, lat: float, lng: float
) -> IncidentFields:
    check_point(lat, lng)
    found = Category.objects.filter(code=category).first()
    if found is None:
        raise InvalidInput(f"事项分类 {category} 不存在", field="category")
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写事件标题", field="title")
    if level not in Level.values:
        names = "、".join(f"{v}（{label}）" for v, label in Level.choices)
        raise InvalidInput(f"等级应为：{names}", field="level")
    case: Case | None = None
    if case_no:
        try:
            case = case_get(user=actor, case_no=case_no)
        except NotFound as exc:
            raise InvalidInput(f"工单 {case_no} 不存在", field="case_no") from exc
    return {"category": found, "title": title, "level": level, "case": case, "lat": lat, "lng": lng}


@transaction.atomic
def incident_open(
    *,
    actor: Actor,
    category: str,
    title: str,
    lat: float,
    lng: float,
    level: str,
    plan: str = "",
    case_no: str = "",
    organization: Organization | None = None,
    at: datetime | None = None,
) -> Incident:
    """Open an incident commanded by the actor's unit (or `organization`, for an emergency
    case's township) and give each step of its plan to a team as a task."""
    if getattr(actor, "pk", None) and not can(actor, Action.FORCES_COMMAND):
        raise Forbidden("您没有指挥调度权限，不能开启指挥事件", code="forbidden")
    fields = _incident_fields(
        actor, category=category, title=title, level=level, case_no=case_no, lat=lat, lng=lng
    )
    chosen = plan_for(fields["category"], level, plan)
    org = organization or commanding_org(actor)
    now = at or timezone.now()
    opened_by = actor if getattr(actor, "pk", None) else None
    incident = _create(
        org,
        now,
        plan=chosen,
        plan_version=chosen.version if chosen else None,
        opened_by=opened_by,
        **fields,
    )
    _begin(actor, incident, now, note=incident.title)
    talk_group(incident)
    push_after_commit(groups_for(org.path), update_message(incident, "open", "开启事件"))
    return incident


def _create(org: Organization, now: datetime, **fields: object) -> Incident:
    """The incident's row: its number, the commanding organization, opened `now`."""
    return Incident.objects.create(
        number=next_incident_no(now),
        organization=org,
        org_path=org.path,
        opened_at=now,
        updated_at=now,
        **fields,
    )


def _begin(actor: SystemActor, incident: Incident, now: datetime, *, note: str) -> None:
    """The history's first row (open), then the plan's steps as tasks."""
    record_history(
        workflow.KIND,
        incident,
        "open",
        from_state="",
        to_state=incident.state,
        actor=actor,
        note=note,
        at=now,
        plan=incident.plan.name if incident.plan else "",
        plan_version=incident.plan_version,
        case_no=incident.case.case_no if incident.case else "",
    )
    _make_tasks(actor, incident, incident.plan, now)


def _make_tasks(actor: SystemActor, incident: Incident, plan: Plan | None, now: datetime) -> None:
    if plan is None:
        return
    for step in plan_steps(plan):
        team = team_for(step.team_type, incident)
        task = Task.objects.create(
            incident=incident,
            step=step,
            role=step.role,
            text=step.task,
            team_type=step.team_type,
            team=team,
            created_at=now,
            due_at=now + timedelta(minutes=step.deadline_minutes),
        )
        record_history(
            workflow.KIND,
            incident,
            "task",
            from_state=incident.state,
            to_state=incident.state,
            actor=actor,
            note=f"{task.role}：{task.text}",
            at=now,
            team=team.name if team else "",
            due_at=task.due_at,
        )


@transaction.atomic
def incident_open_for_case(*, case_id: int) -> Incident | None:
    """A case of urgency 特急 with a place opens one incident (idempotent: a case already
    linked to an incident keeps it), commanded by the case's dispatch center (a township's
    case: the township; the county's: the county), with the plan of its category if any."""
    case = Case.objects.select_related("category", "dispatch_center").filter(pk=case_id).first()
    if case is None or case.urgency != Urgency.EMERGENCY or case.lat is None or case.lng is None:
        return None
    existing = Incident.objects.filter(case=case).first()
    if existing is not None:
        return existing
    now = timezone.now()
    org = case.dispatch_center
    chosen = plan_for(case.category, Level.ORDINARY)
    incident = _create(
        org,
        now,
        category=case.category,
        title=case.title,
        lat=case.lat,
        lng=case.lng,
        level=Level.ORDINARY,
        case=case,
        plan=chosen,
        plan_version=chosen.version if chosen else None,
    )
    _begin(None, incident, now, note=f"特急工单 {case.case_no} 转为指挥事件")
    push_after_commit(groups_for(org.path), update_message(incident, "open", "开启事件"))
    return incident
