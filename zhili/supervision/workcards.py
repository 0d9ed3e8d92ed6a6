"""The supervision orders' card on the home page (zhili.core.workcards): what the user's unit
has to answer, and what the center has to review."""

from django.urls import reverse

from zhili.core.roles import Action, Role
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.core.workcards import Figure, WorkCard, register_card, roles_of, url
from zhili.supervision import selectors, workflow


def _to_answer(counts: dict[str, int]) -> list[Figure]:
    unit = {"state": "issued", "side": "unit"}
    return [
        Figure("待答复", counts["to_answer"], url("supervision:list", **unit)),
        Figure(
            "今日到期",
            counts["due_today"],
            url("supervision:list", **unit, due_today=1),
            "warn",
            "答复时限在今天内",
        ),
        Figure(
            "已超期",
            counts["late"],
            url("supervision:list", **unit, overdue=1),
            "alarm",
            "答复已超时",
        ),
    ]


def _to_close(counts: dict[str, int]) -> Figure:
    link = url("supervision:list", state="answered", side="center")
    return Figure("待审核办结", counts["to_close"], link)


def supervision(user: Actor) -> WorkCard | None:
    if not can(user, Action.SUPERVISION_VIEW):
        return None
    roles = roles_of(user)
    counts = selectors.order_work(user=user)
    answers = bool(roles & workflow.HANDLERS) and getattr(user, "organization", None) is not None
    figures = _to_answer(counts) if answers else []
    if roles & workflow.CENTER_ROLES:
        figures.append(_to_close(counts))
    if not figures:
        return None
    return WorkCard("supervision", "督办单", reverse("supervision:list"), figures)


register_card(110, Role.values, supervision)
