"""A force's own status change (the handheld's tap, a desk's) on the timelines of the
incidents it was working then."""

from django.db import transaction
from django.db.models import Q

from zhili.core.dossier import record_history
from zhili.core.live import groups_for, push_after_commit
from zhili.forces.models import DEFAULT_STATUSES, StatusChange
from zhili.incidents import workflow
from zhili.incidents.models import Dispatch, Incident, IncidentEvent
from zhili.incidents.services.common import update_message


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
        groups_for(incident.org_path), update_message(incident, "status", "力量状态", **extra)
    )
