"""The disputes' cards on the home page (zhili.core.workcards): the disputes in the user's
hands or area, and the risk alerts pushed to the user's unit."""

from django.urls import reverse

from zhili.core.roles import Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workcards import Figure, WorkCard, register_card, total, url
from zhili.mediation import selectors

WAITING = (("registered", "待受理"), ("accepted", "已受理待调解"), ("mediating", "调解中"))


def _confirm_soon(counts: dict[str, int]) -> Figure:
    return Figure(
        "司法确认将届满",
        counts["confirm_soon"],
        reverse("mediation:confirmations"),
        "warn",
        "申请司法确认的期限已到提醒日",
    )


def _dispute_figures(counts: dict[str, int], waiting: list[Figure], mediates: bool) -> list[Figure]:
    return [
        total("待办" if mediates else "在办", waiting, reverse("mediation:list")),
        Figure(
            "今日到期",
            counts["due_today"],
            url("mediation:list", due_today=1),
            "warn",
            "办理目标为今天",
        ),
        Figure(
            "已超期",
            counts["late"],
            url("mediation:list", late=1),
            "alarm",
            "超过办理目标（黄色提醒）",
        ),
    ]


def disputes(user: Actor) -> WorkCard | None:
    if not can(user, Action.DISPUTES_VIEW):
        return None
    mediates = can(user, Action.DISPUTES_MEDIATE)
    counts = selectors.dispute_work(user=user, confirmations=mediates)
    waiting = [
        Figure(label, counts[key], url("mediation:list", state=key)) for key, label in WAITING
    ]
    details = [*waiting, _confirm_soon(counts)] if mediates else list(waiting)
    place = "全县" if scope_for(user).everything else "辖区"
    return WorkCard(
        "disputes",
        "矛盾纠纷调解" if mediates else f"矛盾纠纷 · {place}",
        reverse("mediation:list"),
        _dispute_figures(counts, waiting, mediates),
        details,
    )


def risk_alerts(user: Actor) -> WorkCard | None:
    unsigned = selectors.risk_alerts_unsigned(user=user)
    alerts = reverse("mediation:alerts")
    return WorkCard(
        "risk-alerts",
        "矛盾纠纷风险预警",
        alerts,
        [Figure("待签收", unsigned, alerts, "alarm", "推送给本单位的风险预警")],
    )


R = Role
register_card(
    60,
    {
        R.MEDIATOR,
        R.MEDIATION_CHAIR,
        R.COUNTY_LEADER,
        R.ANALYST,
        R.CENTER_DIRECTOR,
        R.TOWNSHIP_SECRETARY,
        R.TOWNSHIP_OFFICER,
        R.VILLAGE_OFFICER,
    },
    disputes,
)
register_card(70, {R.PETITION_OFFICER, R.DEPARTMENT_HANDLER}, risk_alerts)
