"""The key-petitioner register's records as roles of the people register (重点上访人员).

One source of truth: the petition office's register (`KeyPetitioner`) decides who is listed,
why, at which level, under which unit and with which measures. The ``key_petitioner`` role on
the registers' `Person` of the same resident ID number is its mirror, written only from here
(through zhili.registers.services' ``kept_*`` functions) when a record is listed, listed
again or ended, and when an officer links (重新关联) a record that has none. Nothing flows
back: the role adds what the registers give every role (a visit cycle from its care level,
the person's page, the special groups' rules of who sees it and the audit of each read),
never a second version of the listing; an edit made on the registers' side is replaced at the
record's next write.

- Level to care level (`CARE`): 高度关注 high (weekly visits), 重点关注 normal (monthly),
  一般关注 low (quarterly), as settings.ZHILI_VISIT_DAYS counts them.
- Details: the reason, the level's label, the responsible unit's name, the measures and
  the listing date (the fields of registers.kinds.KINDS["key_petitioner"]).
- Ending the record ends the role (its reason as ``ended_why``); listing the person again
  opens a new role, the ended one kept as history with its visits.

Which person:
- the one registered under the petitioner's resident ID number, once it passes the
  registers' check (GB 11643, province, birth date);
- else a new one, registered through the registers' service in the grid the petitioner's
  address names: the county's gazetteer (zhili.orgs.gazetteer) must find a village with
  exactly one grid, in the petitioner's township when one is recorded. A village of several
  grids, an address that names no village, a township that contradicts it: the code cannot
  honestly say where the person lives, so it invents no grid. The record stays on the
  register without a role and `role_note` says why, for the officer to see; once the grid
  has registered the person, the record is linked (`key_roles_link_registered`, on the
  registers' people_registered), or an officer's 重新关联 links them. (The responsible unit answers for 稳控
  and does not say where the person lives: it never decides the grid.)
"""

from django.db import transaction

from zhili.core.audit import audit
from zhili.core.errors import Conflict, DomainError, InvalidInput
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.orgs.gazetteer import AddressMatch, address_match, place_name
from zhili.orgs.models import Grid
from zhili.petitions.models import KeyLevel, KeyPetitioner, Petitioner
from zhili.registers import services as registers
from zhili.registers.kinds import KINDS, CareLevel, Kind
from zhili.registers.models import Person, PersonRole

KIND = Kind.KEY_PETITIONER
CARE = {
    KeyLevel.GENERAL: CareLevel.LOW,
    KeyLevel.CLOSE: CareLevel.NORMAL,
    KeyLevel.HIGH: CareLevel.HIGH,
}
NOTE_LIMIT = 300  # KeyPetitioner.role_note
NO_GRID_HINT = "所在网格在实有人口中登记该人员后自动关联，也可随后点击“重新关联”"


def key_role_open(*, actor: Actor, record: KeyPetitioner) -> KeyPetitioner:
    """Put the listed record's role on the person (or bring the open one in line with it).

    Inside the caller's transaction; when the person cannot be found or registered, only
    this part rolls back and `record.role_note` says why (the role it had, if any, stays
    linked)."""
    try:
        with transaction.atomic():
            role = registers.kept_role_open(
                actor=actor,
                person=_person(actor, record.petitioner),
                kind=KIND,
                care_level=CARE[KeyLevel(record.level)],
                details=details_of(record),
            )
    except DomainError as exc:
        return _linked(record, record.role, exc.message[:NOTE_LIMIT])
    return _linked(record, role, "")


