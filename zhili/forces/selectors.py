"""Every scoped read of the forces: the one place that says who sees which force.

A user with `forces.view` sees the forces of the teams under their organization (the county
center and the county leader: all; a township: its own; a department: its own teams); a force
out of sight is answered as one that does not exist (404). A position older than
`FORCES_STALE_SECONDS` is stale: the force is shown greyed and never offered as available.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhili.core.near import Near, nearest
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.forces.models import IDLE, Force, Team

# The widening circles the nearest-force search draws until it has enough forces (metres).
SEARCH_RADII_M = (2_000, 10_000, 50_000, 100_000)


def stale_before(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(seconds=settings.FORCES_STALE_SECONDS)


def is_stale(force: Force, now: datetime | None = None) -> bool:
    return force.position_at is None or force.position_at < stale_before(now)


def force_scope(user: Actor) -> Q:
    if not can(user, Action.FORCES_VIEW):
        return Q(pk__in=[])
    return scope_for(user).q("team__organization__path")


def team_rows(*, user: Actor) -> QuerySet[Team]:
    """The teams whose forces `user` sees (the desk's team filter)."""
    if not can(user, Action.FORCES_VIEW):
        return Team.objects.none()
    rows = Team.objects.filter(scope_for(user).q("organization__path"))
    return rows.select_related("team_type", "organization")


def force_rows(*, user: Actor, status: str = "", team: str = "") -> QuerySet[Force]:
    rows = Force.objects.filter(force_scope(user)).select_related("team__team_type")
    rows = filter_given(rows, status=status)
    return filter_given(rows, team__code=team)


def force_get(*, user: Actor, code: str) -> Force:
    """A force in sight, or the user's own (a handheld without `forces.view` sets its status)."""
    sight = force_scope(user)
    # An empty Q is "every force"; OR-ed with another it would narrow to that one.
    rows = Force.objects.filter(sight | Q(user_id=user.pk)) if sight else Force.objects.all()
    return one_or_not_found(
        rows.select_related("team__team_type", "team__organization"), "处置力量不存在", code=code
    )


def force_of(user: Actor) -> Force | None:
    """The force whose handheld `user` signs in with, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Force.objects.select_related("team__team_type", "team__organization")
        .filter(user=user)
        .first()
    )


@dataclass(frozen=True)
class Candidate:
    force: Force
    distance_m: float
    eta_s: int  # straight-line distance at the team type's speed


def nearest_available(
    *, user: Actor, lat: float, lng: float, limit: int, now: datetime | None = None
) -> list[Candidate]:
    """The `limit` nearest forces `user` may command that are idle with a fresh position,
    nearest first, each with its distance and estimated arrival time."""
    available = Force.objects.filter(
        force_scope(user), status=IDLE, position_at__gte=stale_before(now)
    )
    found: list[tuple[float, int]] = []
    for radius in SEARCH_RADII_M:
        found = nearest(available, Near(lat, lng, radius))
        if len(found) >= limit:
            break
    chosen = found[:limit]
    by_pk = available.select_related("team__team_type").in_bulk([pk for _d, pk in chosen])
    return [
        Candidate(by_pk[pk], distance, _eta_s(distance, by_pk[pk].team.team_type.speed_kmh))
        for distance, pk in chosen
    ]


def _eta_s(distance_m: float, speed_kmh: float) -> int:
    return round(distance_m / (max(speed_kmh, 1.0) / 3.6))
