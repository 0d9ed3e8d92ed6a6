"""The writes every record with a grid shares (houses and the four places' registers): the
address and point, a partial update (the people register's `services.changed`: each field's
[old, new]), the history row with its audit, archiving (nothing is deleted); and the places'
own create and update, one function each for the four kinds of `places.PLACE_KINDS`."""

from collections.abc import Mapping
from decimal import Decimal
from typing import TypedDict, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.orgs.models import Grid
from zhili.registers import selectors
from zhili.registers.kinds import clean_fields
from zhili.registers.models import Changes, House, Place, RecordChange, Registered
from zhili.registers.places import PLACE_KINDS, PlaceKind, PlaceSpec, check_credit_code
from zhili.registers.services import changed, grid_kept, reason

Record = TypeVar("Record", House, Place)


class DuplicatePlace(Conflict):
    code = "duplicate"

    def __init__(self, existing: Place):
        super().__init__("该统一社会信用代码已登记", field="credit_code")
        self.existing = existing


class Located(TypedDict):
    """What every record with a grid has, checked: its grid, address and point."""

    grid: Grid
    address: str
    lat: float | None
    lng: float | None


def text(values: Mapping[str, object], name: str, limit: int, label: str, *, required: bool) -> str:
    value = str(values.get(name) or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field=name)
    if len(value) > limit:
        raise InvalidInput(f"{label}不能超过{limit}字", field=name)
    return value


def place_fields(actor: Actor, values: Mapping[str, object]) -> Located:
    """What a house and a place share, checked: grid (kept by the actor), address, point."""
    point = _point(values)
    return {
        "grid": grid_kept(actor, str(values.get("grid") or "")),
        "address": text(values, "address", 200, "地址", required=True),
        "lat": point[0],
        "lng": point[1],
    }


def located(actor: Actor, values: Mapping[str, object]) -> dict[str, object]:
    """The grid, address and point that a partial update's `values` name, checked like
    `place_fields` (a point is given or cleared as a pair)."""
    clean: dict[str, object] = {}
    if "grid" in values:
        clean["grid"] = grid_kept(actor, str(values["grid"] or ""))
    if "address" in values:
        clean["address"] = text(values, "address", 200, "地址", required=True)
    if "lat" in values or "lng" in values:
        if ("lat" in values) != ("lng" in values):
            missing = "lng" if "lat" in values else "lat"
            raise InvalidInput("位置须同时提供经纬度", field=missing)
        clean["lat"], clean["lng"] = _point(values)
    return clean


def _point(values: Mapping[str, object]) -> tuple[float | None, float | None]:
    lat, lng = values.get("lat"), values.get("lng")
    if (lat is None) != (lng is None):
        raise InvalidInput("位置须同时提供经纬度", field="lat" if lat is None else "lng")
    return _degrees(lat, "lat", "纬度", 90), _degrees(lng, "lng", "经度", 180)


def _degrees(value: object, field: str, label: str, bound: int) -> float | None:
    """A latitude or longitude within ±`bound` (None when not given); a 422 naming `field`
    otherwise."""
    if value is None:
        return None
    if not isinstance(value, int | float | str | Decimal):
        raise InvalidInput(f"{label}应为数字", field=field)
    try:
        degrees = float(value)
    except ValueError as exc:
        raise InvalidInput(f"{label}应为数字", field=field) from exc
    if not -bound <= degrees <= bound:
        raise InvalidInput(f"{label}应在 -{bound} 到 {bound} 之间", field=field)
    return degrees


def record_change(actor: Actor, record: House | Place, action: str, changes: Changes) -> None:
    """The history row and the audit row of a change to `record`."""
    target = {"house": record} if isinstance(record, House) else {"place": record}
    RecordChange.objects.create(actor=actor, action=action, changes=changes, **target)
    noun = "house" if isinstance(record, House) else f"place.{record.kind}"
    audit(actor, f"registers.{noun}.{action}", record, fields=sorted(changes))


def kept(actor: Actor, record: Registered) -> None:
    """Only who keeps a record's grid changes it (an out-of-sight record is 404 before)."""
    require(actor, Action.REGISTERS_EDIT)
    if not selectors.holds_grid(actor, record.grid):
        raise NotFound(selectors.PLACE_MISSING)


def editable(actor: Actor, record: Record, archived: str = "该记录已注销，不能修改") -> Record:
    """`record` for a change: kept by the actor (404 otherwise), read again under a row lock
    (a concurrent change waits, so each history row's old values are those it replaced), and
    not archived (409 saying `archived`)."""
    kept(actor, record)
    rows = type(record).objects.select_for_update(of=("self",)).select_related("grid")
    locked = rows.get(pk=record.pk)
    if locked.archived:
        raise Conflict(archived)
    return locked


