"""The people register's rules: create (ID checked, duplicates refused with a link), update
(history row and audit), archive (nothing is deleted), and a person's roles."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput, NotFound
from zhili.core.events import emit
from zhili.core.personal import mask_id_number, mask_phone, validate_id_number, validate_phone
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.orgs.models import Grid
from zhili.registers import selectors
from zhili.registers.events import PeopleRegistered
from zhili.registers.kinds import KINDS, CareLevel, Kind, clean_details
from zhili.registers.models import Archivable, Changes, Person, PersonChange, PersonRole, Sex

# GB/T 2260 province-level codes: the first two digits of every resident ID number. (The
# full six-digit county list changes every year and old codes stay valid on old IDs, so
# only the province is checked.)
PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)

TEXT_FIELDS = {
    "name": 60,
    "former_names": 120,
    "ethnicity": 20,
    "native_place": 100,
    "marital_status": 20,
    "political_status": 20,
    "education": 20,
    "religion": 20,
    "occupation": 60,
    "workplace": 200,
    "registered_address": 200,
    "current_address": 200,
    "house": 120,
    "room": 40,
}
MASKED = {"id_number": mask_id_number, "phone": mask_phone}


class DuplicatePerson(Conflict):
    code = "duplicate"

    def __init__(self, existing: Person):
        super().__init__("该身份证号码已登记", field="id_number")
        self.existing = existing


def check_id_number(value: str, *, today: date | None = None) -> str:
    """A resident ID number: GB 11643 check digit and birth date, a birth not in the future
    and a GB/T 2260 province prefix; a 422 naming ``id_number`` otherwise."""
    number = validate_id_number(value)
    if number[:2] not in PROVINCES:
        raise InvalidInput("身份证号码前两位不是有效的省级行政区划代码", field="id_number")
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if born > (today or timezone.localdate()) or born.year < 1880:
        raise InvalidInput("身份证号码中的出生日期不合理", field="id_number")
    return number


def identity_of(number: str) -> tuple[date, str]:
    """The birth date and sex a checked resident ID number encodes (GB 11643)."""
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return born, Sex.MALE if int(number[16]) % 2 else Sex.FEMALE


def _clean(values: Mapping[str, object], *, creating: bool) -> dict[str, str | bool]:
    """The register's own fields of `values` (text, phone, same_as_registered), checked."""
    clean: dict[str, str | bool] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in values and values[name] is not None:
            text = str(values[name]).strip()
            if len(text) > limit:
                raise InvalidInput(f"不能超过{limit}字", field=name)
            clean[name] = text
    if creating and not clean.get("name"):
        raise InvalidInput("请填写姓名", field="name")
    if "name" in clean and not clean["name"]:
        raise InvalidInput("请填写姓名", field="name")
    if values.get("phone"):
        clean["phone"] = validate_phone(str(values["phone"]))
    elif "phone" in values and values["phone"] is not None:
        clean["phone"] = ""
    if values.get("same_as_registered") is not None:
        clean["same_as_registered"] = bool(values["same_as_registered"])
    return clean


def grid_kept(actor: Actor, code: str) -> Grid:
    """A grid the actor keeps records in (people, houses, places): a grid worker's own, an
    officer's subtree; a 422 naming ``grid`` otherwise."""
    if not code:
        raise InvalidInput("请选择所属网格", field="grid")
    grid = Grid.objects.select_related("village").filter(code=code).first()
    if grid is None or not selectors.holds_grid(actor, grid):
        raise InvalidInput("网格不存在或不在您的管辖范围内", field="grid")
    return grid


def _shown(field: str, value: object) -> object:
    """A value as a history row keeps it: a personal number masked, a grid by its code,
    another record (a house's owner) by its id, a decimal (an area) as text."""
    if isinstance(value, Grid):
        return value.code
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return MASKED[field](value) if field in MASKED and isinstance(value, str) else value


def _record(actor: Actor, person: Person, action: str, changes: Changes) -> None:
    PersonChange.objects.create(person=person, actor=actor, action=action, changes=changes)
    audit(actor, f"registers.person.{action}", person, fields=sorted(changes))


@transaction.atomic
def person_create(*, actor: Actor, values: Mapping[str, object]) -> Person:
    require(actor, Action.REGISTERS_EDIT)
    number = check_id_number(str(values.get("id_number") or ""))
    clean = _clean(values, creating=True)
    grid = grid_kept(actor, str(values.get("grid") or ""))
    person = _person_save(actor, number, grid, clean)
    emit(PeopleRegistered(count=1, by_id=actor.pk))
    return person


