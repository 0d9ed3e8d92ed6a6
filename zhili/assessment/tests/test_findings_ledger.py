"""Every finding of 督 posts its deduction on the ledger, once per finding and round: its
points when issued, twice as many at each failed re-check; a delivery twice posts once."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zhili.assessment.handlers import post_finding_deduction
from zhili.assessment.models import Item, LedgerEntry
from zhili.assessment.services import scheme_create_default
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


def test_a_deduction_past_the_items_maximum_is_posted_at_it_and_says_so(
    people: Any,  # noqa: F811
    inspection: Any,  # noqa: F811
    tree: Any,
) -> None:
    """A deduction the ledger cannot take whole (more than the item is worth, or doubled past
    it by a failed 复查) is posted at the item's maximum with the cut in its reason, and the
    event is delivered, not retried for ever."""
    year = timezone.localdate().year
    scheme_create_default(actor=None, year=year)
    item = Item.objects.get(scheme__year=year, code="inspection_findings")
    top = item.max_points
    within = (top * 3 / 4).quantize(Decimal("0.01"))  # fits alone, not doubled
    fits = services.finding_issue(
        actor=people.director,
        inspection=inspection,
        data=finding_input(tree, deduction=within),
        center=tree.county,
    )
    past = services.finding_issue(
        actor=people.director,
        inspection=inspection,
        data=finding_input(tree, deduction=top + 1),
        center=tree.county,
    )
    services.finding_report(
        actor=people.secretary, finding=fits, report="已整改", evidence=[photo()]
    )
    services.finding_fail(
        actor=people.leader,
        finding=fits,
        reason="仍未到位",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    deliver_pending(worker_id="test")
    events = OutboxEvent.objects.filter(name=FindingPenalized.name)
    assert events.count() == 3
    assert not events.filter(delivered_at__isnull=True).exists()
    assert not events.exclude(last_error="").exists()
    posted = {e.key: e for e in LedgerEntry.objects.filter(item=item).order_by("key")}
    alone = posted[f"inspection-finding:{fits.pk}:0"]
    assert alone.points == -within and "按" not in alone.reason
    doubled = posted[f"inspection-finding:{fits.pk}:1"]
    assert doubled.points == -top
    assert f"应扣{within * 2}分" in doubled.reason and f"满分{top}分，按{top}分计" in doubled.reason
    issued = posted[f"inspection-finding:{past.pk}:0"]
    assert issued.points == -top and f"应扣{(top + 1).quantize(Decimal('0.01'))}分" in issued.reason


def test_no_item_in_the_years_scheme_posts_nothing_and_fails_nothing(
    people: Any,  # noqa: F811
    inspection: Any,  # noqa: F811
    tree: Any,
) -> None:
    """A county that took the item out of its scheme: the deduction has nowhere to go; the
    event is still delivered (a failing handler would be retried for ever)."""
    scheme_create_default(actor=None, year=timezone.localdate().year)
    LedgerEntry.objects.all().delete()
    Item.objects.filter(code="inspection_findings").delete()
    services.finding_issue(
        actor=people.director, inspection=inspection, data=finding_input(tree), center=tree.county
    )
    deliver_pending(worker_id="test")
    event = OutboxEvent.objects.get(name=FindingPenalized.name)
    assert event.delivered_at is not None and event.last_error == ""
    assert not LedgerEntry.objects.exists()
