"""The return window (退单时限): until when a unit may give a case back by itself.

国办发〔2020〕53号 (the 12345 hotline's opinions) asks that a unit that received a case it
does not handle send it back quickly, and that returns be counted. Here a unit returns a case
itself (``return``) only inside the window set by ``settings.ZHILI_CASE_RETURNS``: by
default before acknowledging it, or within 2 working hours of acknowledging it. Later, its
button becomes a request (``request_return``, 申请退单) that the center approves or refuses.

Working hours are office hours on working days (zhili.core.workcal.add_working_time),
whatever the case's own clock counts: the window is about the unit's office reading the
case, not about the citizen's deadline. The window's end is computed when asked, not stored.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from zhili.cases import deadlines
from zhili.cases.models import Case
from zhili.core import workcal


def _config() -> tuple[bool, int]:
    config = settings.ZHILI_CASE_RETURNS
    return bool(config["before_acknowledge"]), int(config["working_hours_after_acknowledge"])


def rule_text() -> str:
    """The rule in words, for the pages and the refusals: "签收前或签收后2个工作小时内"."""
    before, hours = _config()
    after = f"签收后{hours}个工作小时内" if hours > 0 else ""
    if before and after:
        return f"签收前或{after}"
    return "签收前" if before else after


def window_end(case: Case) -> datetime | None:
    """When the unit's own return closes for an acknowledged case; None when it has not been
    acknowledged (then `before_acknowledge` decides) or no time is allowed after it."""
    _before, hours = _config()
    if case.acknowledged_at is None or hours <= 0:
        return None
    return workcal.add_working_time(case.acknowledged_at, timedelta(hours=hours))


def may_return(case: Case, now: datetime | None = None) -> bool:
    """Whether the lead unit may still return `case` itself (without asking the center)."""
    before, _hours = _config()
    if case.acknowledged_at is None:
        return before
    end = window_end(case)
    return end is not None and (now or timezone.now()) <= end


def refusal(case: Case, now: datetime | None = None) -> str | None:
    """Why the unit may not return `case` itself now (naming the rule), or None."""
    if may_return(case, now):
        return None
    rule = rule_text()
    if not rule:
        return "本地规定承办单位不能直接退单，请申请退单，由分拨中心审批"
    end = window_end(case)
    if end is None:
        return f"直接退单须在{rule}提出，请申请退单，由分拨中心审批"
    closed = timezone.localtime(end).strftime("%m-%d %H:%M")
    assert case.acknowledged_at is not None  # window_end is None otherwise
    # Office hours in a year whose holidays are not yet official: say the moment is provisional.
    if deadlines.provisional(case.acknowledged_at, end, calendar=False):
        closed += "（临时日历）"
    return f"直接退单须在{rule}提出（本工单已于 {closed} 截止），请申请退单，由分拨中心审批"