def _person_save(actor: Actor, number: str, grid: Grid, clean: Mapping[str, object]) -> Person:
    """A checked person's row (a duplicate ID number refused with the existing record) and
    its creation's history and audit: `person_create`'s and `kept_person_create`'s."""
    existing = Person.objects.filter(id_number=number).first()
    if existing is not None:
        raise DuplicatePerson(existing)
    born, sex = identity_of(number)
    person = Person(id_number=number, birth_date=born, sex=sex, grid=grid, **clean)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent create of the same number
        raise DuplicatePerson(Person.objects.get(id_number=number)) from exc
    changes: Changes = {k: [None, _shown(k, v)] for k, v in clean.items() if v not in ("", None)}
    changes["id_number"] = [None, mask_id_number(number)]
    changes["grid"] = [None, grid.code]
    _record(actor, person, "create", changes)
    return person


def _editable(actor: Actor, person_id: int) -> Person:
    require(actor, Action.REGISTERS_EDIT)
    person = selectors.person_get(actor, person_id)
    if not selectors.holds(actor, person):
        raise NotFound(selectors.MISSING)
    return person


@transaction.atomic
def person_update(*, actor: Actor, person_id: int, values: Mapping[str, object]) -> Person:
    _editable(actor, person_id)
    # Locked while it changes, as a house or a place (records.editable): two edits at once
    # each write the old values they replaced.
    rows = Person.objects.select_for_update(of=("self",)).select_related("grid__village")
    person = rows.get(pk=person_id)
    if person.archived:
        raise Conflict("该人员已注销，不能修改", field=None)
    clean: dict[str, object] = {**_clean(values, creating=False)}
    if values.get("grid"):
        clean["grid"] = grid_kept(actor, str(values["grid"]))
    changes = changed(person, clean)
    if changes:
        person.save()
        _record(actor, person, "update", changes)
    return person


def changed(record: Archivable, clean: Mapping[str, object]) -> Changes:
    """Set the checked `clean` values on `record` (not saved): each field whose value differs
    as ``[old, new]`` for its history row (`_shown`). The one change of a register's record:
    people, houses and places."""
    changes: Changes = {}
    for field, new in clean.items():
        old = getattr(record, field)
        if old != new:
            changes[field] = [_shown(field, old), _shown(field, new)]
            setattr(record, field, new)
    if changes:
        record.updated_at = timezone.now()
    return changes


def reason(why: str, prompt: str) -> str:
    """The reason of an archive or an end (`why`), required and at most 200 characters; a
    422 naming ``why`` (with `prompt` when it is missing) otherwise."""
    why = (why or "").strip()
    if not why:
        raise InvalidInput(prompt, field="why")
    if len(why) > 200:
        raise InvalidInput("不能超过200字", field="why")
    return why


@transaction.atomic
def person_archive(*, actor: Actor, person_id: int, why: str) -> Person:
    person = _editable(actor, person_id)
    why = reason(why, "请填写注销原因（如迁出、死亡）")
    if person.archived:
        raise Conflict("该人员已注销")
    person.archived, person.archived_at, person.archived_why = True, timezone.now(), why
    person.save(update_fields=["archived", "archived_at", "archived_why"])
    _record(actor, person, "archive", {"archived": [False, True], "archived_why": [None, why]})
    return person


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput("人员类别无效", field="kind")
    return kind


def _care(level: str) -> str:
    if level not in CareLevel.values:
        raise InvalidInput("关注程度应为 high、normal 或 low", field="care_level")
    return level


@transaction.atomic
def role_add(
    *, actor: Actor, person_id: int, kind: str, care_level: str = "normal", details: object = None
) -> PersonRole:
    person = _editable(actor, person_id)
    kind = _kind(kind)
    _not_kept(kind)
    role = PersonRole(
        person=person,
        kind=kind,
        care_level=_care(care_level),
        details=clean_details(kind, details or {}),
    )
    if person.roles.filter(kind=kind, ended_at__isnull=True).exists():
        raise Conflict(f"该人员已是{Kind(kind).label}", field="kind")
    role.save()
    _record(actor, person, "role_add", {"role": [None, kind], "care_level": [None, care_level]})
    return role


@transaction.atomic
def role_update(
    *,
    actor: Actor,
    person_id: int,
    role_id: int,
    care_level: str | None = None,
    details: object = None,
) -> PersonRole:
    person = _editable(actor, person_id)
    role = selectors.role_get(actor, person, role_id)
    _not_kept(role.kind)
    if role.ended_at is not None:
        raise Conflict("该类别已结束，不能修改")
    changes: Changes = {}
    if care_level is not None and care_level != role.care_level:
        changes["care_level"] = [role.care_level, _care(care_level)]
        role.care_level = care_level
    if details is not None:
        new = clean_details(role.kind, details)
        if new != role.details:
            changes["details"] = [sorted(role.details), sorted(new)]
            role.details = new
    if changes:
        role.save()
        _record(actor, person, "role_update", {"role": [role.kind, role.kind], **changes})
    return role


@transaction.atomic
def role_end(*, actor: Actor, person_id: int, role_id: int, why: str) -> PersonRole:
    person = _editable(actor, person_id)
    role = selectors.role_get(actor, person, role_id)
    _not_kept(role.kind)
    why = reason(why, "请填写结束原因（如解除矫正）")
    if role.ended_at is not None:
        raise Conflict("该类别已结束")
    role.ended_at, role.ended_why = timezone.now(), why
    role.save(update_fields=["ended_at", "ended_why"])
    _record(actor, person, "role_end", {"role": [role.kind, None], "why": [None, why]})
    return role


