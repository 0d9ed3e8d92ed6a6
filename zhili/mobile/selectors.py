"""Every read of the grid worker's phone app, scoped to the user.

"My grid's cases" are the cases that the user may see (`case_scope`) and that lie in a grid
the user works in (as grid worker or grid leader), plus every case the user reported, wherever
its point lies (`case_scope` lets a reporter read what they reported).
"""

import uuid

from django.db.models import Q, QuerySet

from zhili.cases.models import Case
from zhili.cases.selectors import case_list, reported_by
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.forces.selectors import force_of
from zhili.mobile.models import Patrol
from zhili.orgs.models import Grid


def may_use_app(user: Actor) -> bool:
    """The phone app is a grid worker's or grid leader's (mobile.use), and the handheld of
    every user linked to a force (处置力量), whatever their role."""
    return can(user, Action.MOBILE_USE) or force_of(user) is not None


OPEN_STATES = ("registered", "dispatched", "acknowledged", "in_progress", "replied", "returned")


def my_grids(*, user: Actor) -> QuerySet[Grid]:
    if not getattr(user, "is_authenticated", False):
        return Grid.objects.none()
    ids = Grid.objects.filter(Q(workers=user) | Q(leader=user)).values("pk")
    return Grid.objects.filter(pk__in=ids).select_related("village").order_by("code")


def my_grid_cases(*, user: Actor) -> QuerySet[Case]:
    """Newest first; `case_list` applies the org scope before the grid filter."""
    mine = Q(grid__in=my_grids(user=user)) | reported_by(user)
    return case_list(user=user).filter(mine).order_by("-registered_at", "-id")


def my_reports(*, user: Actor) -> QuerySet[Case]:
    """The cases the user reported (我上报的), inside their grids or not, newest first."""
    return case_list(user=user).filter(reported_by(user)).order_by("-registered_at", "-id")


def my_grid_case_get(*, user: Actor, case_no: str) -> Case:
    return one_or_not_found(my_grid_cases(user=user), "工单不存在", case_no=case_no)


def my_patrols(*, user: Actor) -> QuerySet[Patrol]:
    return Patrol.objects.filter(worker=user.pk).select_related("grid")


def my_patrol_get(*, user: Actor, client_id: uuid.UUID) -> Patrol:
    """A patrol of the user's own; another worker's patrol is "not found"."""
    return one_or_not_found(my_patrols(user=user), "巡查记录不存在", client_id=client_id)
