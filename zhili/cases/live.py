"""Live updates: after a case changes, push a small message to the units concerned.

Each organization has a Channels group ``org.<code>``. A message goes to the groups of every
unit on the paths of the case's dispatch center and handling unit (and the unit it just
left), so a county dispatcher's page hears about everything below the county, a township's
about its own. Pushes go out after commit and never fail the request that caused them.
"""

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from zhili.cases.models import Case

log = logging.getLogger(__name__)


def group_name(code: str) -> str:
    return f"org.{code}"


def groups_for(*paths: str) -> list[str]:
    codes: dict[str, None] = {}
    for path in paths:
        for code in path.strip("/").split("/"):
            if code:
                codes[code] = None
    return [group_name(code) for code in codes]


def message(case: Case, action: str) -> dict[str, Any]:
    return {
        "type": "case.update",
        "case_no": case.case_no,
        "action": action,
        "state": case.state,
        "card": case.card,
        "lead_unit": case.lead_unit.code if case.lead_unit else "",
        "dispatch_center": case.dispatch_center.code,
    }


def push(groups: list[str], payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        for group in groups:
            async_to_sync(layer.group_send)(group, payload)
    except Exception:
        log.exception("live update for %s not delivered", payload.get("case_no"))


def announce_after_commit(case: Case, action: str, *, previous_unit: str = "") -> None:
    paths = [case.dispatch_path, case.unit_path]
    if previous_unit:
        from zhili.orgs.models import Organization

        previous = Organization.objects.filter(code=previous_unit).values_list("path", flat=True)
        paths.extend(previous)
    groups = groups_for(*paths)
    payload = message(case, action)
    transaction.on_commit(lambda: push(groups, payload))
