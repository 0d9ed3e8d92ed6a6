"""The warnings demo: over the registers demo's residents, a grid's visits fallen behind raise
the overdue-visit warning; loading again adds nothing."""

import io
from typing import Any

import pytest

from config.demo import DEMO_LOADERS
from zhili.orgs.demo import load as load_orgs
from zhili.registers import demo as registers_demo
from zhili.registers.models import PersonRole
from zhili.warnings import demo
from zhili.warnings.models import RuleKind, Warning

pytestmark = pytest.mark.any_day


def test_registered_after_the_people_register() -> None:
    assert DEMO_LOADERS.index("zhili.warnings.demo.load") > DEMO_LOADERS.index(
        "zhili.registers.demo.load"
    )


def test_a_grids_late_visits_raise_their_warning_once(db: Any) -> None:
    load_orgs(stdout=io.StringIO())
    registers_demo.load(stdout=io.StringIO())
    out = io.StringIO()
    demo.load(stdout=out)
    assert "走访逾期的列管人员 2 人" in out.getvalue()
    warning = Warning.objects.get(kind=RuleKind.VISIT_OVERDUE)
    assert warning.count == 2 and "特殊人群 1 人" in warning.summary
    assert warning.unit.path == f"/320722/{registers_demo.TOWNSHIP}/"
    roles = PersonRole.objects.count()
    demo.load(stdout=io.StringIO())
    assert PersonRole.objects.count() == roles
    assert Warning.objects.filter(kind=RuleKind.VISIT_OVERDUE).count() == 1
