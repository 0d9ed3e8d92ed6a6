"""The transitions of the workflow: the checks, one handler per action, and `case_act`."""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Unpack, cast

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhili.cases import deadlines, live, text, workflow
from zhili.cases.dossier import KIND
from zhili.cases.models import Card, Case, CaseEvent, Rating, State
from zhili.cases.selectors import case_get
from zhili.cases.services import assists, handing
from zhili.cases.services.attachments import attach_files
from zhili.cases.services.common import ActionParams, AssistData, Changes, CheckedFiles
from zhili.cases.workflow import DISPATCHABLE_KINDS
from zhili.core.dates import check_moment
from zhili.core.dossier import actions_for as kernel_actions_for
from zhili.core.dossier import apply_transition, check_action
from zhili.core.errors import InvalidInput, NotFound
from zhili.core.scope import scope_for
from zhili.core.types import Actor, SystemActor
from zhili.core.uploads import check_upload
from zhili.orgs.models import Kind, Level, Organization

# The case's columns that decide who sees it (zhili.cases.selectors.case_scope): a transition
# that changes one of them changes the scope on the text index too. The assisting tasks
# change only in transitions that set the lead unit's path (a dispatch, a reopening).
SCOPE_FIELDS = {"area_path", "dispatch_path", "unit_path"}


def check_transition(actor: Actor, case: Case, action: str) -> workflow.Transition:
    """The transition `action` if `actor` may take it on `case` now (zhili.core.dossier's
    checks, the rules of `zhili.cases.dossier.guard` included)."""
    return check_action(KIND, actor, case, action)


def actions_for(actor: Actor, case: Case) -> list[workflow.Transition]:
    """The transitions `actor` may take on `case` now (for the pages' buttons), then the
    actions of the assisting tasks the actor's unit holds on it."""
    return kernel_actions_for(KIND, actor, case) + assists.assist_actions_for(actor, case)


def apply_step(
    case: Case,
    transition: workflow.Transition,
    actor: SystemActor,
    changes: Mapping[str, object],
    *,
    note: str = "",
    files: CheckedFiles | None = None,
    at: datetime | None = None,
    **data: object,
) -> Case:
    """Take `transition` on `case` (at `at`, or now) through the kernel (`data` goes on the
    timeline row), then the case's own steps: the text index's scope, the files, the push."""
    previous_paths = (case.dispatch_path, case.unit_path)
    step = apply_transition(KIND, case, transition, actor, dict(changes), note=note, at=at, **data)
    if SCOPE_FIELDS & changes.keys():
        # Who may see the case changed: its text-index row follows (full-text search).
        text.rescope(case)
    attach_files(case, files or [], actor, cast(CaseEvent, step.row))
    live.announce_after_commit(case, transition.name, previous_paths=previous_paths)
    return case


def _dispatch_target(actor: Actor, case: Case, unit_code: str | None) -> Organization:
    if not unit_code:
        if case.suggested_unit is None:
            raise InvalidInput("权责清单未匹配到承办单位，请选择承办单位", field="unit")
        return case.suggested_unit
    try:
        unit = Organization.objects.get(code=unit_code, is_active=True)
    except Organization.DoesNotExist as exc:
        raise InvalidInput(f"承办单位 {unit_code} 不存在", field="unit") from exc
    if unit.kind not in DISPATCHABLE_KINDS:
        raise InvalidInput(f"{unit.name} 不是承办单位", field="unit")
    if not actor.is_superuser and not scope_for(actor).covers_path(unit.path):
        raise InvalidInput(f"{unit.name} 不在您的分拨范围内", field="unit")
    return unit


def _clock_fields(case: Case, start: datetime) -> Changes:
    clock = deadlines.start_clock(case.category, case.urgency, start, case.imposed_due_at)
    return {
        "acknowledge_due_at": clock.acknowledge_due_at,
        "due_at": clock.due_at,
        "warn_at": clock.warn_at,
        "calendar_clock": clock.calendar,
        "due_provisional": clock.provisional,
        "clock_from": start,
        "clock_seconds": None,
        "card": Card.NONE,
        "card_at": None,
        "remaining_seconds": None,
        "extension_requested_until": None,
        "extension_reason": "",
    }


