"""Registering a petition (登记): its petitioners, the representatives of a group visit,
the check against the same matter already closed by re-review or still being handled, and
opening one from a case.

"The same matter" is the same petitioner with the same request and facts: one of the
petitioners is a petitioner of the other petition, and their texts (title and matter) share
most of their character pairs (zhili.petitions.services.same_matter). The content category
alone does not make a matter the same: a petitioner's second, different matter is a new petition.

After a re-review (复核) the same facts and reasons are not accepted again (信访工作条例
第三十六条第三款). Such a registration is flagged: `repeat_of` names the closed petition and
`repeat_flag` says "已经复核终结，同一事实和理由不再受理". Our decision: it is registered
directly as not accepted (不予受理), with that reason, so that the record of the visit exists
and the not-accepted notice can be printed and handed over. An officer who finds new facts or
reasons gives them in `repeat_override`; the petition is then registered normally but keeps
its flag, so everyone sees the history.

The same matter still being handled under another number (`pending_of`, any unit) is flagged
too, and registered: the officer decides (transfer it to the same unit, or not accept it).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from zhili.cases.models import Case
from zhili.cases.services.dossiers import case_hand_over, case_take_for_dossier
from zhili.core.audit import audit
from zhili.core.dossier import record_history
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.events import emit
from zhili.core.personal import validate_id_number, validate_phone
from zhili.core.types import Actor, SystemActor
from zhili.core.workflow import actor_roles
from zhili.orgs.models import Level, Organization
from zhili.petitions import deadlines, law, routing, workflow
from zhili.petitions.events import PetitionRegistered
from zhili.petitions.models import (
    Category,
    Form,
    Kind,
    Petition,
    Petitioner,
    PetitionParty,
    Route,
    State,
)
from zhili.petitions.services.common import next_petition_no
from zhili.petitions.services.same_matter import (
    SameMatter,
    pending_message,
    same_matter_of,
)

# 第十八条: a group visit chooses representatives, at most five.
MAX_REPRESENTATIVES = 5
MAX_PETITIONERS = 50
REPEAT_MESSAGE = "已经复核终结，同一事实和理由不再受理"
REPEAT_WHERE = "该事项已经复核终结；如有新的事实和理由，可以重新提出并提供相关材料"


@dataclass
class PersonIn:
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""


@dataclass
class Registration:
    form: str
    kind: str
    title: str
    matter: str
    category: str
    route: str = ""
    township: str = ""  # township code
    is_group: bool = False
    is_anonymous: bool = False
    people_count: int = 1
    received_at: datetime | None = None
    petitioners: list[PersonIn] = field(default_factory=list)
    representatives: list[PersonIn] = field(default_factory=list)
    repeat_override: str = ""


# --- petitioners -----------------------------------------------------------------------------


def _clean_person(person: PersonIn, where: str) -> PersonIn:
    name = (person.name or "").strip()
    if not name or len(name) > 50:
        raise InvalidInput("请填写信访人姓名（不超过50字）", field=f"{where}.name")
    id_number = (person.id_number or "").strip()
    if id_number:
        id_number = validate_id_number(id_number, field=f"{where}.id_number")
    phone = (person.phone or "").strip()
    if phone:
        phone = validate_phone(phone, field=f"{where}.phone")
    address = (person.address or "").strip()
    if len(address) > 300:
        raise InvalidInput("住址不超过300字", field=f"{where}.address")
    return PersonIn(name=name, id_number=id_number, phone=phone, address=address)


def petitioner_find_or_create(
    person: PersonIn,
    township: Organization | None = None,
    *,
    is_demo: bool = False,
    where: str = "",
) -> Petitioner:
    """The petitioner with this ID number, else with this name and phone, else a new one.
    A known petitioner gets a missing phone or address filled in, never overwritten."""
    found = _known_petitioner(person)
    if found is None:
        try:
            with transaction.atomic():
                return Petitioner.objects.create(
                    name=person.name,
                    id_number=person.id_number,
                    phone=person.phone,
                    address=person.address,
                    township=township,
                    is_demo=is_demo,
                )
        except IntegrityError:  # the same ID number registered at this moment by another
            found = Petitioner.objects.get(id_number=person.id_number)
    _check_same_name(found, person, where)
    _fill_in_missing(found, person)
    return found


def _known_petitioner(person: PersonIn) -> Petitioner | None:
    if person.id_number:
        return Petitioner.objects.filter(id_number=person.id_number).first()
    if person.phone:
        return Petitioner.objects.filter(name=person.name, phone=person.phone, id_number="").first()
    return None


def _check_same_name(found: Petitioner, person: PersonIn, where: str) -> None:
    if person.id_number and found.name != person.name:
        raise InvalidInput(
            f"该身份证号码已登记为信访人“{found.name}”，与所填姓名“{person.name}”不一致，请核对",
            field=f"{where}.id_number" if where else "id_number",
        )


def _fill_in_missing(found: Petitioner, person: PersonIn) -> None:
    missing = {
        f: getattr(person, f)
        for f in ("phone", "address")
        if getattr(person, f) and not getattr(found, f)
    }
    if missing:
        Petitioner.objects.filter(pk=found.pk).update(**missing)


# --- registration --------------------------------------------------------------------------


def _check_choices(data: Registration) -> None:
    if data.form not in Form.values:
        raise InvalidInput("请选择信访形式", field="form")
    if data.kind not in Kind.values:
        raise InvalidInput("请选择信访类别", field="kind")
    if data.category not in Category.values:
        raise InvalidInput("请选择内容分类", field="category")
    if data.route and data.route not in Route.values:
        raise InvalidInput("请选择办理途径", field="route")
    if data.route and data.kind != Kind.CLAIM:
        raise InvalidInput("只有申诉求决类信访事项需要选择办理途径", field="route")
    if not (data.title or "").strip() or len(data.title.strip()) > 200:
        raise InvalidInput("请填写标题（不超过200字）", field="title")
    if len((data.matter or "").strip()) < 5:
        raise InvalidInput("请填写信访事项（至少5个字）", field="matter")


# An anonymous petition comes in writing: a visit or a call has someone to register.
ANONYMOUS_FORMS = {Form.LETTER, Form.ONLINE, Form.FAX}


def _check_anonymous(data: Registration) -> None:
    if data.form not in ANONYMOUS_FORMS:
        raise InvalidInput("匿名信访限于来信、网上信访、传真等书面形式", field="form")
    if data.representatives or data.petitioners:
        raise InvalidInput("匿名信访不登记信访人，请清空信访人或取消“匿名”", field="petitioners")
    if data.is_group:
        raise InvalidInput("匿名信访不能登记为集体访", field="is_group")


def _check_people(data: Registration) -> tuple[list[PersonIn], list[PersonIn]]:
    if data.is_anonymous:
        _check_anonymous(data)
        return [], []
    if len(data.representatives) > MAX_REPRESENTATIVES:
        raise InvalidInput(
            f"多人走访应当推选代表，代表人数不超过{MAX_REPRESENTATIVES}人"
            f"（{law.cite('representatives')}），现为{len(data.representatives)}人",
            field="representatives",
        )
    if len(data.petitioners) > MAX_PETITIONERS:
        raise InvalidInput(f"信访人最多登记{MAX_PETITIONERS}人", field="petitioners")
    reps = [_clean_person(p, f"representatives[{i}]") for i, p in enumerate(data.representatives)]
    others = [_clean_person(p, f"petitioners[{i}]") for i, p in enumerate(data.petitioners)]
    if data.is_group and not reps:
        raise InvalidInput("集体访请登记推选的代表（1至5人）", field="representatives")
    if not reps and not others:
        raise InvalidInput("请至少登记一名信访人", field="petitioners")
    named = len(reps) + len(others)
    if data.people_count < named or data.people_count > 10000:
        raise InvalidInput(f"人数应不少于登记的信访人数（{named}人）", field="people_count")
    if data.is_group and data.people_count < 2:
        raise InvalidInput("集体访人数至少2人", field="people_count")
    ids = [p.id_number for p in reps + others if p.id_number]
    if len(ids) != len(set(ids)):
        raise InvalidInput("同一身份证号码重复登记", field="petitioners")
    return reps, others


def _received_at(value: datetime | None, now: datetime) -> datetime:
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now:
        raise InvalidInput("收到时间不能晚于现在", field="received_at")
    if value.year < 2000:
        raise InvalidInput("收到时间不正确", field="received_at")
    return value


def _township(code: str) -> Organization | None:
    if not code:
        return None
    township = Organization.objects.filter(code=code, level=Level.TOWNSHIP).first()
    if township is None:
        raise InvalidInput(f"乡镇 {code} 不存在", field="township")
    return township


def _check_registrar(actor: Actor) -> Organization:
    if not actor_roles(actor) & workflow.OFFICERS:
        raise Forbidden("只有信访干部可以登记信访事项")
    org = getattr(actor, "organization", None)
    if org is None:
        raise Forbidden("您没有所属单位，不能登记信访事项")
    return org


@transaction.atomic
def petition_register(
    *, actor: Actor, data: Registration, case: Case | None = None, is_demo: bool = False
) -> Petition:
    """Register a petition as `actor` (a petition officer) for their unit.

    Raises InvalidInput naming the field (`representatives` for a group visit naming more
    than five), Forbidden for a user who may not register. A matter already closed by
    re-review is registered as not accepted unless `repeat_override` gives new facts.
    """
    unit = _check_registrar(actor)
    return _register(actor=actor, unit=unit, data=data, case=case, is_demo=is_demo)


@transaction.atomic
def petition_register_at_reception(
    *, actor: Actor, near: Organization, data: Registration
) -> Petition:
    """Register the matter a leader received (领导接访, 信访工作条例 on leaders receiving
    petitioners): in the petition office of the county of `near` (the rota's center), the
    leader named as who registered it. Whether `actor` may receive that day is the caller's
    rule (zhili.receptions); 409 when the county keeps no petition office on the platform."""
    office = routing.petition_office(near)
    if office is None:
        raise Conflict("本县未设信访工作机构，接访中不能登记新的信访事项", field="petition")
    return _register(actor=actor, unit=office, data=data, case=None, is_demo=False)


def _register(
    *, actor: SystemActor, unit: Organization, data: Registration, case: Case | None, is_demo: bool
) -> Petition:
    _check_choices(data)
    reps, others = _check_people(data)
    township = _township(data.township)
    now = timezone.now()
    received = _received_at(data.received_at, now)
    people = _petitioners(reps, others, township, is_demo=is_demo)
    same = same_matter_of(people, data.title, data.matter, data.repeat_override)
    matter = _matter_fields(same)
    fields = _petition_fields(data, actor=actor, unit=unit, case=case, township=township)
    fields.update(
        number=next_petition_no(received),
        people_count=1 if data.is_anonymous else max(data.people_count, len(people)),
        received_at=received,
        transfer_due=deadlines.limit_after(received, "transfer"),
        is_demo=is_demo,
        updated_at=now,
        **matter,
    )
    fields.update(deadlines.clock_fields(fields, matter["state"]))
    petition = Petition.objects.create(**fields)
    _add_parties(petition, people, representatives=len(reps))
    _record_registration(actor, petition, case, same)
    _announce_registration(actor, petition, unit, same)
    return petition


def _petitioners(
    reps: list[PersonIn], others: list[PersonIn], township: Organization | None, *, is_demo: bool
) -> list[Petitioner]:
    """The representatives then the other petitioners, found or created."""
    wheres = [f"representatives[{i}]" for i in range(len(reps))]
    wheres += [f"petitioners[{i}]" for i in range(len(others))]
    return [
        petitioner_find_or_create(p, township, is_demo=is_demo, where=w)
        for p, w in zip(reps + others, wheres, strict=True)
    ]


def _petition_fields(
    data: Registration,
    *,
    actor: SystemActor,
    unit: Organization,
    case: Case | None,
    township: Organization | None,
) -> dict[str, object]:
    """The petition's fields as registered: what was submitted and who registered it."""
    return dict(
        form=data.form,
        is_group=data.is_group,
        is_anonymous=data.is_anonymous,
        kind=data.kind,
        route=data.route,
        title=data.title.strip(),
        matter=data.matter.strip(),
        category=data.category,
        township=township,
        registering_unit=unit,
        registering_path=unit.path,
        case=case,
        registered_by=actor if getattr(actor, "pk", None) else None,
    )


class MatterFields(TypedDict, total=False):
    repeat_of: Petition | None
    repeat_flag: str
    repeat_override: str
    pending_of: Petition | None
    pending_flag: str
    state: str
    not_accepted_reason: str
    not_accepted_route: str


def _matter_fields(same: SameMatter) -> MatterFields:
    """The flags of the same matter, and the state: not accepted when refused as a repeat."""
    repeat_of, pending_of = same.repeat_of, same.pending_of
    fields = MatterFields(
        repeat_of=repeat_of,
        repeat_flag=REPEAT_MESSAGE if repeat_of else "",
        repeat_override=same.override if repeat_of else "",
        pending_of=pending_of,
        pending_flag=pending_message(pending_of)[:300] if pending_of else "",
        state=State.REGISTERED,
    )
    if same.refused:
        assert repeat_of is not None
        fields["state"] = State.NOT_ACCEPTED
        fields["not_accepted_reason"] = f"{REPEAT_MESSAGE}（原信访事项 {repeat_of.number}）"
        fields["not_accepted_route"] = REPEAT_WHERE
    return fields


def _add_parties(petition: Petition, people: list[Petitioner], *, representatives: int) -> None:
    PetitionParty.objects.bulk_create(
        [
            PetitionParty(
                petition=petition, petitioner=p, is_representative=i < representatives, order=i
            )
            for i, p in enumerate(people)
        ],
        ignore_conflicts=True,
    )


def _record_registration(
    actor: SystemActor, petition: Petition, case: Case | None, same: SameMatter
) -> None:
    """The timeline's "登记" line, and "不予受理" after it for a refused repeat."""
    note = f"从工单 {case.case_no} 转为信访事项" if case else ""
    kind = workflow.KIND
    registered = State.REGISTERED
    record_history(
        kind, petition, "register", from_state="", to_state=registered, actor=actor, note=note
    )
    if same.refused:
        record_history(
            kind,
            petition,
            "not_accept",
            from_state=registered,
            to_state=State.NOT_ACCEPTED,
            actor=actor,
            note=petition.not_accepted_reason,
            repeat_of=same.repeat_of.number if same.repeat_of else "",
        )


def _announce_registration(
    actor: SystemActor, petition: Petition, unit: Organization, same: SameMatter
) -> None:
    repeat_of, pending_of = same.repeat_of, same.pending_of
    audit(
        actor,
        "petitions.petition.register",
        petition,
        state=petition.state,
        repeat_of=repeat_of.number if repeat_of else "",
        override=bool(same.override and repeat_of),
        pending_of=pending_of.number if pending_of else "",
    )
    emit(
        PetitionRegistered(
            petition_id=petition.pk,
            number=petition.number,
            kind=petition.kind,
            state=petition.state,
            registering_unit=unit.code,
            repeat_of=repeat_of.pk if repeat_of else None,
        )
    )


@transaction.atomic
def petition_open_from_case(*, actor: Actor, case: Case, data: Registration) -> Petition:
    """Open a petition from a case of the one queue: the case is taken into the actor's
    hands (acknowledged and started, zhili.cases.services.dossiers) and stays open until the
    petition is closed; then `PetitionClosed` answers it."""
    if Petition.objects.filter(case=case).exists():
        existing = Petition.objects.filter(case=case).first()
        assert existing is not None
        raise InvalidInput(f"该工单已转为信访事项 {existing.number}", field="case")
    case_take_for_dossier(actor=actor, case=case, dossier_label="信访事项")
    return petition_register(actor=actor, data=data, case=case)


@transaction.atomic
def petition_register_from_push(*, case: Case, received_at: datetime) -> Petition | None:
    """An online petition pushed by the province's 阳光信访 system is a petition by law, not
    a work order (the 信访工作条例 counts online petitions among its forms): the county's
    petition office registers it on receipt, with the calendar-day limits of the 条例 counted
    from `received_at` (when the petitioner submitted it), and the case it came in as is
    handed over to it (zhili.cases.services.dossiers.case_hand_over), one clock per matter.
    None when the county has no petition office: the case then stays a work order.
    """
    office = routing.petition_office(case.dispatch_center)
    if office is None:
        return None
    case = case_hand_over(case=case, unit=office, dossier_label="信访事项")
    data = registration_from_case(case)
    data.received_at = min(received_at, timezone.now())
    return _register(actor=None, unit=office, data=data, case=case, is_demo=False)


def registration_from_case(case: Case) -> Registration:
    """A registration prefilled from a case (the officer completes and confirms it)."""
    person = [PersonIn(name=case.reporter_name, phone=case.reporter_phone)]
    return Registration(
        form=Form.ONLINE if case.channel in ("web", "petition") else Form.CALL,
        kind=Kind.CLAIM,
        title=case.title,
        matter=case.description,
        category=Category.OTHER,
        township=case.township.code if case.township_id and case.township else "",
        petitioners=person if case.reporter_name and not case.anonymous else [],
    )


def petitioners_matching(people: list[PersonIn]) -> list[int]:
    """Ids of known petitioners for these people (by ID number, or name and phone)."""
    q = Q(pk__in=[])
    for p in people:
        if p.id_number:
            q |= Q(id_number=p.id_number.strip().upper())
        elif p.phone:
            q |= Q(name=p.name.strip(), phone=p.phone.strip(), id_number="")
    return list(Petitioner.objects.filter(q).values_list("pk", flat=True))
