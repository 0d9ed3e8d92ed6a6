"""Every scoped read of the talk groups: who may join which group, and the talk log.

A user may join: a team's group if the team's organization is in their forces scope or they
are one of its forces; an all-call if its center is in their scope (its commanders) or their
team is under it (the field); a subject's group if its organization is in their scope or they
are named in it; an individual call if they are one of its two. A group out of reach is
answered as one that does not exist (404).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from zhili.core.roles import Action
from zhili.core.scope import NOTHING, can, scope_for
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.forces.selectors import force_of
from zhili.intercom.models import GroupKind, Talk, TalkGroup


def _ancestors(path: str) -> list[str]:
    """ "/C/T/V/" → ["/C/", "/C/T/", "/C/T/V/"]."""
    codes = [code for code in path.strip("/").split("/") if code]
    return ["/" + "/".join(codes[: n + 1]) + "/" for n in range(len(codes))]


def group_scope(user: Actor) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = scope_for(user) if can(user, Action.FORCES_VIEW) else NOTHING
    sight = Q(kind__in=[GroupKind.TEAM, GroupKind.SUBJECT, GroupKind.ALL_CALL]) & scope.q("path")
    if not scope.everything and not scope.prefixes:
        sight = Q(pk__in=[])
    mine = Q(members=user)
    force = force_of(user)
    if force is not None:
        mine |= Q(kind=GroupKind.TEAM, team_id=force.team_id)
        mine |= Q(kind=GroupKind.ALL_CALL, path__in=_ancestors(force.team.organization.path))
    return sight | mine


def group_rows(*, user: Actor) -> QuerySet[TalkGroup]:
    ids = TalkGroup.objects.filter(group_scope(user)).values("pk")
    return TalkGroup.objects.filter(pk__in=ids).select_related("speaker", "team")


def group_get(*, user: Actor, pk: int) -> TalkGroup:
    return one_or_not_found(group_rows(user=user), "通话组不存在", pk=pk)


def may_command(user: Actor, group: TalkGroup) -> bool:
    """Whether `user` commands the group's organization (an all-call's only speakers)."""
    return can(user, Action.FORCES_COMMAND) and scope_for(user).covers_path(group.path)


@dataclass(frozen=True)
class TalkRow:
    group: str
    kind: str
    user: str
    started_at: datetime
    ended_at: datetime | None
    heard_at: datetime | None


def talks_for(subject: str) -> list[TalkRow]:
    """Who talked when in the subject's group (an incident's timeline), oldest first. The
    caller has checked that its user may see the subject."""
    rows = (
        Talk.objects.filter(group__kind=GroupKind.SUBJECT, group__subject=subject)
        .select_related("group", "user")
        .order_by("started_at", "id")
    )
    return [
        TalkRow(
            group=talk.group.name,
            kind=talk.group.kind,
            user=talk.user.display_name,
            started_at=talk.started_at,
            ended_at=talk.ended_at,
            heard_at=talk.heard_at,
        )
        for talk in rows
    ]


def talk_rows(*, user: Actor, group: TalkGroup, limit: int = 50) -> list[Talk]:
    """The group's latest talks (the panel's log); `group` came from `group_get`."""
    rows = Talk.objects.filter(group=group).select_related("user").order_by("-started_at", "-id")
    return list(rows[:limit])
