"""The warnings the hourly task writes (zhili.mediation.tasks):

- the judicial-confirmation window closing unused: on its day 25 (deadlines.py) with no
  application, the agreement is stamped (`confirmation_warned_at`) and the dossier's timeline
  says how many days are left to the last day (moved past a holiday); the confirmations page
  lists the warned agreements;
- (not a warning, but the same sweep of open windows) `confirmation_windows_recompute`: when
  a year's official holiday arrangement becomes known (the event `core.calendar_changed`,
  zhili.mediation.handlers), every open window computed on a provisional calendar in that
  year is computed again and its dossier says so;
- the handling target passed: a dispute accepted and still being mediated after its target
  (`Dispute.handling_due`) gets a yellow warning, once (`handling_warned_at`) and on its
  timeline. It is a warning to the committee only: no supervision order is opened, and no
  event that would open one is emitted.
"""

from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.bulk import sweep_rows
from zhili.core.dossier import record_history
from zhili.mediation import deadlines
from zhili.mediation.models import Agreement, Dispute
from zhili.mediation.services.agreements import due_text, set_window
from zhili.mediation.workflow import AFTER_AGREEMENT, KIND, TARGET_STATES


def _note_on(dispute: Dispute, action: str, note: str) -> None:
    """A line of the platform's own on the dossier's timeline; the state stays."""
    state = dispute.state
    record_history(KIND, dispute, action, from_state=state, to_state=state, actor=None, note=note)


def _unapplied_windows(*, skip_locked: bool, **filters: date | bool) -> QuerySet[Agreement]:
    """The agreements (locked) whose judicial confirmation nobody applied for, their dispute
    still past the agreement, narrowed by `filters`."""
    return (
        Agreement.objects.select_for_update(skip_locked=skip_locked)
        .filter(
            confirmation_applied_at__isnull=True,
            dispute__state__in=AFTER_AGREEMENT,
            **filters,
        )
        .select_related("dispute")
    )


@transaction.atomic
def confirmation_warn_due(*, now: datetime | None = None) -> int:
    """Warn every agreement whose 25th day has come without an application; returns how
    many. Idempotent: an agreement is warned once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = _unapplied_windows(
        skip_locked=True,
        confirmation_warn_on__lte=today,
        confirmation_due__gte=today,
        confirmation_warned_at__isnull=True,
    )
    return sweep_rows(due, lambda agreement: _warn(agreement, today, now))


def _warn(agreement: Agreement, today: date, now: datetime) -> None:
    assert agreement.confirmation_due is not None
    left = (agreement.confirmation_due - today).days
    agreement.confirmation_warned_at = now
    agreement.save(update_fields=["confirmation_warned_at"])
    note = (
        f"司法确认申请期限将于{due_text(agreement)}届满（还剩{left}天），"
        "当事人尚未申请，请提醒当事人及时共同向人民法院申请"
    )
    _agreement_note(agreement, "confirmation_warning", note)


def _agreement_note(agreement: Agreement, action: str, note: str, **extra: object) -> None:
    """A line on the agreement's dispute's timeline and its audit row, by the system."""
    dispute = agreement.dispute
    _note_on(dispute, action, note)
    due = str(agreement.confirmation_due)
    audit(None, f"mediation.agreement.{action}", dispute, due=due, **extra)


def overdue(today: date | None = None) -> dict[str, object]:
    """The filter of disputes past their handling target (for lists and the sweep)."""
    return {
        "state__in": TARGET_STATES,
        "handling_due__lt": today or timezone.localdate(),
    }


@transaction.atomic
def handling_warn_due(*, now: datetime | None = None) -> int:
    """Give the yellow warning to every dispute past its handling target; returns how many.
    Idempotent: a dispute is warned once per target (a new target clears the stamp)."""
    now = now or timezone.now()
    late = (
        Dispute.objects.select_for_update(skip_locked=True)
        .filter(**overdue(timezone.localdate(now)), handling_warned_at__isnull=True)
        .order_by("handling_due", "id")
    )
    return sweep_rows(late, lambda dispute: _warn_late(dispute, now))


def _warn_late(dispute: Dispute, now: datetime) -> None:
    assert dispute.handling_due is not None
    Dispute.objects.filter(pk=dispute.pk).update(handling_warned_at=now)
    note = (
        f"黄牌提醒：已超过办理目标（{deadlines.target_text()}，"
        f"{dispute.handling_due:%Y年%m月%d日}），纠纷尚未调结，请抓紧调解"
    )
    _note_on(dispute, "target_warning", note)
    audit(None, "mediation.dispute.target_warning", dispute, due=str(dispute.handling_due))


def _touches(agreement: Agreement, years: set[int]) -> bool:
    assert agreement.effective_at is not None and agreement.confirmation_due is not None
    first = timezone.localdate(agreement.effective_at).year
    return any(y in years for y in range(first, agreement.confirmation_due.year + 1))


@transaction.atomic
def confirmation_windows_recompute(*, years: list[int]) -> int:
    """The official holiday arrangement of `years` is known now: recompute every open
    judicial-confirmation window computed on a provisional calendar that spans one of those
    years, with a timeline entry for each; returns how many. A window already applied for or
    past is left as it was."""
    wanted = set(years)
    today = timezone.localdate()
    open_windows = _unapplied_windows(
        skip_locked=False,
        confirmation_provisional=True,
        effective_at__isnull=False,
        confirmation_due__gte=today,
    )
    return sweep_rows(
        open_windows,
        lambda agreement: _recompute(agreement, wanted),
        keep=lambda agreement: _touches(agreement, wanted),
    )


def _recompute(agreement: Agreement, years: set[int]) -> None:
    before = due_text(agreement)
    set_window(agreement)
    agreement.save(
        update_fields=["confirmation_due", "confirmation_warn_on", "confirmation_provisional"]
    )
    after = due_text(agreement)
    named = "、".join(f"{y}年" for y in sorted(years))
    change = f"由{before}改为{after}" if before != after else f"仍为{after}"
    note = f"{named}节假日安排已正式确定，重新计算司法确认申请期限：{change}"
    _agreement_note(agreement, "confirmation_recomputed", note, years=sorted(years))