def to_unit(case: Case, unit: Organization) -> Changes:
    now = timezone.now()
    return {
        "lead_unit": unit,
        "unit_path": unit.path,
        "dispatched_at": now,
        "acknowledged_at": None,
        "return_requested_at": None,
        "return_reason": "",
        "send_back_reason": "",
        **_clock_fields(case, now),
    }


def _assisting(codes: Iterable[str], lead: Organization) -> list[Organization]:
    codes = [c for c in codes if c]
    if lead.code in codes:
        raise InvalidInput(f"{lead.name} 已是主办单位，不能同时协办", field="assisting")
    units = list(Organization.objects.filter(code__in=codes, kind__in=DISPATCHABLE_KINDS))
    missing = set(codes) - {u.code for u in units}
    if missing:
        raise InvalidInput(f"协办单位不存在：{'、'.join(sorted(missing))}", field="assisting")
    return sorted(units, key=lambda u: codes.index(u.code))


def _dispatch(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    unit = _dispatch_target(actor, case, p.get("unit"))
    assisting = _assisting(p.get("assisting", []), unit)
    until = _parse_until(p["assist_until"], field="assist_until") if p.get("assist_until") else None
    previous = case.lead_unit.code if case.lead_unit else ""
    changes = to_unit(case, unit)
    tasks: AssistData = {}
    if assisting or case.assists.exists():
        tasks = assists.open_tasks(_with(case, changes), assisting, until=until)
    helpers = f"，协办：{'、'.join(u.name for u in assisting)}" if assisting else ""
    note = p.get("note", "") or f"派往{unit.name}{helpers}"
    return apply_step(
        case, t, actor, changes, note=note, unit=unit.code, previous_unit=previous, **tasks
    )


def _with(case: Case, changes: Changes) -> Case:
    """The case as it will be once `changes` are applied (for the assisting deadlines)."""
    preview = Case(**{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields})
    for name, value in changes.items():
        setattr(preview, name, value)
    return preview


def _acknowledge(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    return apply_step(case, t, actor, {"acknowledged_at": timezone.now()}, note=p.get("note", ""))


def _start(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    changes = {} if case.acknowledged_at else {"acknowledged_at": timezone.now()}
    return apply_step(case, t, actor, changes, note=p.get("note", ""))


def reply_step(actor: SystemActor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    text = (p.get("reply") or "").strip()
    if not text:
        raise InvalidInput("请填写办理结果", field="reply")
    changes = {
        "reply": text,
        "replied_at": timezone.now(),
        "warn_at": None,
        "send_back_reason": "",
        # Replying answers the case: a pending request to return it lapses.
        "return_requested_at": None,
    }
    return apply_step(case, t, actor, changes, note=text, files=p.get("files"))


def close_step(actor: SystemActor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    return apply_step(case, t, actor, {"closed_at": timezone.now()}, note=p.get("note", ""))


def _send_back(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    """审核退回: the reply goes back to the unit, which works on under its original deadline
    (a weak reply must not stop the clock: otherwise a placeholder would buy time). The
    rejected reply stays on the timeline."""
    changes = {
        "reply": "",
        "replied_at": None,
        "send_back_reason": p["reason"][:300],
        "sent_back_count": F("sent_back_count") + 1,
        "warn_at": _warn_again(case),
    }
    unit = case.lead_unit.code if case.lead_unit else ""
    return apply_step(
        case, t, actor, changes, note=p["reason"], unit=unit, rejected_reply=case.reply
    )


def _warn_again(case: Case) -> datetime | None:
    """The next moment the sweep must look at a case whose clock runs again: the 80 % point
    of its handling time, or its deadline once yellow, or nothing once red. A moment already
    past is fine: the next sweep gives the card at once."""
    if case.due_at is None or case.card == Card.RED:
        return None
    if case.card == Card.YELLOW:
        return case.due_at
    start = case.dispatched_at or timezone.now()
    return deadlines.warn_point(start, case.due_at, calendar=case.calendar_clock)


def _rate(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    rating = p.get("rating") or ""
    if rating not in Rating.values:
        raise InvalidInput(
            "评价只能是 satisfied、basically_satisfied 或 unsatisfied", field="rating"
        )
    comment = (p.get("comment") or "").strip()[:500]
    changes = {"rating": rating, "rating_comment": comment, "rated_at": timezone.now()}
    return apply_step(case, t, actor, changes, note=comment, rating=rating)


def _to_center(case: Case) -> Changes:
    """The changes that give a case back to its dispatch center (a return)."""
    return {
        "lead_unit": None,
        "unit_path": "",
        "warn_at": None,
        "returned_count": F("returned_count") + 1,
        "return_requested_at": None,
    }


def _return(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    previous = case.lead_unit.code if case.lead_unit else ""
    tasks = assists.withdraw_tasks(case)
    return apply_step(
        case, t, actor, _to_center(case), note=p["reason"], previous_unit=previous, **tasks
    )


def _request_return(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    changes = {"return_requested_at": timezone.now(), "return_reason": p["reason"][:300]}
    unit = case.lead_unit.code if case.lead_unit else ""
    return apply_step(case, t, actor, changes, note=p["reason"], unit=unit)


def _approve_return(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    previous = case.lead_unit.code if case.lead_unit else ""
    tasks = assists.withdraw_tasks(case)
    note = p.get("note", "") or case.return_reason
    changes = _to_center(case)
    return apply_step(
        case, t, actor, changes, note=note, unit=previous, previous_unit=previous, **tasks
    )


def _refuse_return(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    unit = case.lead_unit.code if case.lead_unit else ""
    changes = {"return_requested_at": None}
    return apply_step(case, t, actor, changes, note=p["reason"], unit=unit)


def _escalate(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    parent = case.dispatch_center.parent
    assert parent is not None, "a township center always has the county center above it"
    changes = {"dispatch_center": parent, "dispatch_path": parent.path}
    return apply_step(case, t, actor, changes, note=p["reason"], to_center=parent.code)


def _assign_down(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    code = p.get("township") or (case.township.code if case.township else "")
    center = Organization.objects.filter(
        code=code, parent=case.dispatch_center, level=Level.TOWNSHIP, kind=Kind.CENTER
    ).first()
    if center is None:
        raise InvalidInput("请选择要交办的乡镇（街道）综治中心", field="township")
    changes = {"dispatch_center": center, "dispatch_path": center.path}
    return apply_step(case, t, actor, changes, note=p.get("note", ""), to_center=center.code)


def _hand_down(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    changes, note, data = handing.hand_down(
        actor, case, unit_code=p.get("unit"), note=p.get("note")
    )
    return apply_step(case, t, actor, changes, note=note, **data)


def _return_to_source(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    changes, data = handing.return_to_source(case, reason=p["reason"])
    return apply_step(case, t, actor, changes, note=p["reason"], **data)


def _parse_until(value: datetime | str | None, *, field: str = "until") -> datetime:
    if isinstance(value, datetime):
        until = value
    else:
        try:
            until = datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise InvalidInput("时间格式应为 YYYY-MM-DDTHH:MM", field=field) from exc
    return check_moment(until, field=field)  # 2000-2099, offsets within ±14:00


def _request_extension(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    until = _parse_until(p.get("until"))
    if case.due_at and until <= case.due_at:
        raise InvalidInput("延期后的时限应晚于当前办结时限", field="until")
    changes = {"extension_requested_until": until, "extension_reason": p["reason"][:300]}
    return apply_step(case, t, actor, changes, note=p["reason"], until=until)


def _approve_extension(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    until = case.extension_requested_until
    assert until is not None
    now = timezone.now()
    changes: Changes = {
        "due_at": until,
        "extended": True,
        "extension_requested_until": None,
        "due_provisional": False,
        "clock_from": None,
        "clock_seconds": None,
    }
    if case.card != Card.RED:
        warn = deadlines.warn_point(now, until, calendar=case.calendar_clock)
        changes |= {"card": Card.NONE, "card_at": None, "warn_at": max(warn, now)}
    else:
        changes["warn_at"] = until
    return apply_step(case, t, actor, changes, note=p.get("note", ""), until=until)


def _refuse_extension(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    changes = {"extension_requested_until": None}
    return apply_step(case, t, actor, changes, note=p["reason"])


def _suspend(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    now = timezone.now()
    remaining = None
    if case.due_at and case.state in workflow.CLOCK_RUNNING:
        left = deadlines.elapsed(now, case.due_at, calendar=case.calendar_clock)
        remaining = max(int(left.total_seconds()), 0)
    changes = {
        "state_before_suspend": case.state,
        "suspended_at": now,
        "remaining_seconds": remaining,
        "warn_at": None,
    }
    return apply_step(case, t, actor, changes, note=p["reason"])


def _resume(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    now = timezone.now()
    changes: Changes = {"state": case.state_before_suspend, "suspended_at": None}
    suspended_at = case.suspended_at
    if case.remaining_seconds is not None:
        left = timedelta(seconds=case.remaining_seconds)
        clock = deadlines.resume_clock(now, left, calendar=case.calendar_clock)
        changes |= {
            "due_at": clock.due_at,
            "warn_at": clock.due_at if case.card == Card.YELLOW else clock.warn_at,
            "remaining_seconds": None,
            "due_provisional": clock.provisional,
            "clock_from": now,
            "clock_seconds": case.remaining_seconds,
        }
        if case.card == Card.RED:
            changes["warn_at"] = None
    case = apply_step(case, t, actor, changes, note=p.get("note", ""))
    assists.resume_tasks(case, suspended_at=suspended_at, lead_due=case.due_at)
    return case


def _merge(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    master_no = (p.get("master") or "").strip()
    if not master_no or master_no == case.case_no:
        raise InvalidInput("请填写主工单编号（不能是本工单）", field="master")
    try:
        master = case_get(user=actor, case_no=master_no)
    except NotFound as exc:
        raise InvalidInput(f"主工单 {master_no} 不存在", field="master") from exc
    if master.state == State.MERGED:
        raise InvalidInput(f"{master_no} 本身已被合并，请合并到其主工单", field="master")
    changes = {"master": master, "warn_at": None}
    tasks = assists.withdraw_tasks(case)
    note = f"合并至 {master.case_no}"
    return apply_step(case, t, actor, changes, note=note, master=master.case_no, **tasks)


def _reopen(actor: Actor, case: Case, t: workflow.Transition, p: ActionParams) -> Case:
    if case.lead_unit is None:
        raise InvalidInput("原承办单位不存在，请改派", field="unit")
    changes = {
        **to_unit(case, case.lead_unit),
        "reopen_count": F("reopen_count") + 1,
        "rating": "",
        "rating_comment": "",
        "rated_at": None,
        "replied_at": None,
        "closed_at": None,
    }
    tasks = assists.reopen_tasks(_with(case, changes))
    return apply_step(case, t, actor, changes, note=p["reason"], **tasks)


Handler = Callable[[Actor, Case, workflow.Transition, ActionParams], Case]

HANDLERS: dict[str, Handler] = {
    "dispatch": _dispatch,
    "reassign": _dispatch,
    "acknowledge": _acknowledge,
    "start": _start,
    "reply": reply_step,
    "close": close_step,
    "send_back": _send_back,
    "rate": _rate,
    "return": _return,
    "request_return": _request_return,
    "approve_return": _approve_return,
    "refuse_return": _refuse_return,
    "escalate": _escalate,
    "assign_down": _assign_down,
    "hand_down": _hand_down,
    "return_to_source": _return_to_source,
    "request_extension": _request_extension,
    "approve_extension": _approve_extension,
    "refuse_extension": _refuse_extension,
    "suspend": _suspend,
    "resume": _resume,
    "merge": _merge,
    "reopen": _reopen,
}


@transaction.atomic
def case_act(*, actor: Actor, case: Case, action: str, **params: Unpack[ActionParams]) -> Case:
    """Take transition `action` on `case` (fetched through a selector, so in scope).

    Raises NotFound (unknown action), Forbidden (role or side), Conflict (state, a rule such
    as the return window, or someone else acted first) and InvalidInput (a parameter, named).
    An assisting unit's task actions (workflow.ASSIST_TRANSITIONS) go to its task.
    """
    if action in workflow.ASSIST_TRANSITIONS:
        params["files"] = [(f, check_upload(f)) for f in params.get("attachments") or []]
        return assists.case_assist_act(actor=actor, case=case, action=action, **params)
    transition = check_transition(actor, case, action)
    if transition.needs_reason:
        reason = (params.get("reason") or "").strip()
        if not reason:
            raise InvalidInput(f"请填写{transition.label}的理由", field="reason")
        params["reason"] = reason
    params["files"] = [(f, check_upload(f)) for f in params.get("attachments") or []]
    return HANDLERS[action](actor, case, transition, params)
