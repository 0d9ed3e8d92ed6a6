"""Writes to committees, their members, mediators and rooms (MEDIATION_MANAGE)."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.mediation.models import (
    Committee,
    CommitteeMember,
    DisputeKind,
    Employment,
    Gender,
    MediationRoom,
    Mediator,
    Position,
)
from zhili.mediation.selectors import MAX_MEMBERS, current_members
from zhili.mediation.services.common import check_side, choice, text
from zhili.orgs.models import Kind, Organization, User

TERM_YEARS = 3


def term_end_for(start: date) -> date:
    """The last day of a three-year term starting on `start`."""
    try:
        end = start.replace(year=start.year + TERM_YEARS)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + TERM_YEARS, day=28)
    return end - timedelta(days=1)


@transaction.atomic
def committee_create(
    *, actor: Any, organization: Organization, name: str, term_start: date, address: str = ""
) -> Committee:
    require(actor, Action.MEDIATION_MANAGE)
    check_side(actor, organization.path)
    if organization.kind != Kind.CENTER:
        raise InvalidInput("调委会应设在综治中心(县、乡镇或村)", field="organization")
    name = text({"name": name}, "name", "调委会名称", required=True, limit=100)
    committee = Committee.objects.create(
        name=name,
        level=organization.level,
        organization=organization,
        path=organization.path,
        term_start=term_start,
        term_end=term_end_for(term_start),
        address=address,
    )
    audit(actor, "mediation.committee.create", committee)
    return committee


@transaction.atomic
def committee_new_term(*, actor: Any, committee: Committee, term_start: date) -> Committee:
    """换届: a new three-year term."""
    require(actor, Action.MEDIATION_MANAGE)
    check_side(actor, committee.path)
    if term_start < committee.term_start:
        raise InvalidInput("新一届任期不能早于本届", field="term_start")
    committee.term_start = term_start
    committee.term_end = term_end_for(term_start)
    committee.save(update_fields=["term_start", "term_end"])
    audit(actor, "mediation.committee.new_term", committee, term_start=str(term_start))
    return committee


@transaction.atomic
def committee_member_add(
    *, actor: Any, committee: Committee, data: dict[str, Any], since: date | None = None
) -> CommitteeMember:
    """Add a member; a second chair or a tenth member is refused (the law's limits). Fewer
    than three members or no woman member is only warned about (selectors)."""
    require(actor, Action.MEDIATION_MANAGE)
    check_side(actor, committee.path)
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    name = text(data, "name", "姓名", required=True, limit=50)
    gender = choice(data, "gender", "性别", Gender)
    position = choice(data, "position", "职务", Position, Position.MEMBER)
    since = since or committee.term_start
    members = current_members(committee, since)
    if len(members) >= MAX_MEMBERS:
        raise InvalidInput("调委会委员最多9人", field="name")
    if position == Position.CHAIR and any(m.position == Position.CHAIR for m in members):
        raise Conflict("调委会已有主任,请先办理原主任离任", code="chair_exists")
    member = CommitteeMember.objects.create(
        committee=committee, name=name, gender=gender, position=position, since=since
    )
    audit(actor, "mediation.committee.member_add", committee, member=member.pk, name=name)
    return member


@transaction.atomic
def committee_member_leave(*, actor: Any, member: CommitteeMember, until: date) -> None:
    require(actor, Action.MEDIATION_MANAGE)
    check_side(actor, member.committee.path)
    if until < member.since:
        raise InvalidInput("离任日期不能早于任职日期", field="until")
    member.until = until
    member.save(update_fields=["until"])
    audit(actor, "mediation.committee.member_leave", member.committee, member=member.pk)


def _specialities(values: Any) -> list[str]:
    values = [values] if isinstance(values, str) else list(values or [])
    bad = [v for v in values if v not in DisputeKind.values]
    if bad:
        raise InvalidInput(f"纠纷类型无效:{bad[0]}", field="specialities")
    return list(dict.fromkeys(values))


@transaction.atomic
def mediator_register(
    *,
    actor: Any,
    user: User,
    committee: Committee,
    employment: str = Employment.PART_TIME,
    specialities: Any = (),
    rooms: list[MediationRoom] | None = None,
    gender: str = "",
) -> Mediator:
    """Make a staff account a mediator of `committee` (or move it there)."""
    require(actor, Action.MEDIATION_MANAGE)
    check_side(actor, committee.path)
    employment = choice({"employment": employment}, "employment", "专兼职", Employment)
    if gender and gender not in Gender.values:
        raise InvalidInput("性别无效", field="gender")
    mediator, created = Mediator.objects.update_or_create(
        user=user,
        defaults={
            "committee": committee,
            "employment": employment,
            "specialities": _specialities(specialities),
            "gender": gender,
            "is_active": True,
        },
    )
    for room in rooms or []:
        if room.committee_id != committee.pk:
            raise InvalidInput(f"{room.name}不属于该调委会", field="rooms")
    if rooms is not None:
        mediator.rooms.set(rooms)
    audit(actor, "mediation.mediator.register", mediator, created=created)
    return mediator


@transaction.atomic
def room_create(
    *, actor: Any, committee: Committee, name: str, address: str = "", video_room: str = ""
) -> MediationRoom:
    require(actor, Action.MEDIATION_MANAGE)
    check_side(actor, committee.path)
    name = text({"name": name}, "name", "调解室名称", required=True, limit=100)
    room = MediationRoom.objects.create(
        name=name,
        organization=committee.organization,
        path=committee.path,
        committee=committee,
        address=address,
        video_room=video_room,
    )
    audit(actor, "mediation.room.create", room)
    return room
