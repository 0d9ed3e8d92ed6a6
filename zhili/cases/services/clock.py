"""Recomputing a case's deadlines when a provisional year of the calendar becomes official.

A deadline counted through a year whose holidays were not yet published is provisional
(`Case.due_provisional`). When the year's arrangement is entered, or a newer chinese-calendar
learns it, `core.calendar_changed` reaches `cases_recompute_provisional`: every case whose
clock runs on a provisional deadline is recomputed from what its clock was counted from
(`clock_from`, and `clock_seconds` after a resume), as if the official calendar had been
known then. Each change leaves a timeline row and an audit row. Cards follow the new
deadlines: one that fell too early is withdrawn here; one that is now due falls at the
scheduler's next sweep (zhili.cases.sweep), with its usual events.
A suspended case keeps its flag until it resumes: its time left is counted on the calendar
of that day.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from zhili.cases import deadlines, live, workflow
from zhili.cases.models import Card, Case
from zhili.cases.services.common import history
from zhili.core import workcal
from zhili.core.audit import audit

RECOMPUTE_ACTION = "recompute"
_RANK: dict[str, int] = {Card.NONE: 0, Card.YELLOW: 1, Card.RED: 2}


def _recomputed(case: Case) -> deadlines.Clock:
    assert case.clock_from is not None
    if case.clock_seconds is None:
        return deadlines.start_clock(
            case.category, case.urgency, case.clock_from, case.imposed_due_at
        )
    left = timedelta(seconds=case.clock_seconds)
    return deadlines.resume_clock(case.clock_from, left, calendar=case.calendar_clock)


def _cards(case: Case, clock: deadlines.Clock, now: datetime) -> dict[str, object]:
    """The card and the next moment to look again, for the new deadlines. A card is only
    withdrawn here; raising one is the sweep's job."""
    deserved = deadlines.card_at(now, warn_at=clock.warn_at, due_at=clock.due_at)
    card: str = case.card or Card.NONE
    changes: dict[str, object] = {}
    if _RANK[deserved] < _RANK[card]:
        card = deserved
        changes = {"card": card, "card_at": now if card != Card.NONE else None}
    pending: dict[str, datetime | None] = {
        Card.NONE: clock.warn_at,
        Card.YELLOW: clock.due_at,
        Card.RED: None,
    }
    return changes | {"warn_at": pending[card]}


def _note(case: Case, clock: deadlines.Clock, years: list[int], withdrawn: str) -> str:
    old, new = timezone.localtime(case.due_at), timezone.localtime(clock.due_at)
    text = workcal.recomputed_note(
        years, "办结时限", f"{old:%Y-%m-%d %H:%M}", f"{new:%Y-%m-%d %H:%M}"
    )
    if clock.provisional:
        text += "，仍有年份按临时日历计算"
    if withdrawn:
        text += f"；原{withdrawn}撤销"
    return text


def case_recompute(*, case: Case, years: list[int], now: datetime | None = None) -> bool:
    """Recompute `case`'s deadlines on today's calendar; False when nothing changed."""
    if not case.due_provisional or case.clock_from is None:
        return False
    if case.state not in workflow.CLOCK_RUNNING:
        return False
    now = now or timezone.now()
    clock = _recomputed(case)
    changes = _changes(case, clock, now)
    if all(getattr(case, field) == value for field, value in changes.items()):
        return False  # recomputed already (a second delivery of the event)
    withdrawn = Card(case.card).label if "card" in changes and case.card else ""
    won = Case.objects.filter(pk=case.pk, state=case.state, updated_at=case.updated_at).update(
        **changes
    )
    if not won:
        return False  # a person acted meanwhile; the next delivery finds it again
    _record(case, clock, years, withdrawn)
    return True


def _changes(case: Case, clock: deadlines.Clock, now: datetime) -> dict[str, object]:
    """The case's new deadlines (the acknowledgement's only while the clock runs from the
    dispatch) and what its card becomes."""
    return {
        "acknowledge_due_at": clock.acknowledge_due_at
        if case.clock_seconds is None
        else case.acknowledge_due_at,
        "due_at": clock.due_at,
        "due_provisional": clock.provisional,
        **_cards(case, clock, now),
    }


def _record(case: Case, clock: deadlines.Clock, years: list[int], withdrawn: str) -> None:
    """The timeline row, the audit row and the live push of a recomputed case."""
    note = _note(case, clock, years, withdrawn)
    history(case, RECOMPUTE_ACTION, case.state, case.state, None, note, years=years)
    audit(
        None,
        "cases.case.recompute",
        case,
        years=years,
        due_before=case.due_at,
        due_after=clock.due_at,
        still_provisional=clock.provisional,
    )
    live.announce_after_commit(case, RECOMPUTE_ACTION)


def cases_recompute_provisional(*, years: Iterable[int], batch: int = 500) -> int:
    """Recompute every running case whose deadlines are provisional, by batches of locked
    rows; returns how many changed."""
    years = sorted(years)
    done = 0
    last_id = 0
    while True:
        with transaction.atomic():
            cases = list(
                Case.objects.select_for_update(of=("self",))
                .filter(
                    due_provisional=True,
                    state__in=workflow.CLOCK_RUNNING,
                    pk__gt=last_id,
                )
                .select_related("category", "lead_unit", "dispatch_center")
                .order_by("pk")[:batch]
            )
            if not cases:
                return done
            done += sum(case_recompute(case=case, years=years) for case in cases)
            last_id = cases[-1].pk
