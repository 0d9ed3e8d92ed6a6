from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.conftest import Tree
from zhili.core.roles import Role
from zhili.orgs.models import User
from zhili.plans import services
from zhili.plans.models import Plan, Task


@pytest.fixture
def staff(personas: Tree, tree: Tree, make_user: Callable[..., User]) -> Tree:
    """The shared personas plus a director of the county center, a township officer of T2
    and the police's handler (personas.police)."""
    personas.director = make_user("director", tree.county, Role.CENTER_DIRECTOR)
    personas.t2 = make_user("t2officer", tree.t2, Role.TOWNSHIP_OFFICER)
    return personas


@pytest.fixture
def plan(staff: Tree) -> Plan:
    year = timezone.localdate().year
    return services.plan_create(actor=staff.director, year=year, title=f"{year}年度工作计划")


@pytest.fixture
def make_task(staff: Tree, tree: Tree, plan: Plan) -> Callable[..., Task]:
    def make(lead: Any = None, units: tuple[Any, ...] = (), days: int = 30, **kw: Any) -> Task:
        data = services.TaskInput(
            title=kw.pop("title", "乡镇综治中心规范化建设"),
            lead_unit=lead or tree.t1,
            due_on=timezone.localdate() + timedelta(days=days),
            units=list(units),
            milestones=kw.pop("milestones", ()),
        )
        return services.task_create(actor=staff.director, data=data, plan=plan, **kw)

    return make
