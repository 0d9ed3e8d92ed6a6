"""Mobile fixtures: the grid worker of the shared tree works grid G111 of village V11; a second
worker works G121 of village V12."""

from typing import Any

import pytest

from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.conftest import Tree
from zhili.core.roles import Role
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"\x00" * 64


@pytest.fixture
def workers(staff: Tree, tree: Tree, make_user: Any) -> Tree:  # noqa: F811
    tree.g111.workers.add(staff.gridworker)
    other = make_user("gridworker2", tree.v12, Role.GRID_WORKER)
    tree.g121.workers.add(other)
    return Tree(me=staff.gridworker, other=other)


@pytest.fixture
def phone(client: Any, workers: Tree) -> Any:
    """A Django test client signed in as the grid worker."""
    client.force_login(workers.me)
    return client
