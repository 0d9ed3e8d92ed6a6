"""Assisting units' tasks (协办任务): opened with the dispatch, acted on by each assisting unit.

An assisting unit acknowledges its task and replies to the lead unit (签收协办, 反馈协办意见)
by its own deadline: by default when `settings.ZHILI_CASE_ASSIST_SHARE` of the lead's
handling time is used, or a moment the dispatcher names (``assist_until``), never later than
the lead's deadline. The lead sees the replies on the case page and in its reply form.

When the lead's deadline moves, the assisting deadlines follow these rules:
- a re-dispatch, reassignment or reopening opens the tasks again with new deadlines;
- suspension stops them with the lead's clock: on resume each open task gets the time it had
  left when the case was suspended, and stays no later than the lead's new deadline;
- an approved extension does not move them: the lead's extra time is for the lead's own
  work, and the assisting deadline stays no later than the lead's;
- a return (direct or approved) or a merge withdraws the open tasks; so does a reassignment
  for the units it drops. Nothing is deleted: a task is withdrawn, and reopened if the unit
  assists again.

A counted assisting deadline that goes through a year whose holidays are not yet official is
provisional (`CaseAssist.due_provisional`, shown as 临时日历) and counted again from its
`clock_from` / `clock_seconds` when the year is entered (`assists_recompute_provisional`, on
`core.calendar_changed`, after the cases' own recomputation), still no later than the lead's.

A task's action changes the task only (a conditional update on its state), never the case's
state or `updated_at`, so that it never makes a dispatcher's concurrent action fail.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Unpack

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from zhili.cases import deadlines, live, workflow
from zhili.cases.events import CaseAssistActed
from zhili.cases.models import AssistState, Case, CaseAssist, State
from zhili.cases.services.attachments import attach_files
from zhili.cases.services.common import ActionParams, AssistData, Changes, history
from zhili.core import workcal
from zhili.core.audit import audit
from zhili.core.errors import Conflict, DomainError, Forbidden, InvalidInput
from zhili.core.events import emit
from zhili.core.types import Actor
from zhili.core.workflow import TransitionRefused, actor_roles, refusal_to_error
from zhili.orgs.models import Organization

OPEN = (AssistState.DISPATCHED, AssistState.ACKNOWLEDGED)


@dataclass(frozen=True)
class AssistClock:
    due_at: datetime
    provisional: bool = False
    clock_from: datetime | None = None  # None: a deadline the dispatcher named
    clock_seconds: int | None = None

    def fields(self) -> Changes:
        return {
            "due_at": self.due_at,
            "due_provisional": self.provisional,
            "clock_from": self.clock_from,
            "clock_seconds": self.clock_seconds,
        }


def counted(start: datetime, span: timedelta, lead_due: datetime, *, calendar: bool) -> AssistClock:
    """`span` of the case's time (office time unless `calendar`) from `start`, no later than
    the lead's deadline."""
    due = min(deadlines.advance(start, span, calendar=calendar), lead_due)
    provisional = deadlines.provisional(start, due, calendar=calendar)
    return AssistClock(due, provisional, start, int(span.total_seconds()))


def assist_clock(
    start: datetime, lead_due: datetime, *, calendar: bool, until: datetime | None = None
) -> AssistClock:
    """The assisting deadline for a handling that starts at `start` and is due at `lead_due`."""
    if until is not None:
        if until <= start:
            raise InvalidInput("协办时限应晚于派单时间", field="assist_until")
        if until > lead_due:
            raise InvalidInput("协办时限不能晚于主办单位的办结时限", field="assist_until")
        return AssistClock(until)
    share = settings.ZHILI_CASE_ASSIST_SHARE
    used = deadlines.elapsed(start, lead_due, calendar=calendar) * share
    return counted(start, used, lead_due, calendar=calendar)


def open_tasks(
    case: Case, units: Iterable[Organization], *, until: datetime | None = None
) -> AssistData:
    """Open (or reopen) a task for each unit, and withdraw the tasks of the units left out.
    Called once the case is with its lead unit and its deadline is set. Returns what the
    timeline row records."""
    units = [u for u in units if u.pk != case.lead_unit_id]
    now = timezone.now()
    assert case.due_at is not None, "a dispatched case has its deadline"
    clock = assist_clock(now, case.due_at, calendar=case.calendar_clock, until=until)
    fresh = _fresh_task(clock, now)
    kept = [u.pk for u in units]
    withdrawn = _withdraw(case.assists.exclude(organization__in=kept))
    for unit in units:
        CaseAssist.objects.update_or_create(case=case, organization=unit, defaults=fresh)
    data: AssistData = {
        "assisting": [u.code for u in units],
        "assist_due_at": clock.due_at if units else None,
    }
    if withdrawn:
        data["withdrawn"] = withdrawn
    return data


