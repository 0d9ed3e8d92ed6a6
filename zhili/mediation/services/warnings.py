"""The judicial-confirmation window closing unused: on day 25 of 30 after the agreement took
effect with no application, the agreement is stamped (`confirmation_warned_at`) and the
dossier's timeline says so; the confirmations page lists the warned agreements."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.mediation.models import Agreement
from zhili.mediation.services.common import timeline
from zhili.mediation.workflow import AFTER_AGREEMENT


@transaction.atomic
def confirmation_warn_due(*, now: datetime | None = None) -> int:
    """Warn every agreement whose 25th day has come without an application; returns how
    many. Idempotent: an agreement is warned once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Agreement.objects.select_for_update(skip_locked=True)
        .filter(
            confirmation_warn_on__lte=today,
            confirmation_due__gte=today,
            confirmation_applied_at__isnull=True,
            confirmation_warned_at__isnull=True,
            dispute__state__in=AFTER_AGREEMENT,
        )
        .select_related("dispute")
    )
    count = 0
    for agreement in due:
        left = (agreement.confirmation_due - today).days
        agreement.confirmation_warned_at = now
        agreement.save(update_fields=["confirmation_warned_at"])
        dispute = agreement.dispute
        note = (
            f"司法确认申请期限将于{agreement.confirmation_due:%Y年%m月%d日}届满(还剩{left}天),"
            "当事人尚未申请,请提醒当事人及时共同向人民法院申请"
        )
        timeline(dispute, "confirmation_warning", dispute.state, dispute.state, None, note)
        audit(
            None,
            "mediation.agreement.confirmation_warning",
            dispute,
            due=str(agreement.confirmation_due),
        )
        count += 1
    return count
