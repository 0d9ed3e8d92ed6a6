"""How the assessment reacts to other apps' events (listed in config/event_handlers.py)."""

import logging
from datetime import date
from decimal import Decimal

from django.urls import reverse

from zhili.assessment.models import Item
from zhili.assessment.services import ledger_post, scheme_create_default
from zhili.assessment.units import ranked_owner
from zhili.inspections.events import FindingPenalized
from zhili.orgs.models import Organization

log = logging.getLogger(__name__)

FINDINGS_ITEM = "inspection_findings"
REASON_LIMIT = 500  # LedgerEntry.reason


def within_item(points: Decimal, item: Item) -> tuple[Decimal, str]:
    """The points one posting may carry on `item`, and the note that says when they were cut.

    A finding's deduction is the inspectors' (0-100 on the finding) and a failed 复查 doubles
    it, but one posting never takes off more than the whole item is worth (the ledger refuses
    more): past the item's maximum it is posted at the maximum and the entry's reason says
    what it would have been. In the default scheme the item is worth the negative list's
    whole weight, and a catalog is kept within its weight where the scores are added up
    (zhili.assessment.selectors), so there the cap changes no score."""
    top = item.max_points
    if abs(points) <= top:
        return points, ""
    posted = top.copy_sign(points)
    return posted, f"（应扣{abs(points)}分，超过“{item.name}”满分{top}分，按{top}分计）"


def post_finding_deduction(event: FindingPenalized, **_: object) -> None:
    """A finding's points off its unit (at issue, and doubled at each failed re-check) go on
    the ledger once per finding and round, linking to the finding's page. Never refused: an
    event that fails here is retried for ever, so what the ledger cannot take is capped
    (`within_item`) or, with no such item in the year's scheme, logged and left."""
    unit = Organization.objects.filter(code=event.unit).first()
    points = Decimal(event.points)
    if unit is None or points == 0 or ranked_owner(unit) is None:
        return  # a self-assessment's gap takes nothing off; the county center is not ranked
    on = date.fromisoformat(event.on)
    scheme_create_default(actor=None, year=on.year)  # the year's scheme, made once if missing
    item = Item.objects.filter(scheme__year=on.year, code=FINDINGS_ITEM).first()
    if item is None:  # the county took the item out of this year's scheme
        log.warning("finding %s: no item %s in %s's scheme", event.number, FINDINGS_ITEM, on.year)
        return
    posted, note = within_item(points, item)
    ledger_post(
        actor=None,
        unit=unit,
        on=on,
        item_code=FINDINGS_ITEM,
        points=posted,
        reason=event.reason[: REASON_LIMIT - len(note)] + note,
        source_label=f"整改通知书 {event.number}"
        + (f"（第{event.round}次复查未通过）" if event.round else ""),
        source_url=reverse("inspections:detail", args=[event.number]),
        key=f"inspection-finding:{event.finding_id}:{event.round}",
    )
