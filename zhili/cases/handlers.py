"""How cases react to domain events (listed in config/event_handlers.py).

A case turned into a dispute or a petition gets the dossier's outcome as its reply
(`answer_from_dossier`). When a provisional year of the calendar becomes official, running
cases recompute their provisional deadlines (`recompute_on_calendar_change`), then the open
assisting tasks theirs (`recompute_assists_on_calendar_change`).

A merged duplicate (合并件) follows its master's outcome: when the master is closed or rated,
its reply, times and rating are copied onto every duplicate merged into it, and each
duplicate's timeline says so. A duplicate merged into a master that is already closed
catches up at once. The handler copies the master's current values and only writes what
differs, so a second delivery of the same event changes nothing.
"""

from django.utils import timezone

from zhili.cases.events import CaseTransitioned
from zhili.cases.models import Case, CaseEvent, Rating, State
from zhili.cases.services.assists import assists_recompute_provisional
from zhili.cases.services.clock import cases_recompute_provisional
from zhili.cases.services.dossiers import DossierOutcome, case_answer_from_dossier
from zhili.core.audit import audit
from zhili.core.events import CalendarChanged
from zhili.orgs.models import User

OUTCOME_FIELDS = ("reply", "replied_at", "closed_at")
RATING_FIELDS = ("rating", "rating_comment", "rated_at")
FOLLOW_ACTION = "master_closed"


# A master's outcome: closed (and rated), or given back to its channel (退回来源).
ANSWERED = (State.CLOSED, State.RATED, State.RETURNED_TO_SOURCE)


def _master_of(event: CaseTransitioned) -> Case | None:
    if event.action in ("close", "rate", "return_to_source"):
        master_id: int | None = event.case_id
    elif event.action == "merge":
        master_id = (
            Case.objects.filter(pk=event.case_id).values_list("master_id", flat=True).first()
        )
    else:
        return None
    if master_id is None:
        return None
    # The master's state now, not the event's: a reopened master has no outcome to copy.
    return Case.objects.filter(pk=master_id, state__in=ANSWERED).first()


def _note(master: Case) -> str:
    if master.state == State.RETURNED_TO_SOURCE:
        return f"主工单 {master.case_no} 不属本县管辖，已退回来源渠道"
    if master.state == State.RATED and master.rating:
        return f"主工单 {master.case_no} 已办结，回访评价：{Rating(master.rating).label}"
    return f"主工单 {master.case_no} 已办结"


def follow_master(event: CaseTransitioned, *, event_id: int) -> None:
    master = _master_of(event)
    if master is None:
        return
    fields = OUTCOME_FIELDS + (RATING_FIELDS if master.state == State.RATED else ())
    duplicates = Case.objects.select_for_update().filter(master=master, state=State.MERGED)
    for duplicate in duplicates:
        _follow(duplicate, master, fields, event_id)


def _follow(duplicate: Case, master: Case, fields: tuple[str, ...], event_id: int) -> None:
    changed = {f: getattr(master, f) for f in fields if getattr(duplicate, f) != getattr(master, f)}
    if not changed:
        return
    Case.objects.filter(pk=duplicate.pk).update(**changed, updated_at=timezone.now())
    CaseEvent.objects.create(
        case=duplicate,
        action=FOLLOW_ACTION,
        from_state=State.MERGED,
        to_state=State.MERGED,
        note=_note(master),
        data={"master": master.case_no, "event_id": event_id, "rating": master.rating},
    )
    audit(None, "cases.case.follow_master", duplicate, master=master.case_no, fields=list(changed))


def answer_from_dossier(event: DossierOutcome, *, event_id: int) -> None:
    if event.case_id is None:
        return
    actor = User.objects.filter(pk=event.actor_id).first() if event.actor_id else None
    case_answer_from_dossier(actor=actor, outcome=event)


def recompute_on_calendar_change(event: CalendarChanged, *, event_id: int) -> None:
    cases_recompute_provisional(years=event.years)


def recompute_assists_on_calendar_change(event: CalendarChanged, *, event_id: int) -> None:
    assists_recompute_provisional(years=event.years)
