"""The home page's "我的待办": each role's own work, counted by the scoped selectors of the
apps that hold it, each figure a link to the list that shows the same rows.

A card is one queue of the user's: the center's dispatch queue, the unit's inbox, the grid
worker's grid, a leader's overview, supervision orders, disputes, petitions, receptions, the
administrator's integrations. Its figures are the work waiting (待办), due later today
(今日到期), overdue (已超期) and under a yellow or red card (黄牌 / 红牌), where the module has
them, then the waiting work broken down. Which cards a user gets depends on their roles
(`CARDS`); every figure is one aggregate query per card, over open rows only.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from zhili.core.roles import Action, Role
from zhili.core.scope import can, role_codes, scope_for
from zhili.core.types import Actor


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    url: str
    tone: str = ""  # "warn" (due today, yellow), "alarm" (overdue, red): shown when not 0
    hint: str = ""


@dataclass(frozen=True)
class WorkCard:
    key: str
    title: str
    url: str
    figures: list[Figure]
    details: list[Figure] = field(default_factory=list)
    note: str = ""


def _url(name: str, **query: Any) -> str:
    base = reverse(name)
    query = {k: v for k, v in query.items() if v not in ("", None)}
    return f"{base}?{urlencode(query)}" if query else base


def _clock_figures(counts: dict[str, int], link: Callable[..., str]) -> list[Figure]:
    """今日到期, 已超期, 黄牌, 红牌 of a queue whose rows carry a clock and cards."""
    return [
        Figure("今日到期", counts["due_today"], link(due="today"), "warn", "今天内到期、尚未超期"),
        Figure("已超期", counts["overdue"], link(due="overdue"), "alarm", "已过办理时限仍在办"),
        Figure("黄牌", counts["yellow"], link(due="open", card="yellow"), "warn", "在办且亮黄牌"),
        Figure("红牌", counts["red"], link(due="open", card="red"), "alarm", "在办且亮红牌"),
    ]


# --- the one queue (事件工单) ------------------------------------------------------------------


def cases_center(user: Actor) -> WorkCard | None:
    from zhili.cases import selectors

    center = selectors.own_center(user)
    if center is None or not can(user, Action.CASES_DISPATCH):
        return None
    counts = selectors.center_work(user=user)

    def bench(bucket: str) -> str:
        return _url("cases:workbench", bucket=bucket)

    def listed(**query: Any) -> str:
        return _url("cases:list", queue="center", **query)

    waiting = [
        Figure(selectors.WORKBENCH_BUCKETS[key][0], counts[key], bench(key))
        for key in selectors.CENTER_WAITING
    ]
    clock = _clock_figures(counts, listed)
    clock[2:] = [
        Figure("黄牌", counts["yellow"], bench("yellow"), "warn", "在办且亮黄牌"),
        Figure("红牌", counts["red"], bench("red"), "alarm", "在办且亮红牌"),
    ]
    return WorkCard(
        "cases-center",
        f"分拨工作台 · {center.name}",
        reverse("cases:workbench"),
        [Figure("待办", sum(f.value for f in waiting), reverse("cases:workbench")), *clock],
        waiting,
    )


def cases_unit(user: Actor) -> WorkCard | None:
    from zhili.cases import selectors

    org = getattr(user, "organization", None)
    if org is None or not can(user, Action.CASES_HANDLE):
        return None
    counts = selectors.unit_work(user=user)
    keys = ("to_acknowledge", "in_progress", selectors.ASSIST_BUCKET)
    waiting = [
        Figure(selectors.INBOX_BUCKETS[k][0], counts[k], _url("cases:inbox", bucket=k))
        for k in keys
    ]
    clock = _clock_figures(counts, lambda **q: _url("cases:list", queue="unit", **q))
    return WorkCard(
        "cases-unit",
        f"本单位待办 · {org.name}",
        reverse("cases:inbox"),
        [Figure("待办", sum(f.value for f in waiting), reverse("cases:inbox")), *clock],
        waiting,
    )


def cases_grid(user: Actor) -> WorkCard | None:
    from zhili.cases import selectors

    if not can(user, Action.MOBILE_USE):
        return None
    counts = selectors.scope_work(user=user, queue="grid")
    clock = _clock_figures(counts, lambda **q: _url("cases:list", queue="grid", **q))
    return WorkCard(
        "cases-grid",
        "我的网格事件",
        reverse("mobile:cases"),
        [Figure("未办结", counts["all"], reverse("mobile:cases"), hint="网格内及本人上报"), *clock],
        [Figure("办理中", counts["open"], _url("cases:list", queue="grid", due="open"))],
        note="网格通手机端可随时上报、查看进度",
    )


def cases_overview(user: Actor) -> WorkCard | None:
    from zhili.cases import selectors

    counts = selectors.scope_work(user=user)
    place = "全县" if scope_for(user).everything else "管辖范围"
    clock = _clock_figures(counts, lambda **q: _url("cases:list", **q))
    return WorkCard(
        "cases-overview",
        f"事件工单 · {place}",
        reverse("cases:list"),
        [
            Figure("在办", counts["open"], _url("cases:list", due="open"), hint="已派单计时中"),
            *clock,
        ],
    )


# --- supervision orders (督办单) ----------------------------------------------------------------


def supervision(user: Actor) -> WorkCard | None:
    from zhili.supervision import selectors, workflow

    if not can(user, Action.SUPERVISION_VIEW):
        return None
    roles = _roles(user)
    counts = selectors.order_work(user=user)
    answers = bool(roles & workflow.HANDLERS) and getattr(user, "organization", None) is not None
    closes = bool(roles & workflow.CENTER_ROLES)
    figures = []
    if answers:
        unit = {"state": "issued", "side": "unit"}
        figures += [
            Figure("待答复", counts["to_answer"], _url("supervision:list", **unit)),
            Figure(
                "今日到期",
                counts["due_today"],
                _url("supervision:list", **unit, due_today=1),
                "warn",
                "答复时限在今天内",
            ),
            Figure(
                "已超期",
                counts["late"],
                _url("supervision:list", **unit, overdue=1),
                "alarm",
                "答复已超时",
            ),
        ]
    if closes:
        figures.append(
            Figure(
                "待审核办结",
                counts["to_close"],
                _url("supervision:list", state="answered", side="center"),
            )
        )
    if not figures:
        return None
    return WorkCard("supervision", "督办单", reverse("supervision:list"), figures)


# --- disputes (矛盾纠纷调解) --------------------------------------------------------------------


def disputes(user: Actor) -> WorkCard | None:
    from zhili.mediation import selectors

    if not can(user, Action.DISPUTES_VIEW):
        return None
    mediates = can(user, Action.DISPUTES_MEDIATE)
    counts = selectors.dispute_work(user=user, confirmations=mediates)
    keys = (("registered", "待受理"), ("accepted", "已受理待调解"), ("mediating", "调解中"))
    waiting = [Figure(label, counts[key], _url("mediation:list", state=key)) for key, label in keys]
    details = list(waiting)
    if mediates:
        details.append(
            Figure(
                "司法确认将届满",
                counts["confirm_soon"],
                reverse("mediation:confirmations"),
                "warn",
                "申请司法确认的期限已到提醒日",
            )
        )
    place = "全县" if scope_for(user).everything else "辖区"
    return WorkCard(
        "disputes",
        "矛盾纠纷调解" if mediates else f"矛盾纠纷 · {place}",
        reverse("mediation:list"),
        [
            Figure(
                "待办" if mediates else "在办",
                sum(f.value for f in waiting),
                reverse("mediation:list"),
            ),
            Figure(
                "今日到期",
                counts["due_today"],
                _url("mediation:list", due_today=1),
                "warn",
                "办理目标为今天",
            ),
            Figure(
                "已超期",
                counts["late"],
                _url("mediation:list", late=1),
                "alarm",
                "超过办理目标（黄色提醒）",
            ),
        ],
        details,
    )


def risk_alerts(user: Actor) -> WorkCard | None:
    from zhili.mediation import selectors

    unsigned = selectors.risk_alerts_unsigned(user=user)
    return WorkCard(
        "risk-alerts",
        "矛盾纠纷风险预警",
        reverse("mediation:alerts"),
        [
            Figure(
                "待签收", unsigned, reverse("mediation:alerts"), "alarm", "推送给本单位的风险预警"
            )
        ],
    )


# --- petitions and receptions (信访接访) --------------------------------------------------------


def petitions(user: Actor) -> WorkCard | None:
    from zhili.petitions import selectors

    if not can(user, Action.PETITIONS_VIEW):
        return None
    counts = selectors.petition_work(user=user)
    details = []
    if can(user, Action.PETITIONS_REGISTER):
        details += [
            Figure("待转送交办", counts["registered"], _url("petitions:list", state="registered")),
            Figure(
                "异议待核实",
                counts["hand_back"],
                _url("petitions:list", state="hand_back_requested"),
            ),
        ]
    if can(user, Action.PETITIONS_APPROVE):
        details.append(
            Figure(
                "待审批延期",
                counts["pending_extension"],
                _url("petitions:list", pending_extension=1),
            )
        )
    clock = _clock_figures(counts, lambda **q: _url("petitions:list", **q))
    return WorkCard(
        "petitions",
        "信访事项",
        reverse("petitions:list"),
        [
            Figure("在办", counts["open"], _url("petitions:list", due="open"), hint="时限计算中"),
            *clock,
        ],
        details,
    )


def receptions_leader(user: Actor) -> WorkCard | None:
    from zhili.receptions import selectors

    if not can(user, Action.RECEPTIONS_RECEIVE):
        return None
    counts = selectors.ownership_work(user=user, leader=user)
    mine = reverse("receptions:mine")
    return WorkCard(
        "receptions-leader",
        "领导接访与包案",
        mine,
        [
            Figure("今日接访预约", selectors.appointments_today(leader=user), mine),
            Figure("包案中", counts["active"], f"{mine}#ownerships"),
            Figure("包案已超期", counts["overdue"], f"{mine}#ownerships", "alarm"),
        ],
    )


def receptions_manage(user: Actor) -> WorkCard | None:
    from zhili.receptions import selectors

    if not can(user, Action.RECEPTIONS_MANAGE):
        return None
    counts = selectors.ownership_work(user=user)
    return WorkCard(
        "receptions-manage",
        "领导包案",
        reverse("receptions:ownerships"),
        [
            Figure("包案中", counts["active"], _url("receptions:ownerships", state="active")),
            Figure(
                "包案已超期",
                counts["overdue"],
                _url("receptions:ownerships", state="overdue"),
                "alarm",
            ),
        ],
    )


# --- the administrator ------------------------------------------------------------------------


def integrations(user: Actor) -> WorkCard | None:
    from zhili.integrations import selectors
    from zhili.integrations.models import CallbackState

    if not can(user, Action.INTEGRATIONS_MANAGE):
        return None
    unmapped = selectors.mapping_list(user=user).filter(category__isnull=True).count()
    failed = selectors.callback_list(user=user).filter(state=CallbackState.FAILED).count()
    return WorkCard(
        "integrations",
        "对接运行",
        reverse("integrations:push"),
        [
            Figure(
                "未映射分类",
                unmapped,
                reverse("integrations:mappings"),
                "warn",
                "推送来的分类文字尚未对应到派单目录",
            ),
            Figure("回复回调失败", failed, reverse("integrations:push"), "alarm"),
        ],
    )


# --- which cards for whom ---------------------------------------------------------------------

R = Role
OVERSEERS = {R.COUNTY_LEADER, R.ANALYST, R.CENTER_DIRECTOR, R.ADMIN}
# (roles that get the card, builder), in the order the cards are shown.
CARDS: list[tuple[frozenset[str], Callable[[Any], WorkCard | None]]] = [
    (frozenset({R.ADMIN}), integrations),
    (
        frozenset({R.DISPATCHER, R.CENTER_DIRECTOR, R.TOWNSHIP_SECRETARY, R.TOWNSHIP_OFFICER}),
        cases_center,
    ),
    (
        frozenset(
            {
                R.TOWNSHIP_SECRETARY,
                R.TOWNSHIP_OFFICER,
                R.VILLAGE_OFFICER,
                R.DEPARTMENT_HANDLER,
                R.MEDIATOR,
                R.MEDIATION_CHAIR,
                R.PETITION_OFFICER,
            }
        ),
        cases_unit,
    ),
    (frozenset({R.GRID_LEADER, R.GRID_WORKER}), cases_grid),
    (frozenset(OVERSEERS), cases_overview),
    (
        frozenset(
            {
                R.MEDIATOR,
                R.MEDIATION_CHAIR,
                R.COUNTY_LEADER,
                R.ANALYST,
                R.CENTER_DIRECTOR,
                R.TOWNSHIP_SECRETARY,
                R.TOWNSHIP_OFFICER,
                R.VILLAGE_OFFICER,
            }
        ),
        disputes,
    ),
    (frozenset({R.PETITION_OFFICER, R.DEPARTMENT_HANDLER}), risk_alerts),
    (
        frozenset(
            {
                R.PETITION_OFFICER,
                R.DEPARTMENT_HANDLER,
                R.TOWNSHIP_SECRETARY,
                R.TOWNSHIP_OFFICER,
                R.UNIT_HEAD,
                R.COUNTY_LEADER,
                R.ANALYST,
                R.CENTER_DIRECTOR,
            }
        ),
        petitions,
    ),
    (frozenset({R.COUNTY_LEADER, R.TOWNSHIP_SECRETARY}), receptions_leader),
    (frozenset({R.PETITION_OFFICER}), receptions_manage),
    (frozenset(Role.values), supervision),
]


def _roles(user: Actor) -> set[str]:
    """The user's role codes; a superuser without a role counts as an administrator."""
    roles = set(role_codes(user))
    if user.is_superuser and not roles:
        roles.add(Role.ADMIN)
    return roles


def work_cards(user: Actor) -> list[WorkCard]:
    """The user's cards, each built once, in `CARDS` order."""
    roles = _roles(user)
    cards: list[WorkCard] = []
    built: set[Callable[[Any], WorkCard | None]] = set()
    for wanted, build in CARDS:
        if build in built or not roles & wanted:
            continue
        built.add(build)
        card = build(user)
        if card is not None:
            cards.append(card)
    return cards