def key_roles_link_registered() -> int:
    """重新关联 without the click, when people were registered (registers.people_registered):
    each listed record without a role whose petitioner the people register now holds (by the
    checked resident ID number) gets its role, in the name of the officer who listed it (the
    keeping register's, who holds its action), audited as automatic. How many were linked.

    Idempotent (a linked record has its role). A record whose lister may no longer keep the
    register, or has none, waits for an officer's 重新关联, as does one whose person is still
    not registered: nothing else is tried here (no grid is guessed)."""
    waiting = KeyPetitioner.objects.filter(is_active=True, role__isnull=True).select_related(
        "petitioner", "responsible_unit", "created_by"
    )
    keeper = KINDS[KIND].works_with
    linked = 0
    for record in waiting:
        actor = record.created_by
        if actor is None or keeper is None or not can(actor, keeper):
            continue
        if _registered(record.petitioner) is None:
            continue
        record = key_role_open(actor=actor, record=record)
        if record.role is not None and not record.role_note:
            audit(
                actor, "petitions.key_petitioner.link", record, role=record.role.pk, automatic=True
            )
            linked += 1
    return linked


def _registered(petitioner: Petitioner) -> Person | None:
    """The petitioner's person if the people register holds their (checked) ID number."""
    try:
        number = registers.check_id_number((petitioner.id_number or "").strip())
    except InvalidInput:
        return None
    return registers.person_of_id_number(number)


def key_role_end(*, actor: Actor, record: KeyPetitioner, why: str) -> None:
    """End the ended record's role, if it has an open one (a role a grid ended already
    stays as it was)."""
    role = record.role
    if role is not None and role.ended_at is None:
        registers.kept_role_end(actor=actor, role=role, why=f"撤销列管：{why}")


def details_of(record: KeyPetitioner) -> dict[str, object]:
    """The role's details: the key register's fields as registers.kinds declares them."""
    return {
        "reason": record.reason[:2000],
        "level": KeyLevel(record.level).label,
        "responsible_unit": record.responsible_unit.name[:100],
        "measures": record.measures[:2000],
        "since": record.since.isoformat(),
    }


def _linked(record: KeyPetitioner, role: PersonRole | None, note: str) -> KeyPetitioner:
    KeyPetitioner.objects.filter(pk=record.pk).update(role=role, role_note=note)
    record.role, record.role_note = role, note
    return record


def _person(actor: Actor, petitioner: Petitioner) -> Person:
    """The petitioner's person in the people register, registered when the grid is known."""
    number = (petitioner.id_number or "").strip()
    if not number:
        raise Conflict("信访人未登记身份证号码，未纳入实有人口（无法按身份证号码对应人员）")
    try:
        number = registers.check_id_number(number)
    except InvalidInput as exc:
        raise Conflict(f"信访人的身份证号码未通过校验（{exc.message}），未纳入实有人口") from exc
    person = registers.person_of_id_number(number)
    if person is not None:
        return person
    grid, why = grid_of(petitioner)
    if grid is None:
        raise Conflict(f"实有人口中尚无该人员，且{why}，未纳入实有人口。{NO_GRID_HINT}")
    values = {
        "id_number": number,
        "name": petitioner.name,
        "phone": petitioner.phone,
        "current_address": petitioner.address[:200],
    }
    return registers.kept_person_create(actor=actor, kind=KIND, grid=grid, values=values)


def grid_of(petitioner: Petitioner) -> tuple[Grid | None, str]:
    """The grid the petitioner's address names, or None and why it cannot be told (see the
    module's docstring)."""
    if not (petitioner.address or "").strip():
        return None, "信访人未登记住址，无法确定所属网格"
    match = address_match(petitioner.address)
    if match.grid is None:
        return None, _why_no_grid(match)
    township = petitioner.township
    if township is not None and match.township is not None and match.township.pk != township.pk:
        return None, (
            f"住址识别为{match.note.removeprefix('地址识别为')}，"
            f"与信访人所属的{place_name(township)}不一致，无法确定所属网格"
        )
    return match.grid, ""


def _why_no_grid(match: AddressMatch) -> str:
    if match.village is not None:
        return (
            f"住址只能确定到{place_name(match.village)}（有 {len(match.grids)} 个网格），"
            "无法确定所属网格"
        )
    if match.township is not None:
        return f"住址只能确定到{place_name(match.township)}，无法确定所属村（社区）和网格"
    if match.candidates:
        return f"住址中的“{match.ambiguous_name}”不止一处，无法确定所属网格"
    return "住址中没有可识别的乡镇、村（社区），无法确定所属网格"
