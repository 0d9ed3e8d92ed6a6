from datetime import date
from typing import Any

import pytest

from zhili.assessment.services import scheme_create_default
from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401  (fixtures)
from zhili.cases.tests.test_figures import month  # noqa: F401  (fixture: November 2026 of cases)
from zhili.core.roles import Role
from zhili.mediation.reports.tests.conftest import world  # noqa: F401  (fixture)
from zhili.mediation.reports.tests.test_rankings import mediations  # noqa: F401  (fixture)

YEAR = 2026


@pytest.fixture
def scheme(db: Any) -> Any:
    return scheme_create_default(actor=None, year=YEAR)


@pytest.fixture
def assessors(tree: Any, make_user: Any) -> Any:
    """Two of the county center's staff who keep the assessment (one proposes, one reviews)."""

    class Two:
        director = make_user("director", tree.county, Role.CENTER_DIRECTOR)
        analyst = make_user("analyst", tree.county, Role.ANALYST)

    return Two


def day(m: int, d: int) -> date:
    return date(YEAR, m, d)
