"""Writes to committees, their members, mediators and rooms (MEDIATION_MANAGE).

Who: a holder of MEDIATION_MANAGE (a committee chair, the administrator) whose scope covers
the committee's center: a township chair manages the committees of the township's subtree.
Rules kept here (人民调解法 第八、九、十三、十四条; the numbers in deadlines.py): one working
committee per center; a term of TERM_YEARS years; MIN_MEMBERS to MAX_MEMBERS members with one
chair (fewer members or no woman member is only warned about, by the selectors); a mediator
is a staff account of the committee's area that holds a mediating role, with a qualification
record and training records (a mediator without training this year is warned about); a
committee or a mediator with open disputes cannot be stopped (hand the disputes over first),
and a stopped committee's mediators and rooms cannot be re-opened.
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypedDict

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import can, require, scope_for
from zhili.core.types import Actor
from zhili.mediation import deadlines
from zhili.mediation.models import (
    Committee,
    CommitteeMember,
    Dispute,
    DisputeKind,
    MediationRoom,
    Mediator,
    MediatorTraining,
)
from zhili.mediation.models.committees import Education, Employment, Gender, Position
from zhili.mediation.selectors import current_members
from zhili.mediation.services.common import check_committee, choice, given, one_of, text
from zhili.mediation.workflow import OPEN_STATES
from zhili.orgs.models import Kind, Organization, User

MAX_TRAINING_HOURS = Decimal("500")


class QualificationInput(TypedDict, total=False):
    """A mediator's qualification as given (人民调解法 第十四条); any field may be left out."""

    education: str | None
    qualification: str | None
    certificate_no: str | None
    appointed_on: date | None


class Qualification(TypedDict):
    """The qualification record as stored on the mediator."""

    education: str
    qualification: str
    certificate_no: str
    appointed_on: date | None


def _require_manager(actor: Actor, path: str) -> None:
    """The actor manages committees and its scope covers the one at `path`."""
    require(actor, Action.MEDIATION_MANAGE)
    check_committee(actor, path)


def term_end_for(start: date) -> date:
    """The last day of a term (deadlines.TERM_YEARS years) starting on `start`."""
    years = deadlines.TERM_YEARS
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - timedelta(days=1)


def check_term_start(term_start: date | None) -> date:
    """A term start is a real date: not before 2000, at most a year ahead."""
    if not isinstance(term_start, date):
        raise InvalidInput("请填写任期开始日期", field="term_start")
    if term_start.year < 2000 or term_start > timezone.localdate() + timedelta(days=366):
        raise InvalidInput("任期开始日期不正确", field="term_start")
    return term_start


@transaction.atomic
def committee_create(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    term_start: date,
    address: str = "",
    phone: str = "",
) -> Committee:
    _require_manager(actor, organization.path)
    _check_center(organization)
    name = given(name, "name", "调委会名称", required=True, limit=100)
    address = given(address, "address", "地址", required=False, limit=200)
    phone = given(phone, "phone", "联系电话", required=False, limit=30)
    term_start = check_term_start(term_start)
    _check_no_working_committee(organization)
    committee = Committee.objects.create(
        name=name,
        level=organization.level,
        organization=organization,
        path=organization.path,
        term_start=term_start,
        term_end=term_end_for(term_start),
        address=address,
        phone=phone,
    )
    audit(actor, "mediation.committee.create", committee)
    return committee


def _check_center(organization: Organization) -> None:
    if organization.kind != Kind.CENTER:
        raise InvalidInput("调委会应设在综治中心（县、乡镇或村）", field="organization")
    if not organization.is_active:
        raise InvalidInput("该综治中心已停用", field="organization")


