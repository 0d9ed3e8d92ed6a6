"""Leader case ownership (领导包案): a leader takes a petition over until it is resolved,
with a target date and a history of progress notes."""

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.dossier import action_of
from zhili.core.errors import Conflict, DomainError, Forbidden, InvalidInput
from zhili.core.events import emit
from zhili.core.scope import role_codes
from zhili.core.types import Actor
from zhili.orgs.models import User
from zhili.petitions.models import Petition
from zhili.petitions.models import State as PetitionState
from zhili.receptions import workflow
from zhili.receptions.events import OwnershipChanged
from zhili.receptions.models import Ownership, OwnershipNote, OwnershipState
from zhili.receptions.selectors import owner_organization
from zhili.receptions.services.common import (
    check_covers,
    check_leader,
    create_or_conflict,
    text,
    user_or_none,
)

MAX_DAYS = 366


def due_of(target: date) -> datetime:
    """The end of the target date, local time: overdue from the next day on."""
    tz = timezone.get_current_timezone()
    return datetime.combine(target + timedelta(days=1), time(0, 0), tz)


def _note(
    ownership: Ownership, action: str, note: str, actor: Actor, at: datetime
) -> OwnershipNote:
    return OwnershipNote.objects.create(
        ownership=ownership, action=action, note=note, actor=user_or_none(actor), created_at=at
    )


def _check_leader(leader: User | None, petition: Petition) -> User:
    """County leaders own a county-level petition; a township petition (handled in the
    township) is owned by that township's secretary."""
    if leader is None or not leader.is_active or not role_codes(leader) & workflow.LEADERS:
        raise InvalidInput("包案领导应为县领导或乡镇党委（政法委）书记", field="leader")
    if leader.organization is None:
        raise InvalidInput("包案领导未设置所属单位", field="leader")
    check_leader(leader, owner_organization(petition), noun="包案领导")
    return leader


def _check_actor(actor: Actor, leader: User) -> None:
    """The leader takes a matter over, or petition staff covering the leader assign it."""
    if actor.pk == leader.pk:
        return
    assert leader.organization is not None  # `_check_leader` refused a leader without one
    if workflow.arranges(actor, leader.organization.path):
        return
    raise Forbidden("只能由领导本人或信访部门安排包案")


def _check_target(target_date: date, since: date) -> None:
    if target_date < since:
        raise InvalidInput("化解目标日期不能早于包案日期", field="target_date")
    if (target_date - since).days > MAX_DAYS:
        raise InvalidInput(f"化解目标日期应在包案后{MAX_DAYS}天内", field="target_date")


def _check_open(petition: Petition) -> None:
    if petition.state == PetitionState.CLOSED:
        raise Conflict("该信访事项已办结，无需包案", field="petition")


def _check_unowned(petition: Petition) -> None:
    current = Ownership.objects.filter(petition=petition, state=OwnershipState.ACTIVE).first()
    if current is not None:
        raise Conflict(f"该信访事项已由{current.leader}包案", field="petition")


def _insert(
    actor: Actor, leader: User, petition: Petition, since: date, target_date: date, at: datetime
) -> Ownership:
    assert leader.organization is not None
    return create_or_conflict(
        Ownership,
        Conflict("该信访事项已有领导包案", field="petition"),
        leader=leader,
        petition=petition,
        org_path=leader.organization.path,
        since=since,
        target_date=target_date,
        due_at=due_of(target_date),
        created_by=user_or_none(actor),
        created_at=at,
        updated_at=at,
    )


@transaction.atomic
def ownership_assign(
    *,
    actor: Actor,
    leader: User | None,
    petition: Petition,
    target_date: date,
    note: str = "",
    since: date | None = None,
) -> Ownership:
    """`leader` takes `petition` over until `target_date` (包案), by their own hand or
    assigned by petition staff."""
    leader = _check_leader(leader, petition)
    _check_actor(actor, leader)
    since = since or timezone.localdate()
    _check_open(petition)
    _check_target(target_date, since)
    note = text(note, "note", "包案说明", 2000) or "领导包案"
    _check_unowned(petition)
    now = timezone.now()
    ownership = _insert(actor, leader, petition, since, target_date, now)
    _note(ownership, "assign", note, actor, now)
    _audit_assignment(actor, ownership)
    _announce(ownership, "assign")
    return ownership