def _fresh_task(clock: AssistClock, now: datetime) -> Changes:
    """A task dispatched `now` with its deadline, nothing done on it yet."""
    return {
        "state": AssistState.DISPATCHED,
        "dispatched_at": now,
        **clock.fields(),
        "acknowledged_at": None,
        "replied_at": None,
        "reply": "",
        "replied_by": None,
        "updated_at": now,
    }


def reopen_tasks(case: Case) -> AssistData:
    """A reopened case (重办) asks its assisting units again, with new deadlines."""
    units = [a.organization for a in case.assists.exclude(state=AssistState.WITHDRAWN)]
    return open_tasks(case, units) if units else {}


def withdraw_tasks(case: Case) -> AssistData:
    """The case left its lead unit (returned, merged): the open tasks are withdrawn."""
    withdrawn = _withdraw(case.assists.all())
    return {"withdrawn": withdrawn} if withdrawn else {}


def _withdraw(tasks: QuerySet[CaseAssist]) -> list[str]:
    tasks = tasks.filter(state__in=OPEN)
    codes = list(tasks.values_list("organization__code", flat=True))
    tasks.update(state=AssistState.WITHDRAWN, updated_at=timezone.now())
    return codes


def resume_tasks(case: Case, *, suspended_at: datetime | None, lead_due: datetime | None) -> None:
    """Give each open task the time it had left when the case was suspended."""
    if suspended_at is None or lead_due is None:
        return
    now = timezone.now()
    calendar = case.calendar_clock
    for task in case.assists.filter(state__in=OPEN, due_at__gt=suspended_at):
        assert task.due_at is not None
        left = deadlines.elapsed(suspended_at, task.due_at, calendar=calendar)
        clock = counted(now, left, lead_due, calendar=calendar)
        CaseAssist.objects.filter(pk=task.pk).update(**clock.fields(), updated_at=now)


# --- when a provisional year of the calendar becomes official -----------------------------

RECOMPUTE_ACTION = "assist_recompute"


def assist_recompute(*, task: CaseAssist, years: list[int]) -> bool:
    """Count `task`'s provisional deadline again on today's calendar; False when unchanged."""
    case = task.case
    if case.state in workflow.FINISHED or case.state in (State.SUSPENDED, State.HELD):
        return False  # a suspended case's tasks are counted again when it resumes
    if task.clock_from is None or task.clock_seconds is None or case.due_at is None:
        return False
    span = timedelta(seconds=task.clock_seconds)
    clock = counted(task.clock_from, span, case.due_at, calendar=case.calendar_clock)
    if (task.due_at, task.due_provisional) == (clock.due_at, clock.provisional):
        return False  # counted again already (a second delivery of the event)
    CaseAssist.objects.filter(pk=task.pk).update(**clock.fields(), updated_at=timezone.now())
    note = _recompute_note(task, clock, years)
    unit = task.organization.code
    history(case, RECOMPUTE_ACTION, case.state, case.state, None, note, unit=unit, years=years)
    audit(None, f"cases.case.{RECOMPUTE_ACTION}", case, unit=unit, years=years)
    live.announce_after_commit(case, RECOMPUTE_ACTION)
    return True


def _recompute_note(task: CaseAssist, clock: AssistClock, years: list[int]) -> str:
    old = timezone.localtime(task.due_at) if task.due_at else None
    new = f"{timezone.localtime(clock.due_at):%Y-%m-%d %H:%M}"
    what = f"{task.organization.name}的协办时限"
    text = workcal.recomputed_note(years, what, f"{old:%Y-%m-%d %H:%M}" if old else "—", new)
    return text + ("，仍有年份按临时日历计算" if clock.provisional else "")


def assists_recompute_provisional(*, years: Iterable[int]) -> int:
    """Count again every open assisting task whose deadline is provisional; returns how many
    changed. Runs after the cases' own recomputation (config/event_handlers.py), so that the
    lead's deadline it stays within is the new one."""
    years = sorted(years)
    tasks = (
        CaseAssist.objects.select_for_update(of=("self",))
        .filter(state__in=OPEN, due_provisional=True)
        .select_related("case", "case__dispatch_center", "case__lead_unit", "organization")
        .order_by("pk")
    )
    return sum(assist_recompute(task=task, years=years) for task in tasks)


# --- an assisting unit's actions ----------------------------------------------------------


