"""Every finding of 督 posts its deduction on the ledger, once per finding and round: its
points when issued, twice as many at each failed re-check; a delivery twice posts once."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zhili.assessment.handlers import post_finding_deduction
from zhili.assessment.models import LedgerEntry
from zhili.core.models import OutboxEvent
from zhili.core.outbox import deliver_pending
from zhili.inspections import services
from zhili.inspections.events import FindingPenalized
from zhili.inspections.tests.conftest import (  # noqa: F401 (fixtures)
    default_standards,
    finding_input,
    inspection,
    people,
    photo,
)

pytestmark = pytest.mark.any_day


def test_a_finding_and_its_failed_recheck_on_the_ledger(
    people: Any,  # noqa: F811
    inspection: Any,  # noqa: F811
    tree: Any,
) -> None:
    finding = services.finding_issue(
        actor=people.director, inspection=inspection, data=finding_input(tree), center=tree.county
    )
    services.finding_report(
        actor=people.secretary, finding=finding, report="已整改", evidence=[photo()]
    )
    services.finding_fail(
        actor=people.leader,
        finding=finding,
        reason="仍未到位",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    deliver_pending(worker_id="test")
    for row in OutboxEvent.objects.filter(name=FindingPenalized.name):  # delivered again
        post_finding_deduction(FindingPenalized(**row.payload))
    entries = LedgerEntry.objects.filter(item__code="inspection_findings").order_by("key")
    assert [(e.unit, e.points, e.key) for e in entries] == [
        (tree.t1, Decimal("-1.00"), f"inspection-finding:{finding.pk}:0"),
        (tree.t1, Decimal("-2.00"), f"inspection-finding:{finding.pk}:1"),
    ]
    assert entries[1].source_url == f"/inspections/findings/{finding.number}/"
    assert "第1次复查未通过" in entries[1].source_label
