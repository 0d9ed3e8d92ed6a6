"""After the written answer: its delivery (送达), the review (复查, 第三十五条) and the
re-review (复核, 第三十六条), and hearings during them.

The petitioner may ask for a review within the window "from the day of receiving the written
answer", so the window opens when the answer's delivery is recorded (`deliver`: the day and
the method), not when it is issued. A request before the delivery is recorded is in time by
definition (the window has not started). A late request is refused with the whole reason: the
delivery day and method, the last day, the article, and how many days late, naming the
field `requested_on` (the day the request was made: a letter's day of receipt, by default
today).

A hearing stops the clock of the review or re-review it belongs to: while it runs there is
no due date and no card; when it ends, the due date moves by the days it took, both days
counted (第三十六条第二款 says so of the re-review; we treat a review's hearing the same way).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from zhili.core.errors import Conflict, InvalidInput
from zhili.core.workflow import Transition
from zhili.orgs.models import Organization
from zhili.petitions import deadlines, law
from zhili.petitions.models import Delivery, Petition, Stage
from zhili.petitions.services.common import apply, handling_unit_for, required_text


@dataclass(frozen=True)
class Answer:
    """A written answer of a stage: where it is kept and what its delivery opens."""

    key: str  # field prefix: reply_ / review_ / re_review_
    title: str
    issued: str  # the field of the moment it was issued
    window: str = ""  # the limit its delivery opens (deadlines.LIMITS), if any
    window_field: str = ""
    next_step: str = ""  # what the window is for: 复查 / 复核


ANSWERS = {
    Stage.ORIGINAL: Answer(
        "reply", "答复意见书", "replied_at", "review_request", "review_request_until", "复查"
    ),
    Stage.REVIEW: Answer(
        "review",
        "复查意见书",
        "review_decided_at",
        "re_review_request",
        "re_review_request_until",
        "复核",
    ),
    Stage.RE_REVIEW: Answer("re_review", "复核意见书", "re_review_decided_at"),
}


def undelivered(p: Petition) -> Answer | None:
    """The stage's written answer, when it is issued and its delivery not recorded yet."""
    answer = ANSWERS[Stage(p.stage)]
    if getattr(p, answer.issued) and not getattr(p, f"{answer.key}_delivered_on"):
        return answer
    return None


def default_review_unit(p: Petition) -> Organization:
    """Where a review is requested by default: the organ above the handling unit (上一级),
    else the unit that registered the petition."""
    unit = p.handling_unit
    return (unit.parent if unit and unit.parent else None) or p.registering_unit


def _review_unit(p: Petition, params: dict[str, Any]) -> Organization:
    code = str(params.get("unit") or "").strip()
    if code:
        return handling_unit_for(code, field="unit")
    return default_review_unit(p)


def _day(params: dict[str, Any], name: str, *, required: str = "", not_before: Any = None) -> date:
    """A day of the input: today when left out (unless `required` says what is missing),
    never in the future, never before `not_before` (a datetime or a date)."""
    value = params.get(name)
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    if isinstance(value, str) and value.strip():
        try:
            value = date.fromisoformat(value.strip())
        except ValueError as exc:
            raise InvalidInput("日期格式应为 YYYY-MM-DD", field=name) from exc
    if not isinstance(value, date):
        if required:
            raise InvalidInput(required, field=name)
        value = timezone.localdate()
    if value > timezone.localdate():
        raise InvalidInput("日期不能晚于今天", field=name)
    if isinstance(not_before, datetime):
        not_before = timezone.localdate(not_before)
    if not_before is not None and value < not_before:
        raise InvalidInput(f"日期不能早于{not_before:%Y年%m月%d日}", field=name)
    return value


