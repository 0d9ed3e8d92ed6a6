"""Every write of the incidents: opening one (its tasks from the plan), the desk's actions
through the kernel (dispatch, message, decide, close) and the handheld's answers.

A dispatch and each answer move the force's status through `zhili.forces.services.
force_status_record` (派遣 → 已派遣, 接收 → 在途, 到场 → 到场, 完成 → 在岗空闲, when the force's team
type has that status) and reach the pages at once: the dispatch the force's own handheld
(`user.<id>`), every step the commanding organization's groups (`incident.update`).
"""

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TypedDict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhili.cases.models import Case, Category, Urgency
from zhili.cases.selectors import case_get
from zhili.core.counters import take_next
from zhili.core.dossier import action_of, apply_transition, check_action, record_history
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.geo import distance_m
from zhili.core.live import groups_for, push_after_commit, user_group
from zhili.core.models import Series
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor, SystemActor
from zhili.forces.models import DEFAULT_STATUSES, IDLE, Force, StatusChange, Team, TeamType
from zhili.forces.selectors import force_scope
from zhili.forces.services import force_status_record
from zhili.incidents import workflow
from zhili.incidents.models import (
    Answer,
    Dispatch,
    Incident,
    IncidentEvent,
    Level,
    Plan,
    Task,
)
from zhili.incidents.selectors import plan_steps
from zhili.intercom.services import group_for_subject
from zhili.orgs.models import Organization, User

# The force's status after each step, when its team type knows that status.
STATUS_AFTER = {
    "dispatch": "dispatched",
    Answer.ACCEPT: "en_route",
    Answer.ARRIVE: "on_scene",
    Answer.FINISH: IDLE,
}
ANSWER_ORDER = [Answer.ACCEPT, Answer.ARRIVE, Answer.FINISH]


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


def _check_point(lat: float, lng: float) -> None:
    if not -90 <= lat <= 90:
        raise InvalidInput("纬度应在 -90 到 90 之间", field="lat")
    if not -180 <= lng <= 180:
        raise InvalidInput("经度应在 -180 到 180 之间", field="lng")


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
    _check_point(lat, lng)
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
    push_after_commit(groups_for(org.path), _update(incident, "open", "开启事件"))
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


def talk_group(incident: Incident, *members: User) -> None:
    """The incident's talk group (事件通话组): its commanders, and each force dispatched."""
    group_for_subject(
        subject=incident.number,
        name=f"{incident.title}（{incident.number}）",
        organization=incident.organization,
        members=members,
    )


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


def _update(incident: Incident, action: str, label: str, **extra: object) -> dict[str, object]:
    return {
        "type": "incident.update",
        "number": incident.number,
        "action": action,
        "label": label,
        "state": incident.state,
        **extra,
    }


def _set_status(actor: Actor, incident: Incident, force: Force, step: str) -> None:
    """The force's status after a step of `incident` (whose own timeline row tells it): the
    incident's rules have already checked that the actor may take the step."""
    status = STATUS_AFTER[step]
    if status in force.team.team_type.labels():
        force_status_record(actor=actor, force=force, status=status, cause=incident.number)


def _push_force_step(incident: Incident, sent: Dispatch, action: str, label: str) -> None:
    """The commanding organization's pages hear of a step of a dispatched force."""
    force = sent.force
    extra = {"force": force.code, "force_name": force.name, "dispatch": sent.pk}
    push_after_commit(groups_for(incident.org_path), _update(incident, action, label, **extra))


# --- the desk's actions -------------------------------------------------------------------------


def _text(data: Mapping[str, object], name: str, label: str) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        raise InvalidInput(f"请填写{label}", field=name)
    return value


def _dispatch(actor: Actor, incident: Incident, data: Mapping[str, object]) -> Incident:
    code = str(data.get("force") or "").strip()
    if not code:
        raise InvalidInput("请指定派遣的力量", field="force")
    transition = check_action(workflow.KIND, actor, incident, "dispatch")
    force = _idle_force(actor, code)
    distance = _distance_m(force, incident)
    sent = Dispatch.objects.create(
        incident=incident, force=force, sent_by=actor, distance_m=distance
    )
    _set_status(actor, incident, force, "dispatch")
    note = str(data.get("note") or "")
    apply_transition(
        workflow.KIND,
        incident,
        transition,
        actor,
        note=note or f"派遣 {force.name}（{force.team.name}）",
        force=force.code,
        dispatch=sent.pk,
    )
    if force.user is not None:
        talk_group(incident, force.user)
        push_after_commit([user_group(force.user.pk)], dispatch_message(sent))
    _push_force_step(incident, sent, "dispatch", "派遣力量")
    return incident