@transaction.atomic
def person_reveal(*, actor: Actor, person_id: int, field: str) -> str:
    """The full ID number or phone of a person in sight; audited (personal_data_reveal)."""
    from zhili.core.personal import personal_data_reveal

    if field not in MASKED:
        raise InvalidInput("只能查看身份证号码或电话", field="field")
    person = selectors.person_get(actor, person_id)
    return personal_data_reveal(actor=actor, target=person, field=field)


# --- roles kept by another app's register -----------------------------------------------------
# A role whose source of truth is another app's register: 重点上访人员 are listed and taken off
# by the petition office in its key-petitioner register (zhili/petitions KeyPetitioner), and
# that app's service mirrors each change here, with the actor who made it there. The actor
# needs the kind's working action (KINDS[kind].works_with, e.g. key_petitioners.view), not the
# register's edit right: a petition officer keeps the role, not the grid. Each write is
# recorded like any other (PersonChange + audit), so the person's history says who and when.
KEPT_ELSEWHERE = frozenset({Kind.KEY_PETITIONER})


def _not_kept(kind: str) -> None:
    """The register's own role edits leave a kept kind alone: its register keeps it."""
    if kind in KEPT_ELSEWHERE:
        label = Kind(kind).label
        raise Conflict(
            f"{label}由信访部门的重点上访人员台账维护，请在该台账中列管或撤销",
            code="kept_elsewhere",
            field="kind",
        )


def _kept(actor: Actor, kind: str) -> None:
    if kind not in KEPT_ELSEWHERE:
        raise InvalidInput("该人员类别不由其他名册维护", field="kind")
    works_with = KINDS[kind].works_with
    if works_with is None:  # a kept kind names who keeps it; a test holds KINDS to that
        raise InvalidInput("该人员类别没有维护它的角色", field="kind")
    require(actor, works_with)


def person_of_id_number(number: str) -> Person | None:
    """The person registered under a checked resident ID number, archived or not, whoever
    holds them: for another app's service to link its record to the register (not a read
    shown to a user: that goes through the selectors)."""
    return Person.objects.select_related("grid").filter(id_number=number).first()


@transaction.atomic
def kept_person_create(
    *, actor: Actor, kind: str, grid: Grid, values: Mapping[str, object]
) -> Person:
    """Register a person for a role of `kind` that another app's register keeps, in `grid`
    (decided by that app from what it knows, e.g. the address, never by the actor's own
    grids): the ID number checked, a duplicate refused, the change recorded like
    `person_create`'s."""
    _kept(actor, kind)
    number = check_id_number(str(values.get("id_number") or ""))
    return _person_save(actor, number, grid, _clean(values, creating=True))


@transaction.atomic
def kept_role_open(
    *, actor: Actor, person: Person, kind: str, care_level: str, details: object
) -> PersonRole:
    """Open `kind`'s role on `person` as the keeping register says, or bring the open one in
    line with it (care level and details replaced: that register is the source). Idempotent.
    An ended role stays ended, as history: listing the person again opens a new one."""
    _kept(actor, kind)
    if person.archived:
        raise Conflict(f"该人员已在实有人口中注销（{person.archived_why}）", field=None)
    care, clean = _care(care_level), clean_details(kind, details or {})
    role = person.roles.filter(kind=kind, ended_at__isnull=True).first()
    if role is None:
        try:
            with transaction.atomic():
                role = PersonRole.objects.create(
                    person=person, kind=kind, care_level=care, details=clean
                )
        except IntegrityError:  # opened meanwhile by a concurrent write: bring that one in line
            role = person.roles.get(kind=kind, ended_at__isnull=True)
        else:
            _record(actor, person, "role_add", {"role": [None, kind], "care_level": [None, care]})
            return role
    changes: Changes = {}
    if role.care_level != care:
        changes["care_level"] = [role.care_level, care]
    if role.details != clean:
        changes["details"] = [sorted(role.details), sorted(clean)]
    if changes:
        role.care_level, role.details = care, clean
        role.save(update_fields=["care_level", "details"])
        _record(actor, person, "role_update", {"role": [kind, kind], **changes})
    return role


@transaction.atomic
def kept_role_end(*, actor: Actor, role: PersonRole, why: str) -> PersonRole:
    """End a kept role because its register ended the record (the reason cut to the column's
    200 characters). Idempotent: a role already ended stays as it was."""
    _kept(actor, role.kind)
    why = reason(why[:200], "请填写结束原因")
    ended = PersonRole.objects.filter(pk=role.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_why=why
    )
    if ended:
        _record(actor, role.person, "role_end", {"role": [role.kind, None], "why": [None, why]})
    role.refresh_from_db()
    return role
