"""The warnings' card on the home page (zhili.core.workcards, found by zhili.web's
autodiscovery): a leader's new red and orange warnings (新预警, zhili.warnings.notices), what
the user's unit must sign for and answer, and what the center has to review."""

from django.urls import reverse

from zhili.core.roles import Action, Role
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.core.workcards import Figure, WorkCard, register_card, roles_of, url
from zhili.warnings import selectors, workflow
from zhili.warnings.notices import LEADER_ROLES


def warnings_card(user: Actor) -> WorkCard | None:
    if not can(user, Action.WARNINGS_VIEW):
        return None
    roles = roles_of(user)
    counts = selectors.warning_work(user=user)
    figures = []
    if roles & LEADER_ROLES:
        figures.append(
            Figure(
                "新预警",
                counts["new"],
                url("warnings:list", state="all", new=1, grave=1),
                "alarm",
                "推送给您、尚未查看的红色和橙色预警",
            )
        )
    if roles & workflow.UNIT_ROLES and getattr(user, "organization", None) is not None:
        mine = {"mine": 1}
        figures += [
            Figure("待签收", counts["to_sign"], url("warnings:list", state="issued", **mine)),
            Figure("处置中", counts["to_answer"], url("warnings:list", state="signed", **mine)),
            Figure(
                "已超时",
                counts["late"],
                url("warnings:list", state="all", late=1, **mine),
                "alarm",
                "签收或答复已超过时限",
            ),
        ]
    if roles & workflow.CENTER_ROLES:
        figures.append(Figure("待审核", counts["to_close"], url("warnings:list", state="answered")))
    if not figures:
        return None
    return WorkCard("warnings", "预警", reverse("warnings:list"), figures)


register_card(115, Role.values, warnings_card)
