"""Counting again the petition limits that ran on a provisional calendar.

Only one petition limit counts working days: the hand-back window (第二十三条第三款, 5
working days from the transfer). When a year's official holidays are entered (or learned),
`core.calendar_changed` names the years, and every open window counted on their provisional
calendar is counted again from its transfer; a window that moves gets a timeline line saying
from what to what, and an audit row. A window that does not move loses its provisional flag
quietly. Idempotent: a second delivery finds nothing provisional left.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from zhili.core import workcal
from zhili.core.audit import audit
from zhili.core.bulk import sweep_rows
from zhili.core.dossier import record_history
from zhili.petitions import deadlines, workflow
from zhili.petitions.models import Petition, State


def _touches(petition: Petition, years: set[int]) -> bool:
    """Whether the petition's hand-back window spans one of `years`."""
    assert petition.transferred_at is not None and petition.hand_back_until is not None
    first = timezone.localdate(petition.transferred_at).year
    last = timezone.localdate(petition.hand_back_until).year
    return any(first <= year <= last for year in years)


def petition_recompute_hand_back(*, petition: Petition, years: list[int]) -> bool:
    """Count the petition's open hand-back window again; True when it moved."""
    assert petition.transferred_at is not None and petition.hand_back_until is not None
    until = deadlines.limit_after(petition.transferred_at, "hand_back")
    fields = {
        "hand_back_until": until,
        "hand_back_provisional": deadlines.is_provisional(petition.transferred_at, until),
    }
    Petition.objects.filter(pk=petition.pk).update(**fields)
    if until == petition.hand_back_until:
        return False
    before, after = (
        deadlines.last_day_text(petition.hand_back_until),
        deadlines.last_day_text(until),
    )
    note = workcal.recomputed_note(years, "异议期限", before, after)
    state = petition.state
    record_history(
        workflow.KIND,
        petition,
        "recompute",
        from_state=state,
        to_state=state,
        actor=None,
        note=note,
        years=years,
    )
    audit(None, "petitions.petition.recompute", petition, years=years, hand_back_until=until)
    return True


@transaction.atomic
def petitions_recompute_provisional(*, years: Iterable[int]) -> int:
    """Every open hand-back window counted on the provisional calendar of `years`; returns
    how many moved."""
    wanted = set(years)
    open_windows = Petition.objects.select_for_update().filter(
        state=State.ASSIGNED,
        hand_back_provisional=True,
        hand_back_at__isnull=True,
        transferred_at__isnull=False,
        hand_back_until__isnull=False,
    )
    return sweep_rows(
        open_windows,
        lambda petition: petition_recompute_hand_back(petition=petition, years=sorted(wanted)),
        keep=lambda petition: _touches(petition, wanted),
    )
