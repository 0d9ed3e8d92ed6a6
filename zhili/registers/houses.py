"""The houses register's writes (实有房屋): create (the owner a person in sight), a partial
update (each field's [old, new], like a person's), archive, lettings (a tenant from the people register, with the letting's dates; a house with a tenant
is let) and safety hazards (found, then fixed). Each writes a history row and an audit row."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.db import models, transaction
from django.utils import timezone

from zhili.core.errors import Conflict, InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.registers import records, selectors, services
from zhili.registers.models import (
    Changes,
    Hazard,
    House,
    HouseOwnership,
    HouseStructure,
    HouseUse,
    Person,
    Tenancy,
)

CHOICES = {
    "use": (HouseUse, "房屋用途"),
    "ownership": (HouseOwnership, "产权性质"),
    "structure": (HouseStructure, "建筑结构"),
}
Row = TypeVar("Row", bound=models.Model)


def _choice(values: Mapping[str, object], name: str) -> str:
    choices, label = CHOICES[name]
    value = str(values.get(name) or "")
    if value not in choices.values:
        raise InvalidInput(
            f"请选择{label}：{'、'.join(str(c) for c in choices.labels)}", field=name
        )
    return value


def _area(value: object) -> Decimal:
    try:
        area = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput("建筑面积应为数字（平方米）", field="area_m2") from exc
    if not Decimal("0") < area < Decimal("1000000"):
        raise InvalidInput("建筑面积应大于 0 且小于 100 万平方米", field="area_m2")
    return area


def _person(actor: Actor, person_id: object, field: str) -> Person:
    """A person of the register in the actor's sight, named by a form or a body; a 422
    naming `field` otherwise (a reference, not the record being read)."""
    try:
        if not isinstance(person_id, int | float | str):
            raise TypeError(person_id)
        pk = int(person_id)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("请选择人员（人员编号）", field=field) from exc
    try:
        return selectors.person_get(actor, pk)
    except NotFound as exc:
        raise InvalidInput("未找到该人员，或不在您的可见范围内", field=field) from exc


def _day(
    value: date | str | None,
    field: str,
    label: str,
    *,
    since: tuple[date, str] | None = None,
    past: bool = False,
) -> date:
    """A date (a date or ISO text), not before `since` (a day and what it is called), not
    after today when `past`; a 422 naming `field` otherwise."""
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value or ""))
        except ValueError as exc:
            raise InvalidInput(f"{label}应为日期（如 2026-01-31）", field=field) from exc
    if since is not None and day < since[0]:
        raise InvalidInput(f"{label}不能早于{since[1]}", field=field)
    if past and day > timezone.localdate():
        raise InvalidInput(f"{label}不能晚于今天", field=field)
    return day


def _one(rows: "models.QuerySet[Row]", pk: int, missing: str, field: str) -> Row:
    """The row `pk` of a house's tenancies or hazards; a 422 naming `field` otherwise."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise InvalidInput(missing, field=field)
    return row


@transaction.atomic
def house_create(*, actor: Actor, values: Mapping[str, object]) -> House:
    require(actor, Action.REGISTERS_EDIT)
    common = records.place_fields(actor, values)
    owner = None
    if values.get("owner_id") not in (None, ""):
        owner = _person(actor, values["owner_id"], "owner_id")
    house = House(
        use=_choice(values, "use"),
        ownership=_choice(values, "ownership"),
        structure=_choice(values, "structure"),
        area_m2=_area(values.get("area_m2")),
        owner=owner,
        let=bool(values.get("let")),
        **common,
    )
    house.save()
    changes: Changes = {
        "address": [None, house.address],
        "grid": [None, house.grid.code],
        "use": [None, house.use],
        "let": [None, house.let],
    }
    if owner:
        changes["owner"] = [None, owner.pk]
    records.record_change(actor, house, "create", changes)
    return house


def _kept_house(actor: Actor, house_id: int) -> House:
    """The house in sight for a change by its keeper, locked; archived, a 409."""
    house = selectors.house_get(actor, house_id)
    return records.editable(actor, house, "该房屋已注销，不能修改")


@transaction.atomic
def house_update(*, actor: Actor, house_id: int, values: Mapping[str, object]) -> House:
    """Change what `values` names of a house (a partial update): each field checked as on
    create, ``owner_id`` null for no owner; a house with a current tenant stays let."""
    house = _kept_house(actor, house_id)
    clean = records.located(actor, values)
    clean.update({name: _choice(values, name) for name in CHOICES if name in values})
    if "area_m2" in values:
        clean["area_m2"] = _area(values["area_m2"])
    if "owner_id" in values:
        clean["owner"] = _owner(actor, house, values["owner_id"])
    if "let" in values:
        clean["let"] = _let(house, values["let"])
    records.record_update(actor, house, services.changed(house, clean))
    return house


