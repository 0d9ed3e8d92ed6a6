"""The petitions' card on the home page (zhili.core.workcards)."""

from django.urls import reverse

from zhili.core.roles import Action, Role
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.core.workcards import Figure, WorkCard, clock_figures, register_card, url
from zhili.petitions import selectors


def _details(user: Actor, counts: dict[str, int]) -> list[Figure]:
    """What the registering and approving officers have to do."""
    details = []
    if can(user, Action.PETITIONS_REGISTER):
        details += [
            Figure("待转送交办", counts["registered"], url("petitions:list", state="registered")),
            Figure(
                "异议待核实",
                counts["hand_back"],
                url("petitions:list", state="hand_back_requested"),
            ),
        ]
    if can(user, Action.PETITIONS_APPROVE):
        link = url("petitions:list", pending_extension=1)
        details.append(Figure("待审批延期", counts["pending_extension"], link))
    return details


def petitions(user: Actor) -> WorkCard | None:
    if not can(user, Action.PETITIONS_VIEW):
        return None
    counts = selectors.petition_work(user=user)
    clock = clock_figures(counts, lambda **q: url("petitions:list", **q))
    return WorkCard(
        "petitions",
        "信访事项",
        reverse("petitions:list"),
        [
            Figure("在办", counts["open"], url("petitions:list", due="open"), hint="时限计算中"),
            *clock,
        ],
        _details(user, counts),
    )


R = Role
register_card(
    80,
    {
        R.PETITION_OFFICER,
        R.DEPARTMENT_HANDLER,
        R.TOWNSHIP_SECRETARY,
        R.TOWNSHIP_OFFICER,
        R.UNIT_HEAD,
        R.COUNTY_LEADER,
        R.ANALYST,
        R.CENTER_DIRECTOR,
    },
    petitions,
)
