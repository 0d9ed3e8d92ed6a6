"""回头看: closed cases drawn 30 and 90 days on, reproducibly, and checked for recurrence at
the same address and category; a recurrence opens a finding against the handling unit."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.cases.models import Case, State
from zhili.inspections.lookback import drawn, lookback_run
from zhili.inspections.models import Finding, InspectionKind, LookbackSample

pytestmark = pytest.mark.any_day


def test_the_draw_is_a_fixed_share_and_reproducible() -> None:
    numbers = [f"20261201{n:05d}" for n in range(20000)]
    picked = [n for n in numbers if drawn(n, 0.1)]
    assert 0.09 < len(picked) / len(numbers) < 0.11
    assert picked == [n for n in numbers if drawn(n, 0.1)]
    assert all(drawn(n, 1.0) for n in numbers[:100])


def _closed(register: Any, days_ago: int, unit: Any, **fields: Any) -> Case:
    case = register(address="甲镇幸福路8号", **fields)
    at = timezone.now() - timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(
        state=State.CLOSED, closed_at=at, registered_at=at - timedelta(days=2), lead_unit=unit
    )
    case.refresh_from_db()
    return case


def test_a_recurrence_is_found_and_followed_up(
    register: Any, tree: Any, settings: Any, people: Any, catalog: Any
) -> None:
    settings.ZHILI_LOOKBACK_SHARE = 1.0  # every closed case drawn: the check is the point here
    settled = _closed(register, 30, tree.t1, title="路灯不亮", category=catalog.lamp)
    came_back = _closed(register, 90, tree.t1, title="噪音扰民")
    later = register(address="甲镇幸福路8号", title="噪音又来了")
    Case.objects.filter(pk=later.pk).update(registered_at=timezone.now() - timedelta(days=40))
    result = lookback_run()
    samples = {s.case_id: s for s in LookbackSample.objects.all()}
    assert set(samples) == {settled.pk, came_back.pk}
    assert result.drawn == 2
    # Noise came back at the address 50 days after the 90-day case closed; the lamp, at the
    # same address (the noise case is another category), did not.
    assert samples[came_back.pk].recurrences == [later.case_no]
    assert not samples[settled.pk].recurred and result.recurred == 1
    finding = Finding.objects.get()
    assert finding.unit == tree.t1 and came_back.case_no in finding.problem
    assert finding.inspection.kind == InspectionKind.LOOKBACK
    assert finding.unit_leader == "陈书记"  # 甲镇's secretary on the platform
    # A second run draws nothing again.
    assert lookback_run().drawn == 0 and Finding.objects.count() == 1
