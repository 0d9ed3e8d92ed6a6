"""The cases' cards on the home page (zhili.core.workcards): the center's dispatch queue, the
unit's inbox, the grid worker's grid and the overseers' overview."""

from django.urls import reverse

from zhili.cases import selectors
from zhili.core.roles import Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workcards import (
    Figure,
    Query,
    WorkCard,
    clock_figures,
    queue_card,
    register_card,
    url,
)


def cases_center(user: Actor) -> WorkCard | None:
    center = selectors.own_center(user)
    if center is None or not can(user, Action.CASES_DISPATCH):
        return None
    counts = selectors.center_work(user=user)

    def bench(bucket: str) -> str:
        return url("cases:workbench", bucket=bucket)

    def listed(**query: Query) -> str:
        return url("cases:list", queue="center", **query)

    waiting = [
        Figure(selectors.WORKBENCH_BUCKETS[key][0], counts[key], bench(key))
        for key in selectors.CENTER_WAITING
    ]
    clock = clock_figures(counts, listed)
    clock[2:] = [
        Figure("黄牌", counts["yellow"], bench("yellow"), "warn", "在办且亮黄牌"),
        Figure("红牌", counts["red"], bench("red"), "alarm", "在办且亮红牌"),
    ]
    return queue_card(
        "cases-center", f"分拨工作台 · {center.name}", "cases:workbench", waiting, clock
    )


def cases_unit(user: Actor) -> WorkCard | None:
    org = getattr(user, "organization", None)
    if org is None or not can(user, Action.CASES_HANDLE):
        return None
    counts = selectors.unit_work(user=user)
    keys = ("to_acknowledge", "in_progress", selectors.ASSIST_BUCKET)
    waiting = [
        Figure(selectors.INBOX_BUCKETS[k][0], counts[k], url("cases:inbox", bucket=k)) for k in keys
    ]
    clock = clock_figures(counts, lambda **q: url("cases:list", queue="unit", **q))
    return queue_card("cases-unit", f"本单位待办 · {org.name}", "cases:inbox", waiting, clock)


def cases_grid(user: Actor) -> WorkCard | None:
    if not can(user, Action.MOBILE_USE):
        return None
    counts = selectors.scope_work(user=user, queue="grid")
    clock = clock_figures(counts, lambda **q: url("cases:list", queue="grid", **q))
    return WorkCard(
        "cases-grid",
        "我的网格事件",
        reverse("mobile:cases"),
        [Figure("未办结", counts["all"], reverse("mobile:cases"), hint="网格内及本人上报"), *clock],
        [Figure("办理中", counts["open"], url("cases:list", queue="grid", due="open"))],
        note="网格通手机端可随时上报、查看进度",
    )


def cases_overview(user: Actor) -> WorkCard | None:
    counts = selectors.scope_work(user=user)
    place = "全县" if scope_for(user).everything else "管辖范围"
    clock = clock_figures(counts, lambda **q: url("cases:list", **q))
    return WorkCard(
        "cases-overview",
        f"事件工单 · {place}",
        reverse("cases:list"),
        [
            Figure("在办", counts["open"], url("cases:list", due="open"), hint="已派单计时中"),
            *clock,
        ],
    )


R = Role
register_card(
    20,
    {R.DISPATCHER, R.CENTER_DIRECTOR, R.TOWNSHIP_SECRETARY, R.TOWNSHIP_OFFICER},
    cases_center,
)
register_card(
    30,
    {
        R.TOWNSHIP_SECRETARY,
        R.TOWNSHIP_OFFICER,
        R.VILLAGE_OFFICER,
        R.DEPARTMENT_HANDLER,
        R.MEDIATOR,
        R.MEDIATION_CHAIR,
        R.PETITION_OFFICER,
    },
    cases_unit,
)
register_card(40, {R.GRID_LEADER, R.GRID_WORKER}, cases_grid)
register_card(50, {R.COUNTY_LEADER, R.ANALYST, R.CENTER_DIRECTOR, R.ADMIN}, cases_overview)
