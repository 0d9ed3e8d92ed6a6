"""After the written answer: its delivery (送达), the review (复查, 第三十五条) and the
re-review (复核, 第三十六条), and hearings during them.

The petitioner may ask for a review within the window "from the day of receiving the written
answer", so the window opens when the answer's delivery is recorded (`petition_deliver`: the day and
the method), not when it is issued. A request before the delivery is recorded is in time by
definition (the window has not started). A late request is refused with the whole reason: the
delivery day and method, the last day, the article, and how many days late, naming the
field `requested_on` (the day the request was made: a letter's day of receipt, by default
today).

A hearing stops the clock of the review or re-review it belongs to: while it runs there is
no due date and no card; when it ends, the due date moves by the days it took, both days
counted (第三十六条第二款 says so of the re-review; we treat a review's hearing the same way).
"""

from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhili.core.errors import Conflict, InvalidInput
from zhili.core.types import Actor
from zhili.orgs.models import Organization
from zhili.petitions import deadlines, law
from zhili.petitions.guards import ANSWERS, Answer, undelivered
from zhili.petitions.models import Delivery, Petition, Stage
from zhili.petitions.services.common import (
    apply,
    check_transition,
    handling_unit_for,
    required_text,
    text,
)

# A day of the input: a date, a moment, an ISO day, or nothing (today).
Day = date | datetime | str | None


def default_review_unit(p: Petition) -> Organization:
    """Where a review is requested by default: the organ above the handling unit (上一级),
    else the unit that registered the petition."""
    unit = p.handling_unit
    return (unit.parent if unit and unit.parent else None) or p.registering_unit


def _review_unit(p: Petition, code: str) -> Organization:
    if text(code):
        return handling_unit_for(text(code), field="unit")
    return default_review_unit(p)


def _day(value: Day, name: str, *, required: str = "", not_before: date | None = None) -> date:
    """A day of the input: today when left out (unless `required` says what is missing),
    never in the future, never before `not_before` (a datetime or a date)."""
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


@transaction.atomic
def petition_deliver(
    *, actor: Actor, petition: Petition, delivered_on: Day = None, delivery_method: str = ""
) -> Petition:
    """The stage's written answer reached the petitioner: the day and the method; the next
    window (a review, a re-review) runs from that day."""
    t = check_transition(actor, petition, "deliver")
    answer = undelivered(petition)
    assert answer is not None  # guarded
    issued = getattr(petition, answer.issued)
    day = _day(delivered_on, "delivered_on", required="请填写送达日期", not_before=issued)
    method = str(delivery_method or "")
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
    delivered = day.isoformat()
    return apply(petition, t, actor, changes, note=note, delivered_on=delivered, method=method)


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


def _request(
    p: Petition, answer: Answer, unit_code: str, requested_on: Day
) -> tuple[Organization, datetime]:
    """The organ asked and the moment of a review (re-review) request made in time."""
    unit = _review_unit(p, unit_code)
    requested = _day(requested_on, "requested_on", not_before=getattr(p, answer.issued))
    until = getattr(p, answer.window_field)
    if until is not None and requested > timezone.localdate(until):
        raise _late(p, answer, requested, unit)
    return unit, _moment(requested)


# What a request opens: the stage whose written answer opened its window, and its name.
ASKED = {Stage.REVIEW: (Stage.ORIGINAL, "复查"), Stage.RE_REVIEW: (Stage.REVIEW, "复核")}


def _ask(
    actor: Actor, petition: Petition, stage: Stage, reason: str, unit: str, requested_on: Day
) -> Petition:
    """A review (re-review) requested: the stage's columns are named after it."""
    key = stage.value
    t = check_transition(actor, petition, f"request_{key}")
    answered, what = ASKED[stage]
    organ, at = _request(petition, ANSWERS[answered], unit, requested_on)
    reason = required_text(reason, "reason", f"请填写{what}请求和理由", limit=2000)
    changes = {
        "stage": stage,
        f"{key}_unit": organ,
        f"{key}_requested_at": at,
        f"{key}_reason": reason,
        f"{key}_due": deadlines.limit_after(at, key),
    }
    return apply(petition, t, actor, changes, note=reason)


def _decide(actor: Actor, petition: Petition, stage: Stage, opinion: str) -> Petition:
    key = stage.value
    t = check_transition(actor, petition, f"decide_{key}")
    opinion = required_text(opinion, "opinion", f"请填写{ASKED[stage][1]}意见")
    changes = {f"{key}_decided_at": timezone.now(), f"{key}_opinion": opinion}
    return apply(petition, t, actor, changes, note=opinion)


@transaction.atomic
def petition_request_review(
    *, actor: Actor, petition: Petition, reason: str = "", unit: str = "", requested_on: Day = None
) -> Petition:
    """The petitioner asks for a review (复查, 第三十五条) within the window from the
    reply's delivery; `unit` is the organ asked (the one above the handling unit when left
    out), `requested_on` the day asked (a letter's day of receipt; today when left out)."""
    return _ask(actor, petition, Stage.REVIEW, reason, unit, requested_on)


@transaction.atomic
def petition_decide_review(*, actor: Actor, petition: Petition, opinion: str = "") -> Petition:
    return _decide(actor, petition, Stage.REVIEW, opinion)


@transaction.atomic
def petition_request_re_review(
    *, actor: Actor, petition: Petition, reason: str = "", unit: str = "", requested_on: Day = None
) -> Petition:
    """The petitioner asks for a re-review (复核, 第三十六条) within the window from the
    review's delivery (the same input as a review)."""
    return _ask(actor, petition, Stage.RE_REVIEW, reason, unit, requested_on)


@transaction.atomic
def petition_decide_re_review(*, actor: Actor, petition: Petition, opinion: str = "") -> Petition:
    return _decide(actor, petition, Stage.RE_REVIEW, opinion)


# --- hearings ---------------------------------------------------------------------------------


def _stage_of_hearing(p: Petition) -> tuple[str, str, str]:
    """(what, the due-date field, the hearing-days field) of the stage the hearing is in."""
    if p.stage == Stage.RE_REVIEW:
        return "复核", "re_review_due", "re_review_hearing_days"
    return "复查", "review_due", "review_hearing_days"


def _hearing_rule(p: Petition) -> str:
    return f"（{law.cite('hearing')}）" if p.stage == Stage.RE_REVIEW else ""


@transaction.atomic
def petition_hearing_start(*, actor: Actor, petition: Petition, hearing_on: Day = None) -> Petition:
    """A hearing begins on `hearing_on` (today when left out): the clock stops."""
    t = check_transition(actor, petition, "hearing_start")
    p = petition
    requested = p.re_review_requested_at if p.stage == Stage.RE_REVIEW else p.review_requested_at
    day = _day(hearing_on, "hearing_on", not_before=requested)
    what = _stage_of_hearing(p)[0]
    note = f"自{day:%Y年%m月%d日}起举行听证，听证所需时间不计算在{what}期限内{_hearing_rule(p)}"
    changes = {"hearing_started_on": day}
    return apply(p, t, actor, changes, note=note, reclock=True, started_on=day.isoformat())


@transaction.atomic
def petition_hearing_end(*, actor: Actor, petition: Petition, hearing_on: Day = None) -> Petition:
    """The hearing ended on `hearing_on`: the limit moves by the days it took."""
    t = check_transition(actor, petition, "hearing_end")
    p = petition
    assert p.hearing_started_on is not None  # guarded
    day = _day(hearing_on, "hearing_on", not_before=p.hearing_started_on)
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
