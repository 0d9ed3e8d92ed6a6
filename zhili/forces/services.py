"""Every write of the forces: the handheld's positions, status changes, the pruning of old
positions.

Positions are keyed by a UUID the handheld made before sending, so the offline queue can send
a batch again after a lost answer: a point already stored is counted as a duplicate and not
written twice. The force's last position moves only forward in time, whatever order the
batches arrive in.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.events import emit
from zhili.core.live import groups_for, push_after_commit
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.forces import selectors
from zhili.forces.events import ForceStatusChanged
from zhili.forces.models import Force, Position, StatusChange

MAX_POINTS_PER_BATCH = 500


@dataclass(frozen=True)
class PositionIn:
    client_id: uuid.UUID
    lat: float
    lng: float
    at: datetime
    accuracy_m: float | None = None


@dataclass(frozen=True)
class Reported:
    force: Force
    accepted: int  # points stored by this call
    duplicates: int  # points sent before (a resent batch)


def _own_force(actor: Actor) -> Force:
    force = selectors.force_of(actor)
    if force is None:
        raise Forbidden("您的账号不是处置力量成员，不能上报位置", code="not_a_force")
    return force


def _check_times(points: Sequence[PositionIn], now: datetime) -> list[PositionIn]:
    """Times in the future (a drifting phone clock) are taken as now; older than the kept
    period they are refused, naming the point."""
    oldest = now - timedelta(days=settings.FORCES_POSITION_DAYS)
    checked = []
    for index, point in enumerate(points):
        if point.at < oldest:
            raise InvalidInput(
                f"定位时间早于{settings.FORCES_POSITION_DAYS}天，不再接收",
                field=f"points[{index}].at",
            )
        checked.append(point if point.at <= now else replace(point, at=now))
    return checked


@transaction.atomic
def positions_report(*, actor: Actor, points: Sequence[PositionIn]) -> Reported:
    """Store the handheld's points for the actor's own force, once per point id."""
    return positions_store(force=_own_force(actor), points=points)


@transaction.atomic
def positions_store(*, force: Force, points: Sequence[PositionIn]) -> Reported:
    """Store `points` of `force`'s handheld, once per point id, and move the force to the
    latest. Callers: the handheld's own report, the demo's simulated handhelds."""
    _check_batch(points)
    points = _check_times(points, timezone.now())
    fresh = _store_fresh(force, points)
    if _move(force, fresh):
        _push_position(force)
    return Reported(force, len(fresh), len(points) - len(fresh))


def _check_batch(points: Sequence[PositionIn]) -> None:
    """A batch has points, not too many, each id once."""
    if not points:
        raise InvalidInput("没有定位点", field="points")
    if len(points) > MAX_POINTS_PER_BATCH:
        raise InvalidInput(f"一次最多上报{MAX_POINTS_PER_BATCH}个定位点", field="points")
    ids = [point.client_id for point in points]
    if len(set(ids)) != len(ids):
        raise InvalidInput("同一批次中定位点编号重复", field="points")


def _store_fresh(force: Force, points: Sequence[PositionIn]) -> list[PositionIn]:
    """Write the points whose ids the force has not sent before; those points."""
    ids = [point.client_id for point in points]
    known = set(
        Position.objects.filter(force=force, client_id__in=ids).values_list("client_id", flat=True)
    )
    fresh = [point for point in points if point.client_id not in known]
    Position.objects.bulk_create(
        [
            Position(
                force=force,
                client_id=p.client_id,
                lat=p.lat,
                lng=p.lng,
                at=p.at,
                accuracy_m=p.accuracy_m,
            )
            for p in fresh
        ],
        ignore_conflicts=True,  # a concurrent resend of the same batch
    )
    return fresh


def _push_position(force: Force) -> None:
    """The screens and desks of the force's units see it move (zhili/core/live.py)."""
    push_after_commit(
        groups_for(force.team.organization.path),
        {
            "type": "forces.position",
            "code": force.code,
            "lat": force.lat,
            "lng": force.lng,
            "at": force.position_at.isoformat() if force.position_at else None,
            "status": force.status,
        },
    )


def _move(force: Force, points: Sequence[PositionIn]) -> bool:
    """The force's last position: the latest of `points`, if later than the one it has.
    Whether it moved."""
    if not points:
        return False
    # Points of a batch may share a time (a phone clock ahead of the server's is taken as now):
    # among equal times the one sent last, the phone's latest fix, wins.
    last = max(reversed(points), key=lambda p: p.at)
    moved = Force.objects.filter(pk=force.pk).exclude(position_at__gte=last.at)
    if moved.update(lat=last.lat, lng=last.lng, accuracy_m=last.accuracy_m, position_at=last.at):
        force.lat, force.lng, force.accuracy_m, force.position_at = (
            last.lat,
            last.lng,
            last.accuracy_m,
            last.at,
        )
        return True
    return False


@transaction.atomic
def force_set_status(*, actor: Actor, force: Force, status: str) -> Force:
    """Set the force's status: by its own handheld, or by a desk that commands it (its
    sight covers the force's team: a township its own, a department its own teams)."""
    own = force.user_id is not None and force.user_id == actor.pk
    if not own and not _commands(actor, force):
        raise Forbidden("只能设置本人或本单位指挥的力量的状态", code="forbidden")
    return force_status_record(actor=actor, force=force, status=status)


def _commands(actor: Actor, force: Force) -> bool:
    path = force.team.organization.path
    return can(actor, Action.FORCES_COMMAND) and scope_for(actor).covers_path(path)


@transaction.atomic
def force_status_record(*, actor: Actor, force: Force, status: str, cause: str = "") -> Force:
    """Write the force's new status (a `StatusChange`, an audit row, and the event the
    incidents' timelines hear it by). The caller has checked the actor may: `force_set_status`,
    or an incident's dispatch or answer, whose number is `cause`."""
    labels = force.team.team_type.labels()
    if status not in labels:
        raise InvalidInput(
            "状态应为：" + "、".join(f"{code}（{label}）" for code, label in labels.items()),
            field="status",
        )
    locked = Force.objects.select_for_update().get(pk=force.pk)
    if locked.status == status:
        return locked
    now = timezone.now()
    change = StatusChange.objects.create(
        force=locked, from_status=locked.status, to_status=status, at=now, by=actor
    )
    audit(actor, "forces.force.status", locked, from_status=locked.status, to_status=status)
    emit(
        ForceStatusChanged(
            status_change_id=change.pk,
            force_id=locked.pk,
            from_status=locked.status,
            to_status=status,
            at=now.isoformat(),
            by_id=actor.pk if getattr(actor, "pk", None) else None,
            cause=cause,
        )
    )
    locked.status, locked.status_at = status, now
    locked.save(update_fields=["status", "status_at"])
    return locked


def positions_prune(now: datetime | None = None) -> int:
    """Delete the positions older than the kept period; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.FORCES_POSITION_DAYS)
    deleted, _ = Position.objects.filter(at__lt=cutoff).delete()
    return deleted