def _check_no_working_committee(organization: Organization) -> None:
    """One working committee per center (the center's row is locked while checking)."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if Committee.objects.filter(organization=organization, is_active=True).exists():
        raise InvalidInput(f"{organization.name}已设有人民调解委员会", field="organization")


@transaction.atomic
def committee_new_term(*, actor: Actor, committee: Committee, term_start: date) -> Committee:
    """换届: a new three-year term."""
    _require_manager(actor, committee.path)
    term_start = check_term_start(term_start)
    if not committee.is_active:
        raise Conflict("调委会已停用，请先启用", code="inactive")
    if term_start <= committee.term_start:
        raise InvalidInput("新一届任期应晚于本届任期开始日期", field="term_start")
    committee.term_start = term_start
    committee.term_end = term_end_for(term_start)
    committee.save(update_fields=["term_start", "term_end"])
    audit(actor, "mediation.committee.new_term", committee, term_start=str(term_start))
    return committee


@transaction.atomic
def committee_member_add(
    *, actor: Actor, committee: Committee, data: Mapping[str, str], since: date | None = None
) -> CommitteeMember:
    """Add a member; a second chair or a tenth member is refused (the law's limits). Fewer
    than three members or no woman member is only warned about (selectors)."""
    _require_manager(actor, committee.path)
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    name = text(data, "name", "姓名", required=True, limit=50)
    gender = choice(data, "gender", "性别", Gender)
    position = choice(data, "position", "职务", Position, Position.MEMBER)
    since = since or committee.term_start
    members = current_members(committee, since)
    if len(members) >= deadlines.MAX_MEMBERS:
        raise InvalidInput(f"调委会委员最多{deadlines.MAX_MEMBERS}人", field="name")
    if position == Position.CHAIR and any(m.position == Position.CHAIR for m in members):
        raise Conflict("调委会已有主任，请先办理原主任离任", code="chair_exists")
    member = CommitteeMember.objects.create(
        committee=committee, name=name, gender=gender, position=position, since=since
    )
    audit(actor, "mediation.committee.member_add", committee, member=member.pk, name=name)
    return member


@transaction.atomic
def committee_member_leave(*, actor: Actor, member: CommitteeMember, until: date) -> None:
    _require_manager(actor, member.committee.path)
    if until < member.since:
        raise InvalidInput("离任日期不能早于任职日期", field="until")
    member.until = until
    member.save(update_fields=["until"])
    audit(actor, "mediation.committee.member_leave", member.committee, member=member.pk)


def _specialities(values: str | Iterable[str] | None) -> list[str]:
    values = [values] if isinstance(values, str) else list(values or [])
    bad = [v for v in values if v not in DisputeKind.values]
    if bad:
        raise InvalidInput(f"纠纷类型无效：{bad[0]}", field="specialities")
    return list(dict.fromkeys(values))


def _open_disputes(**filters: Committee | Mediator) -> int:
    return Dispute.objects.filter(state__in=OPEN_STATES, **filters).count()


@transaction.atomic
def mediator_register(
    *,
    actor: Actor,
    user: User,
    committee: Committee,
    employment: str = Employment.PART_TIME,
    specialities: str | Iterable[str] = (),
    rooms: list[MediationRoom] | None = None,
    gender: str = "",
    qualification: QualificationInput | None = None,
) -> Mediator:
    """Make a staff account a mediator of `committee` (or change its record, or move it
    there from another committee the actor also manages). The account must be active, belong
    to the committee's area and hold a mediating role (roles are granted by the people
    administrator, not here). `qualification` (education, qualification, certificate_no,
    appointed_on) replaces the qualification record when given."""
    _require_manager(actor, committee.path)
    if not committee.is_active:
        raise Conflict("调委会已停用，不能登记调解员", code="inactive")
    _check_mediator_account(user, committee)
    moved = _moving_in(actor, user, committee)
    defaults = _mediator_record(committee, employment, specialities, gender)
    if qualification is not None:
        defaults.update(_qualification(qualification))
    mediator, created = Mediator.objects.update_or_create(user=user, defaults=defaults)
    _assign_rooms(mediator, committee, rooms, moved=moved)
    audit(actor, "mediation.mediator.register", mediator, created=created, moved=moved)
    return mediator


def _check_mediator_account(user: User, committee: Committee) -> None:
    org = user.organization
    if not user.is_active or org is None or not org.path.startswith(committee.path):
        raise InvalidInput("请选择本调委会辖区内在用的工作人员账号", field="user")
    if not can(user, Action.DISPUTES_MEDIATE):
        raise InvalidInput("该账号没有调解员角色，请先由系统管理员授予", field="user")


def _moving_in(actor: Actor, user: User, committee: Committee) -> bool:
    """Whether the account is a mediator of another committee: it moves only when the actor
    manages that one too and the mediator leads no open dispute there."""
    existing = Mediator.objects.select_related("committee").filter(user=user).first()
    if existing is None or existing.committee_id == committee.pk:
        return False
    if not scope_for(actor).covers_path(existing.committee.path):
        raise Conflict(f"该账号是{existing.committee.name}的调解员，须由该调委会办理", field="user")
    count = _open_disputes(lead_mediator=existing)
    if count:
        raise Conflict(
            f"该调解员在{existing.committee.name}主办{count}件在办纠纷，移交后才能调动",
            field="user",
        )
    return True


def _mediator_record(
    committee: Committee, employment: str, specialities: str | Iterable[str], gender: str
) -> dict[str, object]:
    employment = one_of(employment, "employment", "专兼职", Employment)
    if gender and gender not in Gender.values:
        raise InvalidInput("性别无效", field="gender")
    return {
        "committee": committee,
        "employment": employment,
        "specialities": _specialities(specialities),
        "gender": gender,
        "is_active": True,
    }


def _assign_rooms(
    mediator: Mediator, committee: Committee, rooms: list[MediationRoom] | None, *, moved: bool
) -> None:
    """The mediator's rooms: those given (of this committee, in use), or none after a move."""
    if rooms is None:
        if moved:
            mediator.rooms.clear()
        return
    rooms = list(MediationRoom.objects.filter(pk__in=[r.pk for r in rooms]))  # stored flags
    for room in rooms:
        if room.committee_id != committee.pk:
            raise InvalidInput(f"{room.name}不属于该调委会", field="rooms")
        if not room.is_active:
            raise InvalidInput(f"{room.name}已停用", field="rooms")
    mediator.rooms.set(rooms)