def _current_tenancies(house: House) -> "models.QuerySet[Tenancy]":
    return house.tenancies.exclude(ends_on__lt=timezone.localdate())


def _owner(actor: Actor, house: House, person_id: object) -> Person | None:
    if person_id in (None, ""):
        return None
    owner = _person(actor, person_id, "owner_id")
    if _current_tenancies(house).filter(person=owner).exists():
        raise InvalidInput("该人员是本房屋的承租人，不能登记为房主", field="owner_id")
    return owner


def _let(house: House, let: object) -> bool:
    if not isinstance(let, bool):
        raise InvalidInput("出租房屋应为是或否", field="let")
    if not let and _current_tenancies(house).exists():
        raise InvalidInput("该房屋有在租的承租人，请先登记止租", field="let")
    return let


@transaction.atomic
def house_archive(*, actor: Actor, house_id: int, why: str) -> House:
    house = selectors.house_get(actor, house_id)
    records.archive(actor, house, why)
    return house


@transaction.atomic
def tenancy_add(
    *,
    actor: Actor,
    house_id: int,
    person_id: int,
    starts_on: date | str,
    ends_on: date | str | None = None,
) -> Tenancy:
    """Let `house` to a person: the house becomes let (出租房屋)."""
    house = _kept_house(actor, house_id)
    person = _person(actor, person_id, "person_id")
    start = _day(starts_on, "starts_on", "起租日期")
    end = None
    if ends_on not in (None, ""):
        end = _day(ends_on, "ends_on", "止租日期", since=(start, "起租日期"))
    if house.owner_id == person.pk:
        raise InvalidInput("房主不能登记为本房屋的承租人", field="person_id")
    if _current_tenancies(house).filter(person=person).exists():
        raise Conflict("该人员已是本房屋的承租人", field="person_id")
    tenancy = Tenancy.objects.create(house=house, person=person, starts_on=start, ends_on=end)
    changes: Changes = {"tenant": [None, person.pk], "starts_on": [None, start.isoformat()]}
    if not house.let:
        house.let = True
        changes["let"] = [False, True]
    house.updated_at = timezone.now()
    house.save(update_fields=["let", "updated_at"])
    records.record_change(actor, house, "tenancy_add", changes)
    return tenancy


@transaction.atomic
def tenancy_end(*, actor: Actor, house_id: int, tenancy_id: int, ends_on: date | str) -> Tenancy:
    house = _kept_house(actor, house_id)
    tenancy = _one(house.tenancies.all(), tenancy_id, "未找到该租住记录", "tenancy_id")
    end = _day(ends_on, "ends_on", "止租日期", since=(tenancy.starts_on, "起租日期"))
    old = tenancy.ends_on
    tenancy.ends_on = end
    tenancy.save(update_fields=["ends_on"])
    records.record_change(
        actor,
        house,
        "tenancy_end",
        {"tenant": [tenancy.person_id, tenancy.person_id], "ends_on": [str(old or ""), str(end)]},
    )
    return tenancy


@transaction.atomic
def hazard_add(*, actor: Actor, house_id: int, found_on: date | str, description: str) -> Hazard:
    house = _kept_house(actor, house_id)
    found = _day(found_on, "found_on", "发现日期", past=True)
    text = records.text({"description": description}, "description", 500, "隐患情况", required=True)
    hazard = Hazard.objects.create(house=house, found_on=found, description=text)
    records.record_change(actor, house, "hazard_add", {"hazard": [None, text[:60]]})
    return hazard


@transaction.atomic
def hazard_fix(*, actor: Actor, house_id: int, hazard_id: int, fixed_on: date | str) -> Hazard:
    house = _kept_house(actor, house_id)
    hazard = _one(house.hazards.all(), hazard_id, "未找到该隐患", "hazard_id")
    if hazard.fixed_on is not None:
        raise Conflict("该隐患已整改")
    fixed = _day(
        fixed_on, "fixed_on", "整改完成日期", since=(hazard.found_on, "发现日期"), past=True
    )
    hazard.fixed_on = fixed
    hazard.save(update_fields=["fixed_on"])
    records.record_change(actor, house, "hazard_fix", {"hazard": [hazard.pk, str(fixed)]})
    return hazard
