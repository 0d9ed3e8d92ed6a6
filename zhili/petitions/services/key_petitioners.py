"""The key-petitioner register (重点上访人员): listing a person, changing or ending it, and
showing it. Each listing is also the person's ``key_petitioner`` role in the people register,
kept from here (services/key_roles.py: the register is the one source of truth).

Only users holding Action.KEY_PETITIONERS_VIEW (petition officers, county leaders, township
secretaries: the role, never the superuser flag) write or read it; every write and every
showing is audited: the list, a record, the flags on a petition (`key_*_show`, reading
through zhili.petitions.selectors).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.orgs.models import Organization
from zhili.petitions import selectors
from zhili.petitions.models import KeyLevel, KeyPetitioner, Petition, Petitioner
from zhili.petitions.selectors import may_see_key_petitioners
from zhili.petitions.services.key_roles import key_role_end, key_role_open


def require_key_petitioners(user: Actor) -> None:
    if not may_see_key_petitioners(user):
        raise NotFound()


@transaction.atomic
def key_records_show(*, actor: Actor, petition: Petition) -> list[KeyPetitioner]:
    """The register's records of the petition's petitioners, for the actor who may see the
    register (none for the others); showing them is audited."""
    records = selectors.key_records_of(user=actor, petition=petition)
    if records:
        audit(actor, "petitions.key_petitioner.flag", petition, records=[r.pk for r in records])
    return records


@transaction.atomic
def key_register_show(
    *, actor: Actor, active: bool | None = True, q: str = ""
) -> list[KeyPetitioner]:
    """The register in the actor's scope; one audit row per list shown."""
    rows = selectors.key_petitioner_rows(user=actor, active=active, q=q)
    audit(actor, "petitions.key_petitioner.view_list", None, count=len(rows), q=q[:50])
    return rows


@transaction.atomic
def key_petitioner_show(*, actor: Actor, pk: int) -> KeyPetitioner:
    """One record of the register (404 out of the actor's scope); audited."""
    record = selectors.key_petitioner_get(user=actor, pk=pk)
    audit(actor, "petitions.key_petitioner.view", record)
    return record


@transaction.atomic
def key_petitioner_list(
    *,
    actor: Actor,
    petitioner: Petitioner,
    reason: str,
    level: str,
    responsible_unit: str,
    measures: str = "",
    since: date | None = None,
    is_demo: bool = False,
) -> KeyPetitioner:
    """Put `petitioner` on the register (or back on it, when their record was ended)."""
    require_key_petitioners(actor)
    reason, unit = _checked_listing(actor, petitioner, reason, level, responsible_unit)
    values = dict(
        reason=reason[:2000],
        level=level,
        responsible_unit=unit,
        responsible_path=unit.path,
        measures=(measures or "").strip()[:2000],
        since=since or timezone.localdate(),
        is_active=True,
        created_by=actor if getattr(actor, "pk", None) else None,
        is_demo=is_demo,
        updated_at=timezone.now(),
    )
    record, _ = KeyPetitioner.objects.update_or_create(petitioner=petitioner, defaults=values)
    audit(actor, "petitions.key_petitioner.list", record, level=level, unit=unit.code)
    return key_role_open(actor=actor, record=record)


def _checked_listing(
    actor: Actor, petitioner: Petitioner, reason: str, level: str, responsible_unit: str
) -> tuple[str, Organization]:
    """The listing's reason and responsible unit, once valid, in scope, and not listed yet."""
    reason = _listing_reason(reason, level)
    unit = _responsible_unit(actor, responsible_unit)
    _check_not_listed(petitioner)
    return reason, unit


def _listing_reason(reason: str, level: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写列管原因", field="reason")
    if level not in KeyLevel.values:
        raise InvalidInput("请选择关注等级", field="level")
    return reason


def _responsible_unit(actor: Actor, code: str) -> Organization:
    unit = Organization.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise InvalidInput(f"单位 {code} 不存在", field="responsible_unit")
    if not scope_for(actor).covers_path(unit.path):
        raise Forbidden("责任单位不在您的管辖范围内")
    return unit


def _check_not_listed(petitioner: Petitioner) -> None:
    existing = KeyPetitioner.objects.filter(petitioner=petitioner).first()
    if existing is not None and existing.is_active:
        raise Conflict("该信访人已在重点上访人员名册中", code="exists")


@transaction.atomic
def key_petitioner_end(*, actor: Actor, record: KeyPetitioner, reason: str) -> KeyPetitioner:
    """Take a person off the register (化解稳定): the record stays, inactive."""
    require_key_petitioners(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写撤销列管的理由", field="reason")
    won = KeyPetitioner.objects.filter(pk=record.pk, is_active=True).update(
        is_active=False, updated_at=timezone.now()
    )
    if not won:
        raise Conflict("该人员已撤销列管", code="wrong_state")
    audit(actor, "petitions.key_petitioner.end", record, reason=reason[:500])
    record.refresh_from_db()
    key_role_end(actor=actor, record=record, why=reason)
    return record


@transaction.atomic
def key_petitioner_link(*, actor: Actor, pk: int) -> KeyPetitioner:
    """Link a listed record that has no role to the people register again (重新关联: the
    grid has registered the person since, or the petitioner's data was completed); audited
    with the outcome. A record whose role is open is brought in line with it."""
    require_key_petitioners(actor)
    record = selectors.key_petitioner_get(user=actor, pk=pk)
    if not record.is_active:
        raise Conflict("该人员已撤销列管", code="wrong_state")
    record = key_role_open(actor=actor, record=record)
    audit(
        actor,
        "petitions.key_petitioner.link",
        record,
        role=record.role.pk if record.role and not record.role_note else None,
        note=record.role_note,
    )
    return record
