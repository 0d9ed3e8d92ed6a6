"""Passing a case down and giving it back: the rules of 交办 and 退回来源.

- 交办 (``hand_down``): the handling unit passes a case to a unit of its own subtree (公安局
  to one of its 派出所, a township center to a village center), which acknowledges and
  handles it and replies. The case's handling deadline, its warning point and its card stay
  as they are: the citizen's clock does not restart because the work moved down. The
  receiving unit gets its own time to acknowledge (the category's limit from now, never past
  the deadline). The passing unit's path stays above the case's, so it still sees and covers
  it, and may pass it on again or take it back.
- 退回来源 (``return_to_source``): a case flagged 辖区外 (its place is not in the county) is
  given back to the channel that brought it, the reason being its answer: the citizen's page
  and Open311 show it, and a pushed order's source gets it by the reply call-back
  (zhili.integrations.handlers.reply_on_close, ``"result": "returned"``).

The transitions themselves (history, audit, event, live push) are taken by
`zhili.cases.services.transitions._apply`, like every other.
"""

from collections.abc import Iterable
from typing import TypedDict

from django.utils import timezone

from zhili.cases import deadlines
from zhili.cases.models import Case
from zhili.cases.selectors import hand_down_units
from zhili.cases.services.common import Changes
from zhili.core.errors import InvalidInput
from zhili.core.types import Actor
from zhili.orgs.models import Organization


class HandDownData(TypedDict):
    unit: str
    previous_unit: str


class SourceData(TypedDict):
    channel: str


def hand_down(
    actor: Actor, case: Case, *, unit_code: str | None, note: str | None
) -> tuple[Changes, str, HandDownData]:
    """The changes of a hand-down to the unit `unit_code`, its timeline note and data."""
    code = (unit_code or "").strip()
    if not code:
        raise InvalidInput("请选择交办的下级单位", field="unit")
    unit = hand_down_units(user=actor, case=case).filter(code=code).first()
    if unit is None:
        raise InvalidInput(f"单位 {code} 不是本单位的下级承办单位，不能交办", field="unit")
    limits = deadlines.limits_for(case.category, case.urgency)
    acknowledge_due = deadlines.add_limit(timezone.now(), limits.acknowledge)
    if case.due_at is not None:
        acknowledge_due = min(acknowledge_due, case.due_at)
    changes: Changes = {
        "lead_unit": unit,
        "unit_path": unit.path,
        "acknowledged_at": None,
        "acknowledge_due_at": acknowledge_due,
        # A request to return it to the center was the passing unit's: it lapses.
        "return_requested_at": None,
        "return_reason": "",
    }
    previous = case.lead_unit.code if case.lead_unit else ""
    data: HandDownData = {"unit": unit.code, "previous_unit": previous}
    return changes, (note or "").strip() or f"交办至{unit.name}", data


def suggested_unit(units: Iterable[Organization], case: Case) -> Organization | None:
    """The unit of the case's own place among `units` (the form's preselection): its village
    or township center, or a unit named for that area (the township's 派出所)."""
    units = list(units)
    for place in (case.village, case.township):
        if place is None:
            continue
        for unit in units:
            if unit.pk == place.pk or (place.area_name and unit.area_name == place.area_name):
                return unit
    return None


def return_to_source(case: Case, *, reason: str) -> tuple[Changes, SourceData]:
    """The changes of giving an out-of-area case back to its channel: the reason is its
    answer, given and closed now (a final state: no follow-up call, no card)."""
    now = timezone.now()
    changes: Changes = {"reply": reason, "replied_at": now, "closed_at": now, "warn_at": None}
    return changes, {"channel": case.channel}