def record_update(actor: Actor, record: House | Place, changes: Changes) -> None:
    """Save the `changes` made to `record` (`services.changed`) with their history row and
    audit (action ``update``); nothing when nothing changed."""
    if not changes:
        return
    if isinstance(record, Place) and "credit_code" in changes:
        _save_unique(record)
    else:
        record.save()
    record_change(actor, record, "update", changes)


def archive(actor: Actor, record: House | Place, why: str) -> None:
    """Archive `record` (注销): kept with its history, never deleted."""
    kept(actor, record)
    why = reason(why, "请填写注销原因（如拆除、注销、迁出）")
    if record.archived:
        raise Conflict("该记录已注销")
    record.archived, record.archived_at, record.archived_why = True, timezone.now(), why
    record.updated_at = record.archived_at
    record.save(update_fields=["archived", "archived_at", "archived_why", "updated_at"])
    record_change(
        actor, record, "archive", {"archived": [False, True], "archived_why": [None, why]}
    )


def place_kind(kind: str) -> str:
    if kind not in PLACE_KINDS:
        raise InvalidInput("类别无效", field="kind")
    return kind


@transaction.atomic
def place_create(*, actor: Actor, kind: str, values: Mapping[str, object]) -> Place:
    require(actor, Action.REGISTERS_EDIT)
    spec = PLACE_KINDS[place_kind(kind)]
    label = PlaceKind(kind).label
    name = text(values, "name", 120, spec.name_label, required=True)
    credit_code = _credit_code(spec, label, values.get("credit_code"))
    common = place_fields(actor, values)
    details = clean_fields(spec.fields, values.get("details") or {}, noun=label, creating=True)
    place = Place(kind=kind, name=name, credit_code=credit_code, details=details, **common)
    _save_unique(place)
    changes: Changes = {
        "name": [None, name],
        "grid": [None, common["grid"].code],
        **{key: [None, value] for key, value in details.items()},
    }
    if credit_code:
        changes["credit_code"] = [None, credit_code]
    record_change(actor, place, "create", changes)
    return place


def _credit_code(spec: PlaceSpec, label: str, value: object) -> str:
    """A new place's unified social credit code: checked where its kind has one, refused
    where it has none."""
    if spec.credit_code:
        return check_credit_code(str(value or ""))
    if value:
        raise InvalidInput(f"{label}没有统一社会信用代码", field="credit_code")
    return ""


def _save_unique(place: Place) -> None:
    """Save `place` (new, or its credit code changed); another open place with its credit
    code is a DuplicatePlace (also when a concurrent write of the same code wins)."""
    code = place.credit_code
    if code:
        others = Place.objects.filter(credit_code=code, archived=False)
        existing = (others.exclude(pk=place.pk) if place.pk else others).first()
        if existing is not None:
            raise DuplicatePlace(existing)
    try:
        with transaction.atomic():
            place.save()
    except IntegrityError as exc:
        winner = Place.objects.filter(credit_code=code, archived=False).exclude(pk=place.pk)
        raise DuplicatePlace(winner.get()) from exc


@transaction.atomic
def place_update(*, actor: Actor, kind: str, place_id: int, values: Mapping[str, object]) -> Place:
    """Change what `values` names of a place (a partial update). Its kind's facts are merged
    into those kept (a fact given as null or "" is cleared) and checked whole, so a required
    one cannot be cleared; a 422 names ``details.<key>``. The history keeps each fact's
    [old, new] under its key, as a create does."""
    spec = PLACE_KINDS[place_kind(kind)]
    place = editable(actor, selectors.place_get(actor, kind, place_id))
    label = PlaceKind(kind).label
    clean = located(actor, values)
    if "name" in values:
        clean["name"] = text(values, "name", 120, spec.name_label, required=True)
    if "credit_code" in values:
        clean["credit_code"] = _credit_code(spec, label, values["credit_code"])
    if "details" in values:
        given = values["details"]
        if not isinstance(given, dict):
            raise InvalidInput("专项信息应为对象", field="details")
        merged = {**place.details, **given}
        clean["details"] = clean_fields(spec.fields, merged, noun=label, creating=True)
    changes = changed(place, clean)
    if "details" in changes:
        old = changes.pop("details")[0]
        changes.update(_facts_changed(old if isinstance(old, dict) else {}, place.details))
    record_update(actor, place, changes)
    return place


def _facts_changed(old: dict[str, object], new: dict[str, object]) -> Changes:
    """A place's facts that differ, each as [old, new] (None: not kept)."""
    keys = [*old, *(key for key in new if key not in old)]
    return {key: [old.get(key), new.get(key)] for key in keys if old.get(key) != new.get(key)}


@transaction.atomic
def place_archive(*, actor: Actor, kind: str, place_id: int, why: str) -> Place:
    place = selectors.place_get(actor, place_kind(kind), place_id)
    archive(actor, place, why)
    return place
