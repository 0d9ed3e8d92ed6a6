"""What the petition services share: numbers, the timeline row, the side check, `_apply`."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.events import emit
from zhili.core.models import Series
from zhili.core.scope import scope_for
from zhili.core.workflow import Transition
from zhili.orgs.models import Kind, Organization
from zhili.petitions import deadlines
from zhili.petitions.events import PetitionTransitioned
from zhili.petitions.models import Petition, PetitionEvent

# The kinds of organization a petition can be transferred to (a handling unit).
HANDLING_KINDS = {Kind.CENTER, Kind.SUBCENTER, Kind.DEPARTMENT}


def next_petition_no(now: datetime) -> str:
    """XF2026-000123: sequential per local year, gap-free (taken in the caller's transaction)."""
    year = timezone.localdate(now).year
    number = take_next(Series.PETITION, str(year))
    prefix = getattr(settings, "ZHILI_PETITION_PREFIX", "XF")
    return f"{prefix}{year}-{number:06d}"


def timeline(
    petition: Petition,
    action: str,
    from_state: str,
    to_state: str,
    actor: Any,
    note: str = "",
    **data: Any,
) -> PetitionEvent:
    user = actor if getattr(actor, "pk", None) else None
    return PetitionEvent.objects.create(
        petition=petition,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=user,
        actor_unit=getattr(user, "organization", None),
        note=note,
        data=data,
    )


def on_registry_side(actor: Any, petition: Petition) -> bool:
    return scope_for(actor).covers_path(petition.registering_path)


def on_handler_side(actor: Any, petition: Petition) -> bool:
    org = getattr(actor, "organization", None)
    return bool(org and petition.handling_path and petition.handling_path.startswith(org.path))


def on_head_side(actor: Any, petition: Petition) -> bool:
    """The actor's unit is the handling unit, or the center housing the sub-center that is."""
    org_id = getattr(actor, "organization_id", None)
    unit = petition.handling_unit
    if org_id is None or unit is None:
        return False
    return unit.pk == org_id or (unit.kind == Kind.SUBCENTER and unit.parent_id == org_id)


def check_side(actor: Any, petition: Petition, side: str) -> None:
    if side == "head" and not on_head_side(actor, petition):
        raise Forbidden("只有承办单位负责人可以审批延期")
    if actor.is_superuser:
        return
    if side == "registry" and not on_registry_side(actor, petition):
        raise Forbidden("该信访事项不是您所在单位登记的")
    if side == "handler" and not on_handler_side(actor, petition):
        raise Forbidden("该信访事项不是转送交办给您所在单位的")
    if side == "either" and not (
        on_registry_side(actor, petition) or on_handler_side(actor, petition)
    ):
        raise Forbidden("该信访事项不由您所在单位登记或办理")


MAX_TEXT = 5000


def required_text(params: dict[str, Any], name: str, message: str, *, limit: int = MAX_TEXT) -> str:
    value = str(params.get(name) or "").strip()
    if not value:
        raise InvalidInput(message, field=name)
    if len(value) > limit:
        raise InvalidInput(f"内容不超过{limit}字", field=name)
    return value


def handling_unit_for(code: str, *, field: str = "handling_unit") -> Organization:
    unit = Organization.objects.filter(code=(code or "").strip(), is_active=True).first()
    if unit is None:
        raise InvalidInput(f"单位 {code} 不存在", field=field)
    if unit.kind not in HANDLING_KINDS:
        raise InvalidInput(f"{unit.name} 不是承办单位", field=field)
    return unit


def fields_of(petition: Petition) -> dict[str, Any]:
    return {f.attname: getattr(petition, f.attname) for f in Petition._meta.concrete_fields}


def apply(
    petition: Petition,
    transition: Transition,
    actor: Any,
    changes: dict[str, Any],
    *,
    note: str = "",
    reclock: bool | None = None,
    **data: Any,
) -> Petition:
    """Write `changes` by a conditional update on the old state, then the history row, the
    audit row and the event. The time-limit columns follow the new state (or, for a step
    that keeps the state, when `reclock` says so)."""
    now = timezone.now()
    from_state = petition.state
    to_state = changes.get("state", transition.target or from_state)
    changes = {**changes, "state": to_state, "updated_at": now}
    if reclock or (reclock is None and to_state != from_state):
        changes.update(deadlines.clock_fields({**fields_of(petition), **changes}, to_state))
    won = Petition.objects.filter(
        pk=petition.pk, state=from_state, updated_at=petition.updated_at
    ).update(**changes)
    if not won:
        raise Conflict("该信访事项刚被他人处理，请刷新后重试", code="concurrent_update")
    petition.refresh_from_db()
    timeline(petition, transition.name, from_state, to_state, actor, note, **data)
    audit(
        actor,
        f"petitions.petition.{transition.name}",
        petition,
        from_state=from_state,
        to_state=to_state,
    )
    emit(
        PetitionTransitioned(
            petition_id=petition.pk,
            number=petition.number,
            action=transition.name,
            from_state=from_state,
            to_state=to_state,
            handling_unit=petition.handling_unit.code if petition.handling_unit else "",
        )
    )
    return petition
