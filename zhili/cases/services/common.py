"""What the case services share: the units cases go to, the timeline row and the side check."""

from typing import Any

from zhili.cases.models import Case, CaseEvent
from zhili.core.errors import Forbidden
from zhili.core.rows import insert_row
from zhili.core.scope import scope_for
from zhili.orgs.models import Kind, Organization

DISPATCHABLE_KINDS = {Kind.CENTER, Kind.SUBCENTER, Kind.DEPARTMENT}


def _timeline(
    case: Case,
    action: str,
    from_state: str,
    to_state: str,
    actor: Any,
    note: str = "",
    **data: Any,
) -> CaseEvent:
    user = actor if getattr(actor, "pk", None) else None
    return insert_row(
        CaseEvent(
            case=case,
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=user,
            actor_unit=getattr(user, "organization", None),
            note=note,
            data=data,
        )
    )


def _actor_org(actor: Any) -> Organization | None:
    return getattr(actor, "organization", None)


def _check_side(actor: Any, case: Case, side: str) -> None:
    if actor.is_superuser:
        return
    if side in ("dispatch", "followup"):
        if not scope_for(actor).covers_path(case.dispatch_path):
            raise Forbidden("该工单不由您所在的分拨中心负责")
        return
    org = _actor_org(actor)
    if org is None or not case.unit_path or not case.unit_path.startswith(org.path):
        raise Forbidden("该工单不是派给您所在单位的")