def _covers(actor: Actor, task: CaseAssist) -> bool:
    if actor.is_superuser:
        return True
    org = getattr(actor, "organization", None)
    return org is not None and task.organization.path.startswith(org.path)


def tasks_of(actor: Actor, case: Case) -> list[CaseAssist]:
    """The case's tasks that the actor's unit covers (its own unit's first). A list page
    prefetches `assists__organization`, so that its rows cost no query each."""
    tasks = [t for t in case.assists.all() if _covers(actor, t)]
    own = getattr(actor, "organization_id", None)
    return sorted(tasks, key=lambda t: (t.organization_id != own, t.pk))


def _check(actor: Actor, case: Case, task: CaseAssist, action: str) -> workflow.Transition:
    try:
        transition = workflow.check_assist(action, state=task.state, roles=actor_roles(actor))
    except TransitionRefused as refused:
        raise refusal_to_error(refused) from refused
    if case.state in workflow.FINISHED:
        raise Conflict("工单已办结，协办任务无需再办理", code="wrong_state")
    if case.state == State.HELD:
        raise Conflict("工单已转卷宗办理，协办任务无需再办理", code="wrong_state")
    return transition


def _task_for(actor: Actor, case: Case, action: str, unit: str | None) -> CaseAssist:
    tasks = tasks_of(actor, case)
    if unit:
        tasks = [t for t in tasks if t.organization.code == unit]
    if not tasks:
        if unit:
            raise InvalidInput(f"{unit} 不是本工单您所在单位的协办单位", field="unit")
        raise Forbidden("您所在单位不是该工单的协办单位")
    workable = [t for t in tasks if t.state in workflow.ASSIST_TRANSITIONS[action].sources]
    return (workable or tasks)[0]


def assist_actions_for(actor: Actor, case: Case) -> list[workflow.Transition]:
    """The task actions `actor` may take on `case` now."""
    allowed: dict[str, workflow.Transition] = {}
    for task in tasks_of(actor, case):
        for name in workflow.ASSIST_TRANSITIONS:
            try:
                allowed.setdefault(name, _check(actor, case, task, name))
            except DomainError:
                continue
    return list(allowed.values())


def _acknowledge(task: CaseAssist, now: datetime, params: ActionParams) -> Changes:
    return {"acknowledged_at": now}


def _task_reply(task: CaseAssist, now: datetime, params: ActionParams) -> Changes:
    text = (params.get("reply") or "").strip()
    if not text:
        raise InvalidInput("请填写协办意见", field="reply")
    return {"reply": text, "replied_at": now, "acknowledged_at": task.acknowledged_at or now}


HANDLERS: dict[str, Callable[[CaseAssist, datetime, ActionParams], Changes]] = {
    "assist_acknowledge": _acknowledge,
    "assist_reply": _task_reply,
}


def case_assist_act(
    *, actor: Actor, case: Case, action: str, **params: Unpack[ActionParams]
) -> Case:
    """Take an assisting unit's action on its task (inside `case_act`'s transaction).

    `unit` picks the task when the actor's unit covers several assisting units."""
    task = _task_for(actor, case, action, params.get("unit"))
    transition = _check(actor, case, task, action)
    now = timezone.now()
    changes = HANDLERS[action](task, now, params)
    if action == "assist_reply":
        changes["replied_by"] = actor if getattr(actor, "pk", None) else None
    from_state = task.state
    won = CaseAssist.objects.filter(
        pk=task.pk, state=from_state, updated_at=task.updated_at
    ).update(**changes, state=transition.target, updated_at=now)
    if not won:
        raise Conflict("该协办任务刚被他人处理，请刷新后重试", code="concurrent_update")
    _record(actor, case, task, transition, from_state, params)
    return case


def _record(
    actor: Actor,
    case: Case,
    task: CaseAssist,
    transition: workflow.Transition,
    from_state: str,
    params: ActionParams,
) -> None:
    unit = task.organization.code
    note = (params.get("reply") or params.get("note") or "").strip()
    event = history(
        case, transition.name, case.state, case.state, actor, note, unit=unit, task_from=from_state
    )
    attach_files(case, params.get("files") or [], actor, event)
    audit(actor, f"cases.case.{transition.name}", case, unit=unit, from_state=from_state)
    emit(
        CaseAssistActed(
            case_id=case.pk,
            case_no=case.case_no,
            action=transition.name,
            unit=unit,
            lead_unit=case.lead_unit.code if case.lead_unit else "",
            dispatch_center=case.dispatch_center.code,
        )
    )
    live.announce_after_commit(case, transition.name)
