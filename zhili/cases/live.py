"""Live updates: after a case changes, push a small message to the units concerned.

Each organization has a Channels group ``org.<code>``. A message goes to the groups of every
unit on the paths of the case's dispatch center and handling unit (and the unit it just
left), so a county dispatcher's page hears about everything below the county, a township's
about its own. Pushes go out after commit and never fail the request that caused them.

With the channel layer (Redis) down, a push stops at its first failure instead of trying
each group, the outage is logged once, and pushes are skipped for a few seconds between
tries (zhili.core.outage); a whole push is bounded by PUSH_TIMEOUT: a dead or stalled
Redis cannot slow intake. Updates made meanwhile are not pushed; pages show them when reloaded.
"""

import asyncio
import logging
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from django.db import transaction
from redis.exceptions import RedisError

from zhili.cases import workflow
from zhili.cases.models import Card, Case
from zhili.core.outage import Outage

log = logging.getLogger(__name__)
layer_outage = Outage("channel layer", log, instead="live updates are not pushed")
# What a channel layer that cannot be reached raises (redis-py's errors; sockets; timeouts,
# PUSH_TIMEOUT's among them).
LAYER_DOWN: tuple[type[Exception], ...] = (RedisError, OSError)


def group_name(code: str) -> str:
    return f"org.{code}"


def groups_for(*paths: str) -> list[str]:
    codes: dict[str, None] = {}
    for path in paths:
        for code in path.strip("/").split("/"):
            if code:
                codes[code] = None
    return [group_name(code) for code in codes]


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


# A whole push, all its groups: milliseconds on a live Redis. The layer's own read timeout is
# longer (it must outlast the 5 s blocking receive, docs/operations.md): without this bound a
# Redis that accepts and never answers would hold the request that pushed for 15 s.
PUSH_TIMEOUT = 2.0


async def _send_all(layer: BaseChannelLayer, groups: list[str], payload: Message) -> None:
    async def send() -> None:
        # The first failure ends the push: the next group would go to the same dead Redis.
        for group in groups:
            await layer.group_send(group, payload)

    await asyncio.wait_for(send(), PUSH_TIMEOUT)


def push(groups: list[str], payload: Message) -> None:
    layer = get_channel_layer()
    if layer is None or not groups or layer_outage.paused():
        return
    try:
        # One event loop for all the groups: async_to_sync sets one up per call.
        async_to_sync(_send_all)(layer, groups, payload)
    except LAYER_DOWN as exc:
        if not layer_outage.down:  # the outage's first failure: its traceback, once
            log.exception("live update for %s not delivered", payload.get("case_no"))
        layer_outage.failed(exc)
    except Exception:  # not an outage (a full channel, a bug): this update only
        log.exception("live update for %s not delivered", payload.get("case_no"))
    else:
        layer_outage.succeeded()


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
    transaction.on_commit(lambda: push(groups, payload))
