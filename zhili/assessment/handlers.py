"""How the assessment reacts to other apps' events (listed in config/event_handlers.py)."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from zhili.assessment.services import ledger_post, scheme_create_default
from zhili.assessment.units import ranked_owner
from zhili.inspections.events import FindingPenalized
from zhili.orgs.models import Organization

FINDINGS_ITEM = "inspection_findings"


def post_finding_deduction(event: FindingPenalized, **_: object) -> None:
    """A finding's points off its unit (at issue, and doubled at each failed re-check) go on
    the ledger once per finding and round, linking to the finding's page."""
    unit = Organization.objects.filter(code=event.unit).first()
    if unit is None or Decimal(event.points) == 0 or ranked_owner(unit) is None:
        return  # a self-assessment's gap takes nothing off; the county center is not ranked
    on = date.fromisoformat(event.on)
    scheme_create_default(actor=None, year=on.year)  # the year's scheme, made once if missing
    ledger_post(
        actor=None,
        unit=unit,
        on=on,
        item_code=FINDINGS_ITEM,
        points=Decimal(event.points),
        reason=event.reason,
        source_label=f"整改通知书 {event.number}"
        + (f"（第{event.round}次复查未通过）" if event.round else ""),
        source_url=reverse("inspections:detail", args=[event.number]),
        key=f"inspection-finding:{event.finding_id}:{event.round}",
    )
