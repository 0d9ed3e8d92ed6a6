"""Leader case ownership (领导包案): a leader takes a petition over until it is resolved,
with a target date and a history of progress notes."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.events import emit
from zhili.core.scope import role_codes
from zhili.petitions.models import Petition
from zhili.petitions.models import State as PetitionState
from zhili.receptions import workflow
from zhili.receptions.events import OwnershipChanged
from zhili.receptions.models import Ownership, OwnershipNote, OwnershipState
from zhili.receptions.services.common import (
    check_covers,
    check_leader,
    is_arranger_for,
    owner_organization,
    text,
    user_or_none,
)

MAX_DAYS = 366


def due_of(target: date) -> datetime:
    """The end of the target date, local time: overdue from the next day on."""
    tz = timezone.get_current_timezone()
    return datetime.combine(target + timedelta(days=1), time(0, 0), tz)


def _note(ownership: Ownership, action: str, note: str, actor: Any, at: datetime) -> None:
    OwnershipNote.objects.create(
        ownership=ownership, action=action, note=note, actor=user_or_none(actor), created_at=at
    )


def _check_leader(leader: Any, petition: Petition) -> None:
    """County leaders own a county-level petition; a township petition (handled in the
    township) is owned by that township's secretary."""
    if leader is None or not leader.is_active or not role_codes(leader) & workflow.LEADERS:
        raise InvalidInput("包案领导应为县领导或乡镇党委（政法委）书记", field="leader")
    if leader.organization is None:
        raise InvalidInput("包案领导未设置所属单位", field="leader")
    check_leader(leader, owner_organization(petition), noun="包案领导")


def _check_actor(actor: Any, leader: Any) -> None:
    """The leader takes a matter over, or petition staff covering the leader assign it."""
    if getattr(actor, "pk", None) == leader.pk:
        return
    if is_arranger_for(actor, leader.organization.path):
        return
    raise Forbidden("只能由领导本人或信访部门安排包案")


@transaction.atomic
def ownership_assign(
    *,
    actor: Any,
    leader: Any,
    petition: Petition,
    target_date: date,
    note: str = "",
    since: date | None = None,
) -> Ownership:
    _check_leader(leader, petition)
    _check_actor(actor, leader)
    if petition.state == PetitionState.CLOSED:
        raise Conflict("该信访事项已办结，无需包案", field="petition")
    today = timezone.localdate()
    since = since or today
    if target_date < since:
        raise InvalidInput("化解目标日期不能早于包案日期", field="target_date")
    if (target_date - since).days > MAX_DAYS:
        raise InvalidInput(f"化解目标日期应在包案后{MAX_DAYS}天内", field="target_date")
    note = text(note, "note", "包案说明", 2000) or "领导包案"
    now = timezone.now()
    current = Ownership.objects.filter(petition=petition, state=OwnershipState.ACTIVE).first()
    if current is not None:
        raise Conflict(f"该信访事项已由{current.leader}包案", field="petition")
    try:
        with transaction.atomic():
            ownership = Ownership.objects.create(
                leader=leader,
                petition=petition,
                org_path=leader.organization.path,
                since=since,
                target_date=target_date,
                due_at=due_of(target_date),
                created_by=user_or_none(actor),
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise Conflict("该信访事项已有领导包案", field="petition") from exc
    _note(ownership, "assign", note, actor, now)
    audit(
        actor,
        "receptions.ownership.assign",
        ownership,
        leader=leader.pk,
        petition=petition.number,
        target_date=target_date.isoformat(),
    )
    _announce(ownership, "assign")
    return ownership


def _check_owner_side(actor: Any, ownership: Ownership) -> None:
    check_covers(actor, ownership.org_path, "该包案")
    if getattr(actor, "pk", None) != ownership.leader_id and not is_arranger_for(
        actor, ownership.org_path
    ):
        raise Forbidden("只有包案领导本人或信访部门可以更新包案进展")


def _check_active(ownership: Ownership) -> None:
    if ownership.state != OwnershipState.ACTIVE:
        raise Conflict("该包案已化解", code="wrong_state")


@transaction.atomic
def ownership_progress(*, actor: Any, ownership: Ownership, note: str) -> OwnershipNote:
    """A progress note (a visit, a coordination meeting, a step of the solution)."""
    _check_owner_side(actor, ownership)
    _check_active(ownership)
    note = text(note, "note", "进展情况", 2000, required=True)
    now = timezone.now()
    row = OwnershipNote.objects.create(
        ownership=ownership, action="progress", note=note, actor=user_or_none(actor), created_at=now
    )
    Ownership.objects.filter(pk=ownership.pk).update(updated_at=now)
    audit(actor, "receptions.ownership.progress", ownership)
    return row


@transaction.atomic
def ownership_resolve(*, actor: Any, ownership: Ownership, resolution: str) -> Ownership:
    _check_owner_side(actor, ownership)
    _check_active(ownership)
    resolution = text(resolution, "resolution", "化解情况", 2000, required=True)
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
