"""The incidents demo: the plans of issue 16 and a few open incidents with dispatches; fast,
idempotent, with progress."""

import io
import time
from typing import Any

from config.demo import DEMO_LOADERS
from zhili.cases.demo.loader import ensure_catalog
from zhili.forces import demo as forces_demo
from zhili.incidents import demo
from zhili.incidents.models import Dispatch, Incident, Plan, Task
from zhili.orgs.demo import load as load_orgs


def test_registered_after_the_forces() -> None:
    assert DEMO_LOADERS.index("zhili.incidents.demo.load") > DEMO_LOADERS.index(
        "zhili.forces.demo.load"
    )


def test_the_demo_makes_plans_and_incidents_once(db: Any) -> None:
    load_orgs(stdout=io.StringIO())
    ensure_catalog()
    forces_demo.load(stdout=io.StringIO())
    out = io.StringIO()
    started = time.monotonic()
    first = demo.load(stdout=out)
    assert time.monotonic() - started < 10
    assert [line[:5] for line in out.getvalue().splitlines()] == ["[1/2]", "[2/2]"]
    crowd = Plan.objects.get(code="YA-QTJJ")
    assert list(crowd.steps.values_list("role", flat=True)) == ["公安", "信访", "乡镇", "宣传"]
    assert Plan.objects.count() == len(demo.PLANS)
    assert first["created"] == Incident.objects.count() == len(demo.INCIDENTS)
    assert Task.objects.filter(team__isnull=False).exists()
    assert first["dispatches"] == Dispatch.objects.count() > 0
    again = demo.load(stdout=io.StringIO())
    assert again["created"] == 0 and Incident.objects.count() == len(demo.INCIDENTS)
