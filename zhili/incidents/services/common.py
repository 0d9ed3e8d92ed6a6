"""What the parts of the incidents' services share: the force's status after each step, the
incident's talk group, the check of a point, and the message every page of the commanding
organization hears of a step (`incident.update`)."""

from zhili.core.errors import InvalidInput
from zhili.core.live import groups_for, push_after_commit
from zhili.core.types import Actor
from zhili.forces.models import IDLE, Force
from zhili.forces.services import force_status_record
from zhili.incidents.models import Answer, Dispatch, Incident
from zhili.intercom.services import group_for_subject
from zhili.orgs.models import User

# The force's status after each step, when its team type knows that status.
STATUS_AFTER = {
    "dispatch": "dispatched",
    Answer.ACCEPT: "en_route",
    Answer.ARRIVE: "on_scene",
    Answer.FINISH: IDLE,
}


def check_point(lat: float, lng: float) -> None:
    if not -90 <= lat <= 90:
        raise InvalidInput("纬度应在 -90 到 90 之间", field="lat")
    if not -180 <= lng <= 180:
        raise InvalidInput("经度应在 -180 到 180 之间", field="lng")


def talk_group(incident: Incident, *members: User) -> None:
    """The incident's talk group (事件通话组): its commanders, and each force dispatched."""
    group_for_subject(
        subject=incident.number,
        name=f"{incident.title}（{incident.number}）",
        organization=incident.organization,
        members=members,
    )


def update_message(
    incident: Incident, action: str, label: str, **extra: object
) -> dict[str, object]:
    return {
        "type": "incident.update",
        "number": incident.number,
        "action": action,
        "label": label,
        "state": incident.state,
        **extra,
    }


def set_status(actor: Actor, incident: Incident, force: Force, step: str) -> None:
    """The force's status after a step of `incident` (whose own timeline row tells it): the
    incident's rules have already checked that the actor may take the step."""
    status = STATUS_AFTER[step]
    if status in force.team.team_type.labels():
        force_status_record(actor=actor, force=force, status=status, cause=incident.number)


def push_force_step(incident: Incident, sent: Dispatch, action: str, label: str) -> None:
    """The commanding organization's pages hear of a step of a dispatched force."""
    force = sent.force
    extra = {"force": force.code, "force_name": force.name, "dispatch": sent.pk}
    push_after_commit(
        groups_for(incident.org_path), update_message(incident, action, label, **extra)
    )
