"""The desk's actions on an incident through the kernel's action path (`ACTIONS`,
`incident_act`): dispatch a force, a message, a decision, close."""

from collections.abc import Callable, Mapping

from django.db import transaction
from django.utils import timezone

from zhili.core.dossier import action_of, apply_transition, check_action
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.geo import distance_m
from zhili.core.live import groups_for, push_after_commit, user_group
from zhili.core.types import Actor
from zhili.forces.models import IDLE, Force
from zhili.forces.selectors import force_scope
from zhili.incidents import workflow
from zhili.incidents.models import Dispatch, Incident, Level
from zhili.incidents.services.common import push_force_step, set_status, talk_group, update_message


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
    set_status(actor, incident, force, "dispatch")
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
    push_force_step(incident, sent, "dispatch", "派遣力量")
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
            groups_for(incident.org_path), update_message(incident, action, label, note=text)
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
    push_after_commit(groups_for(incident.org_path), update_message(incident, "close", "结束处置"))
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
