"""The leader's 今日态势 on the home page: the big screen's KPI strip, its forces on duty, its
open early warnings by level and its five hottest categories of the week, in a smaller form,
with the links to the screen (registered on the home page's OVERVIEW from
ScreenConfig.ready(): the web app sits below the screen and never imports it).

The figures are read through the screen's own selectors (`context`, `kpi`, the registered
"forces" panel), so they are the numbers GET /api/v1/screen/summary and /screen/ show, for the
same organization (a county leader's county, a township secretary's township). Only leaders
get it: it costs a few queries (see test_home.py) that the other roles' pages do not pay."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

from django.urls import reverse

from zhili.core.errors import NotFound
from zhili.core.roles import Action, Role
from zhili.core.scope import can, role_codes
from zhili.core.types import Actor
from zhili.screen import selectors
from zhili.screen.registry import PANELS
from zhili.web.overview import OVERVIEW

HOT = 5  # of the screen's ten hot categories
LEADER_ROLES = frozenset({Role.COUNTY_LEADER, Role.CENTER_DIRECTOR, Role.TOWNSHIP_SECRETARY})

# The screen's KPI strip, in its order and with its words (screen/screen.html); the tone of
# the home page's figures ("warn", "alarm") when not 0.
KPI = [
    ("received", "今日受理", ""),
    ("dispatched", "今日派单", ""),
    ("closed", "今日办结", ""),
    ("overdue", "超期未办结", "alarm"),
    ("red_cards", "今日红牌", "alarm"),
    ("yellow_cards", "今日黄牌", "warn"),
]


class Figure(TypedDict):
    key: str
    label: str
    value: int
    tone: str  # "", "warn" or "alarm"


@dataclass(frozen=True)
class Overview:
    org_name: str
    figures: list[Figure]
    forces: (
        Mapping[str, object] | None
    )  # the screen's forces panel; None if the role cannot see forces
    warnings: Mapping[str, object] | None  # the screen's early_warnings panel, if allowed
    hot: list[selectors.HotCategory]  # the screen's hot categories, the first HOT of them
    screen_url: str
    wall_url: str


def is_leader(user: Actor) -> bool:
    return bool(LEADER_ROLES & role_codes(user))


@OVERVIEW.entry("leader")
def leader_overview(user: Actor) -> Overview | None:
    """Today's figures of the screen the leader would open, or None for another role (or a
    leader with no screen of their own)."""
    if not is_leader(user):
        return None
    try:
        ctx = selectors.context(user)
    except NotFound:
        return None
    kpi = selectors.kpi(ctx)
    panel = PANELS.get("forces")
    forces = panel(ctx) if panel is not None and can(user, Action.FORCES_VIEW) else None
    alerts = PANELS.get("early_warnings")
    warnings = alerts(ctx) if alerts is not None else None
    if warnings is not None and warnings.get("allowed") is False:
        warnings = None
    screen = reverse("screen:screen")
    return Overview(
        org_name=ctx.org.name,
        figures=[
            {"key": key, "label": label, "value": kpi[key], "tone": tone}
            for key, label, tone in KPI
        ],
        forces=forces,
        warnings=warnings,
        hot=selectors.hot_categories(ctx)[:HOT],
        screen_url=screen,
        wall_url=f"{screen}?layout=wall",
    )
