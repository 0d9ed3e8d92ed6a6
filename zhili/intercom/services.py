"""Every write of the intercom: the groups (made on demand), joining a group's room, and the
floor (one speaker at a time, decided here and enforced at the gateway).

The floor: a take while someone else holds it is a 409 naming the speaker; the holder renews
it by taking again; a hold not renewed for INTERCOM_FLOOR_SECONDS lapses (the next take, or
the sweep, ends it). Only the holder's seats are unmuted at the gateway; every seat joins
muted and the platform mutes again a seat Janus reports unmuted without the floor
(zhili/intercom/talklog.py).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.live import push_after_commit, user_group
from zhili.core.types import Actor
from zhili.forces.models import Force, Team
from zhili.intercom import gateway
from zhili.intercom.models import GroupKind, Seat, Talk, TalkGroup
from zhili.intercom.selectors import call_title, callee_rows, group_rows, may_command
from zhili.orgs.models import Organization, User
from zhili.rooms.gateway import browser_token, new_room_id
from zhili.video.gateway.tokens import AUDIOBRIDGE
from zhili.video.live import gateways


def _made(kind: str, lookup: dict[str, object], defaults: dict[str, object]) -> TalkGroup:
    """The group, made the first time it is asked for (two at once: one is made)."""
    found = TalkGroup.objects.filter(kind=kind, **lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return TalkGroup.objects.create(kind=kind, **lookup, **defaults)
    except IntegrityError:
        return TalkGroup.objects.get(kind=kind, **lookup)


def group_for_team(*, team: Team) -> TalkGroup:
    return _made(
        GroupKind.TEAM,
        {"team": team},
        {"name": team.name, "path": team.organization.path},
    )


def _groups_for_teams(teams: list[Team]) -> None:
    """Every team's group, the missing ones made together (a county desk sees 100-odd teams:
    one read and at most one write, not one of each per team)."""
    have = set(
        TalkGroup.objects.filter(kind=GroupKind.TEAM, team__in=teams).values_list(
            "team_id", flat=True
        )
    )
    missing = {team.pk: team for team in teams if team.pk not in have}
    if missing:
        TalkGroup.objects.bulk_create(
            [
                TalkGroup(
                    kind=GroupKind.TEAM, team=team, name=team.name, path=team.organization.path
                )
                for team in missing.values()
            ],
            ignore_conflicts=True,  # made by another page at the same moment
        )


def group_for_subject(
    *, subject: str, name: str, organization: Organization, members: tuple[User, ...] = ()
) -> TalkGroup:
    """The group of a subject of another app (an incident's number): its organization's
    commanders and the `members` named (added to those already in)."""
    if not subject or len(subject) > 64:
        raise InvalidInput("事由编号无效", field="subject")
    group = _made(
        GroupKind.SUBJECT, {"subject": subject}, {"name": name[:200], "path": organization.path}
    )
    if members:
        group.members.add(*members)
    return group


def group_all_call(*, organization: Organization) -> TalkGroup:
    """The center's all-call (全呼): every force under it listens, its commanders speak."""
    return _made(
        GroupKind.ALL_CALL,
        {"path": organization.path},
        {"name": f"{organization.name}全呼"},
    )


def group_direct(*, actor: Actor, other_id: int) -> TalkGroup:
    """An individual call (单呼) between `actor` and a user they may reach: a force in their
    sight or a fellow member of their team (`selectors.callee_rows`). Joining it calls the
    other (`group_join`)."""
    if other_id == actor.pk:
        raise InvalidInput("不能呼叫自己", field="user")
    other = User.objects.filter(pk=other_id, is_active=True).first()
    if other is None or not _reachable(actor, other):
        raise NotFound("呼叫对象不存在", field="user")
    low, high = sorted((actor.pk, other.pk))
    group = _made(
        GroupKind.DIRECT,
        {"subject": f"u{low}-u{high}"},
        {
            "name": f"单呼：{actor.display_name}、{other.display_name}",
            "path": actor.organization.path if actor.organization else "/",
        },
    )
    group.members.add(actor, other)
    return group


def _reachable(actor: Actor, other: User) -> bool:
    """The rule of whom one may call: the lists of people to call read it too."""
    return callee_rows(user=actor).filter(user=other).exists()


def groups_of(*, user: Actor) -> list[TalkGroup]:
    """The groups of the user's panel, the ones of their teams and center made on demand."""
    from zhili.forces.selectors import force_of, team_rows

    teams = list(team_rows(user=user))
    force = force_of(user)
    if force is not None:
        teams.append(force.team)
    _groups_for_teams(teams)
    if force is not None:
        # The county center's all-call reaches every force: the top of the team's path.
        top = force.team.organization.path.strip("/").split("/")[0]
        county = Organization.objects.filter(path=f"/{top}/").first()
        if county is not None:
            group_all_call(organization=county)
    organization = getattr(user, "organization", None)
    if organization is not None and organization.level != "village":
        probe = TalkGroup(kind=GroupKind.ALL_CALL, path=organization.path)
        if may_command(user, probe):
            group_all_call(organization=organization)
    return list(group_rows(user=user).order_by("kind", "name", "pk"))


def members_of(group: TalkGroup) -> set[int]:
    """The user ids a floor change is pushed to: the forces by position, the named members,
    and whoever has a page in the room."""
    ids: set[int] = set(group.members.values_list("pk", flat=True))
    forces = Force.objects.exclude(user=None)
    if group.kind == GroupKind.TEAM:
        forces = forces.filter(team=group.team)
    elif group.kind == GroupKind.ALL_CALL:
        forces = forces.filter(team__organization__path__startswith=group.path)
    else:
        forces = forces.none()
    ids |= {uid for uid in forces.values_list("user_id", flat=True) if uid is not None}
    ids |= set(Seat.objects.filter(group=group, left_at=None).values_list("user_id", flat=True))
    return ids


@dataclass(frozen=True)
class Join:
    seat: int  # the AudioBridge participant id the page joins with
    room: int
    token: str  # the room's `allowed` token (the join's `pin`-less credential)
    janus_token: str  # the gateway's own session token (AudioBridge only)
    expires_at: datetime
    ws_url: str
    speaker: str


def _ensure_room(group: TalkGroup) -> TalkGroup:
    """The group's AudioBridge room exists at the gateway (made now, or again after a restart)."""
    if group.janus_id is not None and gateway.room_exists(group.gateway, group.janus_id):
        return group
    if group.janus_id is None:
        TalkGroup.objects.filter(pk=group.pk, janus_id=None).update(
            janus_id=new_room_id(), janus_secret=secrets.token_hex(16)
        )
        group.refresh_from_db()
    gateway.room_create(group.gateway, group.janus_id or 0, group.janus_secret, group.name)
    # The seats of the old room are gone with it.
    Seat.objects.filter(group=group, left_at=None).update(left_at=timezone.now())
    return group


def gateway_token() -> tuple[str, datetime]:
    """A fresh gateway token for a page's session (the AudioBridge only)."""
    return browser_token(AUDIOBRIDGE)


def group_join(*, actor: Actor, group: TalkGroup) -> Join:
    """A seat for one page: a token on the room's `allowed` list; the page joins muted. In an
    individual call the join calls the other person (`_ring`)."""
    group = _ensure_room(group)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        seat = Seat.objects.create(group=group, user=actor, token=token)
        audit(actor, "intercom.group.join", group, seat=seat.pk)
    gateway.allow(group.gateway, group.janus_id or 0, group.janus_secret, "add", [token])
    if group.kind == GroupKind.DIRECT:  # once the gateway let the seat in
        _ring(actor, group, seat)
    janus_token, expires_at = gateway_token()
    urls = gateways()
    ws_url = urls[group.gateway if group.gateway < len(urls) else 0].ws_url
    return Join(
        seat=seat.pk,
        room=group.janus_id or 0,
        token=token,
        janus_token=janus_token,
        expires_at=expires_at,
        ws_url=ws_url,
        speaker=_speaker_name(group),
    )


@transaction.atomic
def _ring(actor: Actor, group: TalkGroup, seat: Seat) -> None:
    """An individual call's join tells the other person's pages, after commit: while they are
    not in the group, that `actor` calls them (`intercom.call`: their pages offer 接听 and
    忽略); when they are in it already, waiting, that `actor` has come (`intercom.answer`)."""
    for other in group.members.exclude(pk=actor.pk):
        waiting = Seat.objects.filter(group=group, user=other, left_at=None).exists()
        payload = {
            "type": "intercom.answer" if waiting else "intercom.call",
            "group": group.pk,
            "group_name": call_title(actor.display_name),
            "kind": group.kind,
            "caller": actor.display_name,
            "caller_id": actor.pk,
            "speaker": _speaker_name(group),
        }
        if not waiting:
            audit(actor, "intercom.direct.call", group, seat=seat.pk, callee=other.pk)
        push_after_commit([user_group(other.pk)], payload)


def seat_leave(*, actor: Actor, group: TalkGroup, seat_id: int) -> None:
    seat = Seat.objects.filter(pk=seat_id, group=group, user=actor, left_at=None).first()
    if seat is None:
        raise NotFound("席位不存在", field="seat")
    Seat.objects.filter(pk=seat.pk).update(left_at=timezone.now())
    if group.janus_id is not None:
        gateway.allow(group.gateway, group.janus_id, group.janus_secret, "remove", [seat.token])


def _speaker_name(group: TalkGroup) -> str:
    if group.speaker_id is None or group.floor_until is None:
        return ""
    if group.floor_until <= timezone.now():
        return ""
    return group.speaker.display_name if group.speaker else ""


@dataclass(frozen=True)
class Floor:
    group: int
    speaker: str
    speaker_id: int | None
    until: datetime | None


def _open_seats(group: TalkGroup, user_id: int | None) -> list[int]:
    if user_id is None:
        return []
    seats = Seat.objects.filter(group=group, user_id=user_id, left_at=None)
    return list(seats.values_list("pk", flat=True))


def _push(group: TalkGroup, speaker: str, speaker_id: int | None) -> None:
    payload = {
        "type": "intercom.floor",
        "group": group.pk,
        "group_name": group.name,
        "speaker": speaker,
        "speaker_id": speaker_id,
    }
    push_after_commit([user_group(uid) for uid in sorted(members_of(group))], payload)


def floor_take(*, actor: Actor, group: TalkGroup) -> Floor:
    """Take (or renew) the floor: 409 naming the speaker while someone else holds it."""
    if group.kind == GroupKind.ALL_CALL and not may_command(actor, group):
        raise Forbidden("全呼只有指挥中心可以讲话", code="listen_only")
    now = timezone.now()
    until = now + timedelta(seconds=settings.INTERCOM_FLOOR_SECONDS)
    with transaction.atomic():
        locked = TalkGroup.objects.select_for_update(of=("self",)).get(pk=group.pk)
        lapsed = _hand_floor(locked, actor, now)
        locked.speaker, locked.floor_until = actor, until
        locked.save(update_fields=["speaker", "floor_since", "floor_until"])
    if lapsed is not None and lapsed != actor.pk:
        _mute_user(locked, lapsed, True)
    _mute_user(locked, actor.pk, False)
    return Floor(locked.pk, actor.display_name, actor.pk, until)


def _hand_floor(locked: TalkGroup, actor: Actor, now: datetime) -> int | None:
    """The floor of the locked group to the actor (409 while another holds it): a new talk
    unless the actor renews their own. The lapsed holder's id, whose talk it closed."""
    holder = locked.speaker_id
    held = holder is not None and locked.floor_until is not None and locked.floor_until > now
    if held and holder != actor.pk:
        name = locked.speaker.display_name if locked.speaker else ""
        raise Conflict(f"{name} 正在讲话", code="floor_busy", field="speaker")
    if held:  # the actor's own floor, renewed
        return None
    if holder is not None:
        _close_talk(locked, holder, now, "expired")
    Talk.objects.create(group=locked, user=actor, started_at=now)
    locked.floor_since = now
    audit(actor, "intercom.floor.take", locked)
    _push(locked, actor.display_name, actor.pk)
    return holder


def _mute_user(group: TalkGroup, user_id: int, muted: bool) -> None:
    """Mute or unmute at the gateway the seats `user_id` has open in the group's bridge (a
    group without a bridge yet has none)."""
    if group.janus_id is not None:
        seats = _open_seats(group, user_id)
        gateway.set_muted(group.gateway, group.janus_id, group.janus_secret, seats, muted)


def _close_talk(group: TalkGroup, user_id: int, at: datetime, how: str) -> None:
    Talk.objects.filter(group=group, user_id=user_id, ended_at=None).update(
        ended_at=at, ended_how=how
    )


def floor_release(*, actor: Actor, group: TalkGroup) -> Floor:
    """Give the floor back (the holder's release; nothing happens for anyone else)."""
    now = timezone.now()
    with transaction.atomic():
        locked = TalkGroup.objects.select_for_update().get(pk=group.pk)
        released = locked.speaker_id == actor.pk
        if released:
            _release(locked, now, "released")
            audit(actor, "intercom.floor.release", locked)
    if released:
        _mute_user(locked, actor.pk, True)
    return Floor(locked.pk, _speaker_name(locked), locked.speaker_id, locked.floor_until)


def _release(group: TalkGroup, at: datetime, how: str) -> None:
    if group.speaker_id is None:
        return
    _close_talk(group, group.speaker_id, at, how)
    TalkGroup.objects.filter(pk=group.pk).update(speaker=None, floor_since=None, floor_until=None)
    group.speaker, group.floor_since, group.floor_until = None, None, None
    _push(group, "", None)


def floor_sweep(now: datetime | None = None) -> int:
    """End the holds not renewed in time (the scheduler's job): mute the lapsed speaker."""
    now = now or timezone.now()
    count = 0
    for group in TalkGroup.objects.filter(floor_until__lte=now).exclude(speaker=None):
        with transaction.atomic():
            locked = TalkGroup.objects.select_for_update().get(pk=group.pk)
            holder = locked.speaker_id
            if holder is None or locked.floor_until is None or locked.floor_until > now:
                continue
            _release(locked, locked.floor_until, "expired")
        count += 1
        _mute_user(locked, holder, True)
    return count
