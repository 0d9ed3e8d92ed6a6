"""What every reception service shares: role and side checks, text fields, the rota's
organization."""

from typing import Any

from zhili.core.errors import Forbidden, InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import can, role_codes, scope_for
from zhili.core.workflow import actor_roles
from zhili.orgs.models import Organization
from zhili.receptions import workflow


def user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def require_arranger(actor: Any) -> None:
    """Only petition staff (RECEPTIONS_MANAGE) arrange the rota and book appointments."""
    if not can(actor, Action.RECEPTIONS_MANAGE):
        raise Forbidden("您没有安排领导接访的权限")


def check_covers(actor: Any, path: str, what: str = "该接访日") -> None:
    """Out of the actor's scope reads as not found, as everywhere."""
    if not scope_for(actor).covers_path(path):
        raise NotFound(f"{what}不存在")


def is_arranger_for(actor: Any, path: str) -> bool:
    return bool(actor_roles(actor) & workflow.ARRANGERS) and scope_for(actor).covers_path(path)


def check_day_side(actor: Any, *, path: str, leader_id: int) -> None:
    """The ``day`` side: the day's own leader, or petition staff covering the rota."""
    if getattr(actor, "pk", None) == leader_id or is_arranger_for(actor, path):
        return
    if actor_roles(actor) & workflow.LEADERS:
        raise Forbidden("这不是您的接访日")
    raise Forbidden("该接访日不在您负责的范围内")


def rota_level(org: Organization) -> str:
    """ "county" or "township": the rota's level; anything else is refused naming the field."""
    if org.kind != "center" or org.level not in workflow.LEADER_ROLE_FOR_LEVEL:
        raise InvalidInput("领导接访只能安排在县级或乡镇（街道）综治中心", field="organization")
    return org.level


def check_leader(
    leader: Any, org: Organization, *, field: str = "leader", noun: str = "接访领导"
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


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def owner_organization(petition: Any) -> Organization:
    """The level a petition's 包案 belongs to: the township center above the unit handling it
    (before it is transferred, the unit that registered it) for a township petition, else the
    county center. Its leaders are the ones `check_leader` accepts for that center."""
    path = petition.handling_path or petition.registering_path
    centers = Organization.objects.filter(
        path__in=_ancestor_paths(path), kind="center", level__in=workflow.LEADER_ROLE_FOR_LEVEL
    )
    found = centers.order_by("-depth").first()
    if found is None:
        raise InvalidInput("该信访事项的登记或承办单位不在县、乡镇综治中心之下", field="petition")
    return found


def text(value: str | None, field: str, label: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{label}不能超过{limit}字", field=field)
    return value
