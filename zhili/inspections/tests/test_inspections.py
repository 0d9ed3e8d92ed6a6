"""Inspections (督查): a joint one needs a team of several units; who sees which."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.core.errors import Forbidden, InvalidInput
from zhili.inspections import selectors, services
from zhili.inspections.models import Inspection

pytestmark = pytest.mark.any_day


def _data(tree: Any, **overrides: Any) -> services.InspectionInput:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "kind": "special",
        "title": "矛盾纠纷排查化解专项督查",
        "basis": "",
        "starts_on": today,
        "ends_on": today + timedelta(days=2),
        "team": [tree.county.code],
        "targets": [tree.t1.code],
    }
    return services.InspectionInput(**(values | overrides))


def test_an_inspection_with_its_team_targets_and_checklist(
    inspection: Inspection, tree: Any
) -> None:
    assert inspection.number.startswith(f"DC{timezone.localdate().year}-")
    assert set(inspection.team.values_list("code", flat=True)) == {tree.county.code, tree.gaj.code}
    assert [i.item_code for i in inspection.items.all()] == ["dispute_rate", ""]


def test_bad_inspections_are_refused_naming_the_field(people: Any, tree: Any) -> None:
    today = timezone.localdate()
    cases = {
        "team": _data(tree, kind="joint"),  # a joint inspection of one unit
        "targets": _data(tree, targets=["NO-SUCH"]),
        "ends_on": _data(tree, ends_on=today - timedelta(days=1)),
        "kind": _data(tree, kind="party"),
        "title": _data(tree, title="  "),
    }
    for field, data in cases.items():
        with pytest.raises(InvalidInput) as refused:
            services.inspection_create(actor=people.director, data=data)
        assert refused.value.field == field
    with pytest.raises(Forbidden):
        services.inspection_create(actor=people.secretary, data=_data(tree))
    assert not Inspection.objects.exists()


def test_who_sees_an_inspection(inspection: Inspection, people: Any) -> None:
    seen = {
        name: selectors.inspection_list(user=getattr(people, name))
        .filter(pk=inspection.pk)
        .exists()
        for name in ("leader", "secretary", "t2_officer", "police", "gridworker")
    }
    # 甲镇 and 乙乡 are inspected; the police department is on the team (zhili/inspections/
    # tests/test_team.py); grid workers hold no inspections.
    assert seen == {
        "leader": True,
        "secretary": True,
        "t2_officer": True,
        "police": True,
        "gridworker": False,
    }
