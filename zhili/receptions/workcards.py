"""The receptions' cards on the home page (zhili.core.workcards): a leader's receptions and
cases owned, and the petition office's view of the leaders' cases."""

from django.urls import reverse

from zhili.core.roles import Action, Role
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.core.workcards import Figure, WorkCard, register_card, url
from zhili.receptions import selectors


def receptions_leader(user: Actor) -> WorkCard | None:
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
    if not can(user, Action.RECEPTIONS_MANAGE):
        return None
    counts = selectors.ownership_work(user=user)
    return WorkCard(
        "receptions-manage",
        "领导包案",
        reverse("receptions:ownerships"),
        [
            Figure("包案中", counts["active"], url("receptions:ownerships", state="active")),
            Figure(
                "包案已超期",
                counts["overdue"],
                url("receptions:ownerships", state="overdue"),
                "alarm",
            ),
        ],
    )


register_card(90, {Role.COUNTY_LEADER, Role.TOWNSHIP_SECRETARY}, receptions_leader)
register_card(100, {Role.PETITION_OFFICER}, receptions_manage)
