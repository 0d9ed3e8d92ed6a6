"""What the case pages share: fetching a case, time-limit labels, errors beside their field, rows."""

from datetime import datetime, timedelta
from typing import TypedDict

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from zhili.cases import deadlines, duplicates, selectors, services
from zhili.cases.forms import ONE_CLICK
from zhili.cases.models import Case
from zhili.cases.services.assists import tasks_of
from zhili.core.errors import DomainError
from zhili.core.pages import or_404
from zhili.core.types import Actor
from zhili.orgs import selectors as org_selectors
from zhili.orgs.auth import StaffRequest

PAGE_SIZE = 50


# Which actions a row offers on each list; the others live on the detail page.
ROW_ACTIONS = {
    "workbench": [
        "dispatch",
        "approve_extension",
        "refuse_extension",
        "approve_return",
        "refuse_return",
        "close",
        "send_back",
        "rate",
        "return_to_source",
    ],
    "inbox": [
        "acknowledge",
        "start",
        "reply",
        "request_extension",
        "return",
        "request_return",
        "hand_down",
    ],
    # The inbox's 协办 tab: the unit's own task on someone else's case.
    "assist": ["assist_acknowledge", "assist_reply"],
    "followup": ["rate", "reopen"],
}
CONTEXTS = {"detail", *ROW_ACTIONS}


def get_case_or_404(user: Actor, case_no: str) -> Case:
    return or_404(selectors.case_get, user=user, case_no=case_no)


def limit_label(limit: deadlines.Limit) -> str:
    return limit.text


def duration_label(span: timedelta) -> str:
    minutes = max(int(span.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours}小时"
    return f"{hours}小时{minutes}分钟" if hours else f"{minutes}分钟"


class DueStatus(TypedDict):
    due: datetime
    late: bool
    text: str


def due_status(due: datetime | None, done: datetime | None, calendar: bool) -> DueStatus | None:
    """How a time limit stands: met, missed, time left or overdue (in working time)."""
    if due is None:
        return None
    if done is not None:
        return {"due": due, "late": done > due, "text": "已超时完成" if done > due else "按时完成"}
    now = timezone.now()
    basis = "" if calendar else "（工作时间）"
    if now < due:
        left = deadlines.elapsed(now, due, calendar=calendar)
        return {"due": due, "late": False, "text": f"剩余 {duration_label(left)}{basis}"}
    over = deadlines.elapsed(due, now, calendar=calendar)
    return {"due": due, "late": True, "text": f"已超期 {duration_label(over)}{basis}"}


def held_status(due: datetime | None, held_at: datetime) -> DueStatus | None:
    """A case handed over to a dispute or a petition: its own clock stopped then."""
    if due is None:
        return None
    late = held_at > due
    text = "转卷宗办理时已超期，此后停止计时" if late else "转卷宗办理，停止计时，以卷宗时限为准"
    return {"due": due, "late": late, "text": text}


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def error_status(exc: DomainError) -> int:
    # A 404 from a service is about an input (a unit, a category): answer 422, not 404.
    return 422 if exc.status == 404 else exc.status


def go(request: StaffRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def row_context(user: Actor, ctx: str, case: Case, **extra: object) -> dict[str, object]:
    allowed = {t.name: t for t in services.actions_for(user, case)}
    actions = [allowed[name] for name in ROW_ACTIONS[ctx] if name in allowed]
    if ctx == "workbench" and "flags" not in extra:
        extra["flags"] = duplicates.open_flags([case.pk]).get(case.pk, [])
    if ctx == "assist":
        extra["task"] = next(iter(tasks_of(user, case)), None)
    if ctx == "inbox" and "assist_progress" not in extra:
        extra["assist_progress"] = selectors.assist_progress([case.pk]).get(case.pk)
    context = {"case": case, "ctx": ctx, "actions": actions, "one_click": ONE_CLICK, **extra}
    return context | {"can_merge": "merge" in allowed}


def filter_options(user: Actor) -> dict[str, object]:
    return {
        "categories": selectors.category_list(),
        "townships": org_selectors.township_list(user=user).order_by("code"),
    }