def _moment(day: date) -> datetime:
    """The moment a step of `day` is recorded at: now for today, else that day's morning."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


# --- delivery ---------------------------------------------------------------------------------


def deliver(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    answer = undelivered(p)
    assert answer is not None  # guarded
    issued = getattr(p, answer.issued)
    day = _day(params, "delivered_on", required="请填写送达日期", not_before=issued)
    method = str(params.get("delivery_method") or "")
    if method not in Delivery.values:
        raise InvalidInput("请选择送达方式", field="delivery_method")
    changes: dict[str, Any] = {
        f"{answer.key}_delivered_on": day,
        f"{answer.key}_delivery_method": method,
    }
    note = f"{answer.title}于{day:%Y年%m月%d日}{Delivery(method).label}"
    if answer.window:
        until = deadlines.limit_from_day(day, answer.window)
        changes[answer.window_field] = until
        note += (
            f"；信访人可于{deadlines.last_day_text(until)}前（含当日）请求{answer.next_step}"
            f"（{deadlines.article(answer.window)}）"
        )
    return apply(p, t, actor, changes, note=note, delivered_on=day.isoformat(), method=method)


# --- review and re-review -------------------------------------------------------------------


def _late(p: Petition, answer: Answer, requested: date, unit: Organization) -> Conflict:
    """The refusal of a request made after its window: every fact the petitioner is told."""
    until = getattr(p, answer.window_field)
    delivered = getattr(p, f"{answer.key}_delivered_on")
    method = Delivery(getattr(p, f"{answer.key}_delivery_method")).label
    late = (requested - timezone.localdate(until)).days
    what = answer.next_step
    return Conflict(
        f"{what}申请已超过期限，不予{what}：{answer.title}已于{delivered:%Y年%m月%d日}"
        f"{method}信访人，应当自收到之日起{deadlines.text(answer.window)}内，即"
        f"{deadlines.last_day_text(until)}前（含当日）向{unit.name}请求{what}"
        f"（{deadlines.article(answer.window)}）；本申请于{requested:%Y年%m月%d日}提出，"
        f"已逾期{late}日。",
        field="requested_on",
        code="too_late",
    )


def _request(p: Petition, answer: Answer, params: dict[str, Any]) -> tuple[Organization, datetime]:
    """The organ asked and the moment of a review (re-review) request made in time."""
    unit = _review_unit(p, params)
    requested = _day(params, "requested_on", not_before=getattr(p, answer.issued))
    until = getattr(p, answer.window_field)
    if until is not None and requested > timezone.localdate(until):
        raise _late(p, answer, requested, unit)
    return unit, _moment(requested)


def request_review(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    unit, at = _request(p, ANSWERS[Stage.ORIGINAL], params)
    reason = required_text(params, "reason", "请填写复查请求和理由", limit=2000)
    changes = {
        "stage": Stage.REVIEW,
        "review_unit": unit,
        "review_requested_at": at,
        "review_reason": reason,
        "review_due": deadlines.limit_after(at, "review"),
    }
    return apply(p, t, actor, changes, note=reason)


def decide_review(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    opinion = required_text(params, "opinion", "请填写复查意见")
    changes = {"review_decided_at": timezone.now(), "review_opinion": opinion}
    return apply(p, t, actor, changes, note=opinion)


def request_re_review(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    unit, at = _request(p, ANSWERS[Stage.REVIEW], params)
    reason = required_text(params, "reason", "请填写复核请求和理由", limit=2000)
    changes = {
        "stage": Stage.RE_REVIEW,
        "re_review_unit": unit,
        "re_review_requested_at": at,
        "re_review_reason": reason,
        "re_review_due": deadlines.limit_after(at, "re_review"),
    }
    return apply(p, t, actor, changes, note=reason)


def decide_re_review(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    opinion = required_text(params, "opinion", "请填写复核意见")
    changes = {"re_review_decided_at": timezone.now(), "re_review_opinion": opinion}
    return apply(p, t, actor, changes, note=opinion)


# --- hearings ---------------------------------------------------------------------------------


def _stage_of_hearing(p: Petition) -> tuple[str, str, str]:
    """(what, the due-date field, the hearing-days field) of the stage the hearing is in."""
    if p.stage == Stage.RE_REVIEW:
        return "复核", "re_review_due", "re_review_hearing_days"
    return "复查", "review_due", "review_hearing_days"


def _hearing_rule(p: Petition) -> str:
    return f"（{law.cite('hearing')}）" if p.stage == Stage.RE_REVIEW else ""


def hearing_start(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    requested = p.re_review_requested_at if p.stage == Stage.RE_REVIEW else p.review_requested_at
    day = _day(params, "hearing_on", not_before=requested)
    what = _stage_of_hearing(p)[0]
    note = f"自{day:%Y年%m月%d日}起举行听证，听证所需时间不计算在{what}期限内{_hearing_rule(p)}"
    changes = {"hearing_started_on": day}
    return apply(p, t, actor, changes, note=note, reclock=True, started_on=day.isoformat())


def hearing_end(actor: Any, p: Petition, t: Transition, params: dict[str, Any]) -> Petition:
    assert p.hearing_started_on is not None  # guarded
    day = _day(params, "hearing_on", not_before=p.hearing_started_on)
    days = (day - p.hearing_started_on).days + 1
    what, due_field, days_field = _stage_of_hearing(p)
    due = deadlines.days_after(getattr(p, due_field), days)
    changes = {
        "hearing_started_on": None,
        due_field: due,
        days_field: getattr(p, days_field) + days,
    }
    note = (
        f"听证于{day:%Y年%m月%d日}结束，所需{days}日不计算在{what}期限内"
        f"{_hearing_rule(p)}，{what}期限延至{deadlines.last_day_text(due)}"
    )
    return apply(p, t, actor, changes, note=note, reclock=True, days=days)


# --- what each step needs beyond role, side and state ---------------------------------------


ANONYMOUS = "匿名信访没有可以书面答复的信访人"


def _deliver_guard(p: Petition) -> str | None:
    if p.is_anonymous:
        return ANONYMOUS
    return None if undelivered(p) else "没有待登记送达的答复意见"


def _request_review_guard(p: Petition) -> str | None:
    if p.is_anonymous:
        return ANONYMOUS
    if p.stage == Stage.ORIGINAL and p.replied_at:
        return None
    return "只有已出具答复意见、尚未复查的信访事项可以申请复查"


def _request_re_review_guard(p: Petition) -> str | None:
    if p.is_anonymous:
        return ANONYMOUS
    if p.stage == Stage.REVIEW and p.review_decided_at:
        return None
    return "只有已出具复查意见、尚未复核的信访事项可以申请复核"


def _decide_guard(p: Petition) -> str | None:
    return "听证尚未结束，请先登记听证结束" if p.hearing_started_on else None


GUARDS: dict[str, Callable[[Petition], str | None]] = {
    "deliver": _deliver_guard,
    "request_review": _request_review_guard,
    "request_re_review": _request_re_review_guard,
    "decide_review": _decide_guard,
    "decide_re_review": _decide_guard,
    "hearing_start": lambda p: "听证正在进行，尚未结束" if p.hearing_started_on else None,
    "hearing_end": lambda p: None if p.hearing_started_on else "没有正在进行的听证",
}