def _audit_assignment(actor: Actor, ownership: Ownership) -> None:
    audit(
        actor,
        "receptions.ownership.assign",
        ownership,
        leader=ownership.leader_id,
        petition=ownership.petition.number,
        target_date=ownership.target_date.isoformat(),
    )


def assign_refusal(petition: Petition) -> str:
    """Why `petition` cannot be given an owner now, as `ownership_assign` would answer ("" if
    it can): the assign form says so before it is sent."""
    for check in (_check_unowned, _check_open, owner_organization):
        try:
            check(petition)
        except DomainError as exc:
            return exc.message
    return ""


def _check_owner_side(actor: Actor, ownership: Ownership) -> None:
    """Out of sight 404; else the owner or petition staff arranging there (403)."""
    check_covers(actor, ownership.org_path, "该包案")
    if actor.pk != ownership.leader_id and not workflow.arranges(actor, ownership.org_path):
        raise Forbidden("只有包案领导本人或信访部门可以更新包案进展")


def _check_active(ownership: Ownership) -> None:
    if ownership.state != OwnershipState.ACTIVE:
        raise Conflict("该包案已化解", code="wrong_state")


def _owner_writes(actor: Actor, ownership: Ownership, value: str, field: str, label: str) -> str:
    """What the owner's side writes on an active 包案 (`field`, required), cleaned."""
    _check_owner_side(actor, ownership)
    _check_active(ownership)
    return text(value, field, label, 2000, required=True)


@transaction.atomic
def ownership_progress(*, actor: Actor, ownership: Ownership, note: str) -> OwnershipNote:
    """A progress note (a visit, a coordination meeting, a step of the solution)."""
    note = _owner_writes(actor, ownership, note, "note", "进展情况")
    now = timezone.now()
    row = _note(ownership, "progress", note, actor, now)
    Ownership.objects.filter(pk=ownership.pk).update(updated_at=now)
    audit(actor, "receptions.ownership.progress", ownership)
    return row


@transaction.atomic
def ownership_resolve(*, actor: Actor, ownership: Ownership, resolution: str) -> Ownership:
    resolution = _owner_writes(actor, ownership, resolution, "resolution", "化解情况")
    now = timezone.now()
    won = Ownership.objects.filter(pk=ownership.pk, state=OwnershipState.ACTIVE).update(
        state=OwnershipState.RESOLVED, resolved_at=now, resolution=resolution, updated_at=now
    )
    if not won:
        raise Conflict("该包案刚被他人处理，请刷新后重试", code="concurrent_update")
    ownership.refresh_from_db()
    _note(ownership, "resolve", resolution, actor, now)
    audit(actor, "receptions.ownership.resolve", ownership, petition=ownership.petition.number)
    _announce(ownership, "resolve")
    return ownership


def _announce(ownership: Ownership, action: str) -> None:
    emit(
        OwnershipChanged(
            ownership_id=ownership.pk,
            petition_id=ownership.petition_id,
            leader_id=ownership.leader_id,
            action=action,
            state=ownership.state,
        )
    )


# --- the action table of the leader's page --------------------------------------------------

OwnershipStep = Callable[[Actor, Ownership, Mapping[str, object]], object]

OWNERSHIP_ACTIONS: dict[str, OwnershipStep] = {
    "progress": lambda actor, ownership, data: ownership_progress(
        actor=actor, ownership=ownership, note=str(data.get("note") or "")
    ),
    "resolve": lambda actor, ownership, data: ownership_resolve(
        actor=actor, ownership=ownership, resolution=str(data.get("resolution") or "")
    ),
}


def ownership_act(
    actor: Actor, ownership: Ownership, action: str, data: Mapping[str, object]
) -> None:
    """Take `action` (progress / resolve) with its input `data` (the form's fields)."""
    action_of(OWNERSHIP_ACTIONS, action)(actor, ownership, data)
