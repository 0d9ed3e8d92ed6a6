"""Every scoped read of the talk groups: who may join which group, and the talk log.

A user may join: a team's group if the team's organization is in their forces scope or they
are one of its forces; an all-call if its center is in their scope (its commanders) or their
team is under it (the field); a subject's group if its organization is in their scope or they
are named in it; an individual call if they are one of its two. A group out of reach is
answered as one that does not exist (404).

Whom a user may call (单呼, `callee_rows`): the people of the forces whose team groups they
may join, that is the forces in their forces scope and the members of their own team. The
individual call's service (`services.group_direct`) and the desk's and the handheld's lists of
people to call read the same rule.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhili.core.roles import Action
from zhili.core.scope import NOTHING, can, scope_for
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.forces.models import Force
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


def call_partners(*, user: Actor, groups: list[TalkGroup]) -> dict[int, tuple[int, str]]:
    """The other person (account id, name) of each individual call among `groups`, read for
    all of them at once."""
    direct = [group.pk for group in groups if group.kind == GroupKind.DIRECT]
    if not direct:
        return {}
    pairs = TalkGroup.objects.filter(pk__in=direct).values_list(
        "pk", "members__id", "members__full_name", "members__username"
    )
    return {
        pk: (member, full_name or username)
        for pk, member, full_name, username in pairs
        if member is not None and member != user.pk
    }


def call_title(name: str) -> str:
    return f"单呼：{name}"


def group_titles(*, user: Actor, groups: list[TalkGroup]) -> dict[int, str]:
    """The names `user` sees the groups by: an individual call is named by the other person
    (单呼：张网格); the others by their own name."""
    partners = call_partners(user=user, groups=groups)
    return {g.pk: call_title(partners[g.pk][1]) if g.pk in partners else g.name for g in groups}


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


def callee_rows(*, user: Actor) -> QuerySet[Force]:
    """The forces whose people `user` may call (单呼): the forces of the teams whose groups
    they may join (their forces scope, their own team), with an active account, not their own;
    the rule `services.group_direct` applies to a call."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Force.objects.none()
    rows = Force.objects.filter(user__is_active=True).exclude(user_id=user.pk)
    scope = scope_for(user) if can(user, Action.FORCES_VIEW) else NOTHING
    # The whole county sees every team; an empty Q OR-ed with another would narrow to it.
    if not scope.everything:
        own = Force.objects.filter(user_id=user.pk).values("team_id")
        rows = rows.filter(scope.q("team__organization__path") | Q(team_id__in=own))
    return rows


@dataclass(frozen=True)
class Callee:
    user_id: int
    name: str
    force: str  # the force's code
    team: str
    status: str
    status_label: str
    own_team: bool


def callees(*, user: Actor, q: str = "") -> list[Callee]:
    """The people `user` may call, their own team first, then by team: one query whatever
    their number. `q` narrows to a name, an account or a team containing it."""
    rows = callee_rows(user=user)
    if q:
        rows = rows.filter(
            Q(user__full_name__icontains=q)
            | Q(user__username__icontains=q)
            | Q(name__icontains=q)
            | Q(team__name__icontains=q)
        )
    mine = Force.objects.filter(user_id=user.pk, team_id=OuterRef("team_id"))
    rows = (
        rows.annotate(own_team=Exists(mine))
        .select_related("user", "team__team_type")
        .order_by("-own_team", "team__organization__path", "team__code", "code")
    )
    return [
        Callee(
            user_id=force.user.pk,
            name=force.user.display_name,
            force=force.code,
            team=force.team.name,
            status=force.status,
            status_label=force.team.team_type.labels().get(force.status, force.status),
            own_team=force.own_team,
        )
        for force in rows
        if force.user is not None
    ]