def _qualification(data: QualificationInput) -> Qualification:
    """The qualification record (人民调解法 第十四条): education, certificate, appointment."""
    appointed = data.get("appointed_on") or None
    if appointed is not None and (
        not isinstance(appointed, date) or appointed.year < 2000 or appointed > timezone.localdate()
    ):
        raise InvalidInput("聘任日期不正确", field="appointed_on")
    education = data.get("education") or ""
    if education and education not in Education.values:
        raise InvalidInput("文化程度无效", field="education")
    return {
        "education": education,
        "qualification": text(data, "qualification", "资格证书", required=False, limit=100),
        "certificate_no": text(data, "certificate_no", "证书编号", required=False, limit=50),
        "appointed_on": appointed,
    }


def _hours(value: Decimal | str | int) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise InvalidInput("学时应为数字", field="hours") from None
    if not Decimal("0") < hours <= MAX_TRAINING_HOURS:
        raise InvalidInput(f"学时应大于0、不超过{MAX_TRAINING_HOURS}", field="hours")
    return hours


@transaction.atomic
def mediator_training_add(
    *,
    actor: Actor,
    mediator: Mediator,
    trained_on: date | None,
    hours: Decimal | str | int,
    organizer: str,
    content: str,
) -> MediatorTraining:
    """Record a training the mediator attended (the county justice bureau's regular
    training, 人民调解法 第十四条); a mediator without one this year is warned about."""
    _require_manager(actor, mediator.committee.path)
    if not isinstance(trained_on, date) or trained_on.year < 2000:
        raise InvalidInput("请填写培训日期", field="trained_on")
    if trained_on > timezone.localdate():
        raise InvalidInput("培训日期不能晚于今天", field="trained_on")
    training = MediatorTraining.objects.create(
        mediator=mediator,
        trained_on=trained_on,
        hours=_hours(hours),
        organizer=given(organizer, "organizer", "组织单位", required=True, limit=100),
        content=given(content, "content", "培训内容", required=True, limit=200),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(actor, "mediation.mediator.training_add", mediator, training=training.pk)
    return training


@transaction.atomic
def room_create(
    *, actor: Actor, committee: Committee, name: str, address: str = "", video_room: str = ""
) -> MediationRoom:
    _require_manager(actor, committee.path)
    if not committee.is_active:
        raise Conflict("调委会已停用，不能增加调解室", code="inactive")
    name = given(name, "name", "调解室名称", required=True, limit=100)
    address = given(address, "address", "地址", required=False, limit=200)
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


@transaction.atomic
def committee_set_active(*, actor: Actor, committee: Committee, active: bool) -> Committee:
    """停用/启用 a committee. Stopping is refused while it has open disputes; starting is
    refused when its center already has another working committee."""
    _require_manager(actor, committee.path)
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    if committee.is_active == active:
        return committee
    if active:
        others = Committee.objects.filter(organization=committee.organization_id, is_active=True)
        if others.exclude(pk=committee.pk).exists():
            raise Conflict("该综治中心已有在用的调委会，不能同时启用两个", code="duplicate")
    else:
        _refuse_while_open("该调委会尚有{}件在办纠纷，办结或移交后才能停用", committee=committee)
    _save_active(actor, committee, active, "committee")
    return committee


def _refuse_while_open(message: str, **filters: Committee | Mediator) -> None:
    """Stopping is refused while disputes of `filters` are open (`message` names how many)."""
    count = _open_disputes(**filters)
    if count:
        raise Conflict(message.format(count), code="open_disputes")


def _save_active(
    actor: Actor, record: Committee | Mediator | MediationRoom, active: bool, noun: str
) -> None:
    record.is_active = active
    record.save(update_fields=["is_active"])
    audit(actor, f"mediation.{noun}.{'enable' if active else 'disable'}", record)


@transaction.atomic
def mediator_set_active(*, actor: Actor, mediator: Mediator, active: bool) -> Mediator:
    """停用/启用 a mediator (在岗). Stopping is refused while the mediator leads open
    disputes; starting needs a working committee and an account that may still mediate."""
    require(actor, Action.MEDIATION_MANAGE)
    mediator = (
        Mediator.objects.select_for_update().select_related("committee", "user").get(pk=mediator.pk)
    )
    check_committee(actor, mediator.committee.path)
    if mediator.is_active == active:
        return mediator
    if active:
        if not mediator.committee.is_active:
            raise Conflict("所属调委会已停用，不能启用调解员", code="inactive")
        if not mediator.user.is_active or not can(mediator.user, Action.DISPUTES_MEDIATE):
            raise Conflict("该账号已停用或没有调解员角色，不能启用", code="no_role")
    else:
        _refuse_while_open(
            "该调解员主办{}件在办纠纷，请先更换主办调解员再停用", lead_mediator=mediator
        )
    _save_active(actor, mediator, active, "mediator")
    return mediator


@transaction.atomic
def room_set_active(*, actor: Actor, room: MediationRoom, active: bool) -> MediationRoom:
    """停用/启用 a mediation room; a room of a stopped committee cannot be re-opened. Past
    sessions keep their room; a stopped room is no longer offered for new ones."""
    require(actor, Action.MEDIATION_MANAGE)
    room = MediationRoom.objects.select_for_update().select_related("committee").get(pk=room.pk)
    check_committee(actor, room.path)
    if room.is_active == active:
        return room
    if active and not room.committee.is_active:
        raise Conflict("所属调委会已停用，不能启用调解室", code="inactive")
    _save_active(actor, room, active, "room")
    return room
