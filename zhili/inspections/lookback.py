"""回头看: closed cases drawn at random 30 and 90 days after their closure and checked for
recurrence, as the inspectors would do by hand.

- **Drawn:** every day, of the cases closed `after_days` ago (the day and the six before it,
  so a day the scheduler missed is caught up), the share `ZHILI_LOOKBACK_SHARE` (10 % by
  default). The draw hashes the case number, so it is the same on every run and on every
  machine: a sample can be checked again, never chosen by hand.
- **Checked:** the case recurred when a later case was registered, after its closure and up to
  the sample's day, at the same address and of the same category: the definition of the early
  warning's rule (d) (假性整改), looked at from the closed case forward.
- **Followed up:** a recurrence opens a finding against the unit that handled the case, in the
  month's 回头看 inspection (created by the platform when the month has none).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from zhili.cases.models import Case
from zhili.cases.routing import county_center
from zhili.core.dates import period_bounds
from zhili.inspections.models import Finding, Inspection, InspectionKind, LookbackSample
from zhili.inspections.services import FindingInput, finding_issue, inspection_number
from zhili.orgs.models import Organization
from zhili.orgs.selectors import unit_head

OFFSETS = (30, 90)
CATCH_UP_DAYS = 7
RECTIFY_DAYS = 15  # the deadline of a recurrence's finding


def drawn(case_no: str, share: float) -> bool:
    """Whether the case is in the sample: its number's hash below the share."""
    digest = hashlib.sha256(case_no.encode()).digest()
    return int.from_bytes(digest[:4], "big") < share * 2**32


@dataclass
class LookbackResult:
    drawn: int = 0
    recurred: int = 0


def lookback_run(*, today: date | None = None) -> LookbackResult:
    """Draw and check today's samples (idempotent: a case is drawn once per offset)."""
    today = today or timezone.localdate()
    share = float(getattr(settings, "ZHILI_LOOKBACK_SHARE", 0.1))
    result = LookbackResult()
    for after in OFFSETS:
        begin, stop = period_bounds(
            today - timedelta(days=after + CATCH_UP_DAYS - 1), today - timedelta(days=after)
        )
        closed = (
            Case.objects.filter(closed_at__gte=begin, closed_at__lt=stop)
            .exclude(Exists(LookbackSample.objects.filter(case=OuterRef("pk"), after_days=after)))
            .select_related("category", "lead_unit")
        )
        for case in closed.iterator(chunk_size=500):
            if drawn(case.case_no, share):
                result.drawn += 1
                result.recurred += _check(case, after, today)
    return result


def recurrences(case: Case, until: datetime) -> list[str]:
    """The later cases at the case's address and of its category, registered after its
    closure and before `until`."""
    if not case.address or case.closed_at is None:
        return []
    rows = Case.objects.filter(
        address=case.address,
        category_id=case.category_id,
        registered_at__gt=case.closed_at,
        registered_at__lt=until,
    ).exclude(pk=case.pk)
    return list(rows.order_by("registered_at").values_list("case_no", flat=True))


def _check(case: Case, after: int, today: date) -> int:
    later = recurrences(case, period_bounds(today, today)[1])
    unit = case.lead_unit
    try:
        with transaction.atomic():
            sample = LookbackSample.objects.create(
                case=case,
                after_days=after,
                recurred=bool(later),
                recurrences=later,
                unit_path=unit.path if unit else case.dispatch_path,
            )
            if later and unit is not None:
                sample.finding = _finding(case, unit, after, later, today)
                sample.save(update_fields=["finding"])
    except IntegrityError:  # drawn by another run at the same moment
        return 0
    return int(bool(later))


def _finding(case: Case, unit: Organization, after: int, later: list[str], today: date) -> Finding:
    center = county_center()
    inspection = month_inspection(today)
    inspection.targets.add(unit)
    numbers = "、".join(later[:10])
    data = FindingInput(
        unit=unit.code,
        problem=(
            f"回头看（办结后 {after} 天）：工单 {case.case_no}“{case.title}”办结后，"
            f"同一地址（{case.address}）又发生同类“{case.category.name}”事项 {len(later)} 件"
            f"（{numbers}），疑似整改不实。"
        ),
        requirement="核查原工单办理实效，查明复发原因，彻底解决并报送整改报告及佐证材料。",
        due_on=today + timedelta(days=RECTIFY_DAYS),
        unit_leader=unit_head(unit),
    )
    return finding_issue(actor=None, inspection=inspection, data=data, center=center)


def month_inspection(today: date) -> Inspection:
    """The month's 回头看 inspection, created by the platform on its first recurrence; every
    unit it opens a finding for is added to its targets."""
    title = f"{today:%Y年%m月}已办结工单回头看"
    found = Inspection.objects.filter(kind=InspectionKind.LOOKBACK, title=title).first()
    if found is not None:
        return found
    center = county_center()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return Inspection.objects.create(
        number=inspection_number(),
        kind=InspectionKind.LOOKBACK,
        title=title,
        basis="对办结满 30 天、90 天的工单按比例随机抽查，核查同址同类事项是否复发。",
        center=center,
        center_path=center.path,
        starts_on=first,
        ends_on=last,
    )
