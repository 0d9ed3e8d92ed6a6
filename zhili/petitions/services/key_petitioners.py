"""The key-petitioner register (重点上访人员): listing a person, changing or ending it.

Only users holding Action.KEY_PETITIONERS_VIEW (petition officers, county leaders, township
secretaries: the role, never the superuser flag) write or read it; every write and every
view is audited (the views in zhili.petitions.selectors).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.orgs.models import Organization
from zhili.petitions.models import KeyLevel, KeyPetitioner, Petitioner


def may_see_key_petitioners(user: Any) -> bool:
    """By role only: a superuser without one of the roles does not see the register
    (KEY_PETITIONERS_VIEW is in zhili.core.roles.ROLE_ONLY)."""
    return can(user, Action.KEY_PETITIONERS_VIEW)


def require_key_petitioners(user: Any) -> None:
    if not may_see_key_petitioners(user):
        raise NotFound()


@transaction.atomic
def key_petitioner_list(
    *,
    actor: Any,
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
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写列管原因", field="reason")
    if level not in KeyLevel.values:
        raise InvalidInput("请选择关注等级", field="level")
    unit = Organization.objects.filter(code=responsible_unit, is_active=True).first()
    if unit is None:
        raise InvalidInput(f"单位 {responsible_unit} 不存在", field="responsible_unit")
    if not scope_for(actor).covers_path(unit.path):
        raise Forbidden("责任单位不在您的管辖范围内")
    existing = KeyPetitioner.objects.filter(petitioner=petitioner).first()
    if existing is not None and existing.is_active:
        raise Conflict("该信访人已在重点上访人员名册中", code="exists")
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
    return record


@transaction.atomic
def key_petitioner_end(*, actor: Any, record: KeyPetitioner, reason: str) -> KeyPetitioner:
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
    return record
