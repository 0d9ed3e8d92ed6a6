"""Live updates of cases: after a case changes, push a small message to the units concerned
(the groups of every unit on the paths of the case's dispatch center and handling unit, and
of the unit it just left), through zhili.core.live."""

from typing import TypedDict

from zhili.cases import workflow
from zhili.cases.models import Card, Case
from zhili.core.live import groups_for, push_after_commit

# Actions that are not transitions of the workflow table.
OTHER_LABELS = {
    "register": "受理",
    "card": "亮牌",
    "recompute": "时限重算",
    "assist_recompute": "协办时限重算",
    "hold": "转卷宗办理",
}
CARD_LABELS: dict[str, str] = {Card.YELLOW.value: "亮黄牌", Card.RED.value: "亮红牌"}


def action_label(action: str, case: Case) -> str:
    """The Chinese verb the pages show: "工单 DH… 已派单"."""
    if action == "card" and case.card in CARD_LABELS:
        return CARD_LABELS[case.card]
    transition = workflow.ALL_TRANSITIONS.get(action)
    return transition.label if transition else OTHER_LABELS.get(action, action)


class Message(TypedDict):
    """A case's live update: primitives only (msgpack over Redis)."""

    type: str
    case_no: str
    action: str
    label: str
    title: str
    state: str
    card: str
    lead_unit: str
    dispatch_center: str
    assisting: list[str]


def message(case: Case, action: str, assisting: list[str] | None = None) -> Message:
    """The payload for the group and for the browser: primitives only (msgpack over Redis).
    `assisting`: the codes of the case's assisting units (协办), when the caller knows them."""
    return {
        "type": "case.update",
        "case_no": case.case_no,
        "action": action,
        "label": action_label(action, case),
        "title": case.title,
        "state": case.state,
        "card": case.card,
        "lead_unit": case.lead_unit.code if case.lead_unit else "",
        "dispatch_center": case.dispatch_center.code,
        "assisting": assisting or [],
    }


def announce_after_commit(case: Case, action: str, *, previous_paths: tuple[str, ...] = ()) -> None:
    """Push after commit to the units the case is with now, those it has just left and its
    assisting units (a withdrawn one too: its page must drop the task)."""
    # A case never dispatched has no assisting tasks: intake spares the query.
    assisting = (
        list(case.assists.values_list("organization__code", "organization__path"))
        if case.dispatched_at is not None
        else []
    )
    paths = [case.dispatch_path, case.unit_path, *previous_paths, *(p for _c, p in assisting)]
    groups = groups_for(*paths)
    payload = message(case, action, [code for code, _p in assisting])
    push_after_commit(groups, payload)