def _idle_force(actor: Actor, code: str) -> Force:
    """The force `code` the actor commands, idle (else 422 naming `force`, or 409)."""
    force = (
        Force.objects.filter(force_scope(actor), code=code)
        .select_related("team__team_type")
        .first()
    )
    if force is None:
        raise InvalidInput(f"力量 {code} 不存在或不归您指挥", field="force")
    if force.status != IDLE:
        label = force.team.team_type.labels().get(force.status, force.status)
        raise Conflict(f"{force.name}当前为“{label}”，不能派遣", code="force_busy")
    return force


def _distance_m(force: Force, incident: Incident) -> float | None:
    if force.lat is None or force.lng is None:
        return None
    return distance_m(force.lat, force.lng, incident.lat, incident.lng)


def dispatch_message(sent: Dispatch) -> dict[str, object]:
    """What the force's handheld is told of a dispatch."""
    incident = sent.incident
    return {
        "type": "incident.dispatch",
        "dispatch": sent.pk,
        "number": incident.number,
        "title": incident.title,
        "level": incident.level,
        "level_label": Level(incident.level).label,
        "category": incident.category.name,
        "lat": incident.lat,
        "lng": incident.lng,
        "distance_m": round(sent.distance_m) if sent.distance_m is not None else None,
        "answer_url": f"/api/v1/incidents/dispatches/{sent.pk}/answer",
    }


def _noted(action: str, label: str) -> Callable[[Actor, Incident, Mapping[str, object]], Incident]:
    def note(actor: Actor, incident: Incident, data: Mapping[str, object]) -> Incident:
        transition = check_action(workflow.KIND, actor, incident, action)
        text = _text(data, "note", "内容")
        apply_transition(workflow.KIND, incident, transition, actor, note=text)
        push_after_commit(
            groups_for(incident.org_path), _update(incident, action, label, note=text)
        )
        return incident

    return note


def _close(actor: Actor, incident: Incident, data: Mapping[str, object]) -> Incident:
    transition = check_action(workflow.KIND, actor, incident, "close")
    now = timezone.now()
    note = str(data.get("note") or "")
    apply_transition(
        workflow.KIND, incident, transition, actor, {"closed_at": now}, note=note, at=now
    )
    push_after_commit(groups_for(incident.org_path), _update(incident, "close", "结束处置"))
    return incident


ACTIONS: dict[str, Callable[[Actor, Incident, Mapping[str, object]], Incident]] = {
    "dispatch": _dispatch,
    "message": _noted("message", "指挥消息"),
    "decide": _noted("decide", "指挥决策"),
    "close": _close,
}


@transaction.atomic
def incident_act(
    actor: Actor, incident: Incident, action: str, data: dict[str, object]
) -> Incident:
    """The desk's action on an incident (the kernel's action path)."""
    return action_of(ACTIONS, action)(actor, incident, data)


# --- the handheld's answers ---------------------------------------------------------------------


@transaction.atomic
def dispatch_answer(
    *, actor: Actor, dispatch_id: int, answer: str, lat: float | None, lng: float | None
) -> Dispatch:
    """The force's answer to a dispatch (接收 / 到场 / 完成) with where it is: from its own
    handheld, or recorded by a desk that commands the incident."""
    sent = _answerable(actor, dispatch_id)
    _check_answer(sent, answer, lat, lng)
    now = timezone.now()
    lat, lng = _stamp(sent, answer, now, lat, lng)
    _set_status(actor, sent.incident, sent.force, answer)
    label = Answer(answer).label
    record_history(
        workflow.KIND,
        sent.incident,
        answer,
        from_state=sent.incident.state,
        to_state=sent.incident.state,
        actor=actor,
        note=f"{sent.force.name}{label}",
        at=now,
        force=sent.force.code,
        dispatch=sent.pk,
        lat=lat,
        lng=lng,
    )
    _push_force_step(sent.incident, sent, answer, f"力量{label}")
    return sent


