"""The register tests' fixtures: the shared tree's personas, a grid worker per grid of V11,
an officer of the other township and the special groups' working roles."""

from typing import Any

import pytest

from zhili.core.personal import id_number_check_digit
from zhili.core.roles import Role


def id_number(region: str = "320722", born: str = "19800101", seq: str = "123") -> str:
    first = region + born + seq
    return first + id_number_check_digit(first)


ID = id_number()


class People:
    def __init__(self, **kw: Any):
        self.__dict__.update(kw)


@pytest.fixture
def people(personas: Any, tree: Any, make_user: Any) -> People:
    tree.g111.workers.add(personas.gridworker)
    other_worker = make_user("gridworker2", tree.v11, Role.GRID_WORKER)
    tree.g112.workers.add(other_worker)
    return People(
        **personas.__dict__,
        tree=tree,
        other_worker=other_worker,
        other_township=make_user("township2", tree.t2, Role.TOWNSHIP_OFFICER),
        judicial=make_user("judicial", tree.county, Role.JUDICIAL_OFFICER),
        health=make_user("health", tree.county, Role.HEALTH_OFFICER),
    )
