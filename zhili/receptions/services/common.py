"""What every reception service shares: the checks of sight, role and side in the kernel's
order (out of sight 404, then role 403, then side 403), text fields, the rota's
organization."""

from typing import TypeVar

from django.db import IntegrityError, models, transaction

from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import can, role_codes
from zhili.core.types import Actor, SystemActor
from zhili.orgs.models import Organization, User
from zhili.receptions import workflow
from zhili.receptions.models import RotaDay

M = TypeVar("M", bound=models.Model)


def create_or_conflict(model: type[M], conflict: Conflict, **fields: object) -> M:
    """Insert one row; when a unique constraint was taken first by a concurrent write (a slot,
    a day, a petition's owner), the caller's `conflict` (409) instead."""
    try:
        with transaction.atomic():
            return model._default_manager.create(**fields)
    except IntegrityError as exc:
        raise conflict from exc


def user_or_none(actor: SystemActor) -> User | None:
    return actor if actor is not None and actor.pk else None


def check_covers(actor: Actor, path: str, what: str = "该接访日") -> None:
    """Out of the actor's sight reads as not found (404), before any other check."""
    if not workflow.covers(actor, path):
        raise NotFound(f"{what}不存在")


def require_arranger(actor: Actor) -> None:
    """Only petition staff (RECEPTIONS_MANAGE) arrange the rota and book appointments."""
    if not can(actor, Action.RECEPTIONS_MANAGE):
        raise Forbidden("您没有安排领导接访的权限")


def check_arranger_for(actor: Actor, path: str, what: str = "该接访日") -> None:
    """Petition staff who see the rota at `path`: 404 out of sight, then 403 for a role
    that does not arrange it."""
    check_covers(actor, path, what)
    require_arranger(actor)


def check_on_day(actor: Actor, day: RotaDay) -> None:
    """The ``day`` side of a rota day the actor sees: its leader, or staff arranging it."""
    if not workflow.on_day(actor, day):
        raise Forbidden(workflow.KIND.sides["day"].refusal)


def rota_level(org: Organization) -> str:
    """ "county" or "township": the rota's level; anything else is refused naming the field."""
    if org.kind != "center" or org.level not in workflow.LEADER_ROLE_FOR_LEVEL:
        raise InvalidInput("领导接访只能安排在县级或乡镇（街道）综治中心", field="organization")
    return org.level


def check_leader(
    leader: User | None, org: Organization, *, field: str = "leader", noun: str = "接访领导"
) -> None:
    """A county rota (or a county-level 包案) takes a county leader; a township's, a township
    secretary of that township."""
    level = rota_level(org)
    role = workflow.LEADER_ROLE_FOR_LEVEL[level]
    township = "本乡镇" if noun == "接访领导" else (org.area_name or org.name)
    label = "县领导" if level == "county" else f"{township}的党委（政法委）书记"
    if leader is None or not leader.is_active or role not in role_codes(leader):
        raise InvalidInput(f"{noun}应为{label}", field=field)
    if level == "township":
        leader_org = leader.organization
        if leader_org is None or not leader_org.path.startswith(org.path):
            raise InvalidInput(f"{noun}应为{label}", field=field)


def text(value: str | None, field: str, label: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{label}不能超过{limit}字", field=field)
    return value