def _stamp(
    sent: Dispatch, answer: str, now: datetime, lat: float | None, lng: float | None
) -> tuple[float | None, float | None]:
    """The answer's moment and place on the dispatch (without a place from the handheld, the
    force's last known one); that place."""
    lat = lat if lat is not None else sent.force.lat
    lng = lng if lng is not None else sent.force.lng
    setattr(sent, f"{answer}_at", now)
    setattr(sent, f"{answer}_lat", lat)
    setattr(sent, f"{answer}_lng", lng)
    sent.save()
    return lat, lng


def _answerable(actor: Actor, dispatch_id: int) -> Dispatch:
    """The dispatch, locked, if the actor is its force's user or commands its incident
    (out of sight: 404; seen but not commanded: 403)."""
    sent = (
        Dispatch.objects.select_for_update()
        .select_related("incident", "force__team__team_type")
        .filter(pk=dispatch_id)
        .first()
    )
    if sent is None:
        raise NotFound("派遣不存在")
    own = sent.force.user_id is not None and sent.force.user_id == actor.pk
    if not own:
        if not workflow.visible(actor, sent.incident):
            raise NotFound("派遣不存在")
        if not workflow.commands(actor, sent.incident):
            raise Forbidden("只能答复派给本人的任务", code="forbidden")
    return sent


def _check_answer(sent: Dispatch, answer: str, lat: float | None, lng: float | None) -> None:
    """An answer is one of Answer's, after the last one given; a point is on the globe."""
    if answer not in Answer.values:
        names = "、".join(f"{v}（{label}）" for v, label in Answer.choices)
        raise InvalidInput(f"答复应为：{names}", field="answer")
    if lat is not None and lng is not None:
        _check_point(lat, lng)
    given = sent.stage()
    if given and ANSWER_ORDER.index(Answer(given)) >= ANSWER_ORDER.index(Answer(answer)):
        raise Conflict(f"已{Answer(given).label}，不能再{Answer(answer).label}", code="wrong_state")


# --- a force's own status change ------------------------------------------------------------


@transaction.atomic
def status_on_timelines(*, status_change_id: int, force_id: int, cause: str = "") -> int:
    """Put a force's status change on the timeline of each incident it was working when the
    change was made (dispatched before, not yet finished, the incident not yet closed), but
    `cause`'s (the incident whose own step set it and tells it). Once per incident and
    change, however often the event comes; how many rows were written."""
    change = (
        StatusChange.objects.select_related("force__team__team_type", "by")
        .filter(pk=status_change_id, force_id=force_id)
        .first()
    )
    if change is None:
        return 0
    working = (
        Dispatch.objects.filter(force_id=force_id, sent_at__lte=change.at)
        .filter(Q(finish_at__isnull=True) | Q(finish_at__gt=change.at))
        .filter(Q(incident__closed_at__isnull=True) | Q(incident__closed_at__gt=change.at))
        .exclude(incident__number=cause)
        .select_related("incident")
    )
    written = 0
    for incident in {d.incident_id: d.incident for d in working}.values():
        noted = IncidentEvent.objects.filter(
            incident=incident, action="status", data__status_change=change.pk
        )
        if not noted.exists():
            _note_status(incident, change)
            written += 1
    return written


def _note_status(incident: Incident, change: StatusChange) -> None:
    force = change.force
    labels = {**dict(DEFAULT_STATUSES), **force.team.team_type.labels()}
    before = labels.get(change.from_status, change.from_status)
    after = labels.get(change.to_status, change.to_status)
    record_history(
        workflow.KIND,
        incident,
        "status",
        from_state=incident.state,
        to_state=incident.state,
        actor=change.by,
        note=f"{force.name}：{before} → {after}",
        at=change.at,
        force=force.code,
        status_change=change.pk,
        from_status=change.from_status,
        to_status=change.to_status,
    )
    extra = {"force": force.code, "force_name": force.name, "status": after}
    push_after_commit(
        groups_for(incident.org_path), _update(incident, "status", "力量状态", **extra)
    )


# --- an emergency case opens an incident --------------------------------------------------------


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
    push_after_commit(groups_for(org.path), _update(incident, "open", "开启事件"))
    return incident
