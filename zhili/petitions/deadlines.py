"""The petition time limits of the 信访工作条例 (2022), in CALENDAR days.

The regulation's 日 are calendar days, not working days (unlike the case limits of
zhili.cases.deadlines), counted the usual way of Chinese law: the day of the event is not
counted, the limit ends at the end (24:00, local time) of its last day. A reply given on
26 November may be reviewed until the end of 26 December.

- 第二十四条: a petition is transferred or assigned within 15 days of its receipt
  (`TRANSFER_DAYS`). The handling unit then decides within 15 days whether it accepts it and
  tells the petitioner in writing (受理告知书 / 不予受理告知书): we apply the same 15 days
  (`ACCEPT_DAYS`).
- 第三十二条 / 第三十三条: handled within 60 days of acceptance (`HANDLE_DAYS`), extended once
  for a complex matter by at most 30 days (`MAX_EXTENSION_DAYS`), the petitioner told why.
- 第三十五条: review (复查) requested within 30 days of receiving the written reply, and the
  review opinion given within 30 days of the request (`REVIEW_DAYS`).
- 第三十六条: re-review (复核) the same, 30 and 30 days; after the re-review the same facts
  and reasons are not accepted again.

A yellow card is given at 80 % of the current limit, a red card past it (zhili.petitions.sweep).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from zhili.petitions.models import State

TRANSFER_DAYS = 15
ACCEPT_DAYS = 15
HANDLE_DAYS = 60
MAX_EXTENSION_DAYS = 30
REVIEW_DAYS = 30
WARN_FRACTION = 0.8


def days_after(start: datetime, days: int) -> datetime:
    """The end of the `days`-th calendar day after `start`'s local day (23:59:59)."""
    last_day = timezone.localdate(start) + timedelta(days=days)
    return timezone.make_aware(datetime.combine(last_day, time(23, 59, 59)))


def warn_point(start: datetime, due: datetime) -> datetime:
    return start + (due - start) * WARN_FRACTION


def last_day_text(due: datetime) -> str:
    return f"{timezone.localtime(due):%Y年%m月%d日}"


def current_limit(fields: dict, state: str) -> tuple[datetime | None, datetime | None]:
    """(start, due) of the limit that runs in `state`, read from the petition's fields."""
    pairs: dict[str, tuple[str, str]] = {
        State.REGISTERED: ("received_at", "transfer_due"),
        State.ASSIGNED: ("transferred_at", "accept_due"),
        State.ACCEPTED: ("accepted_at", "handle_due"),
        State.HANDLING: ("accepted_at", "handle_due"),
        State.REVIEW_REQUESTED: ("review_requested_at", "review_due"),
        State.RE_REVIEW_REQUESTED: ("re_review_requested_at", "re_review_due"),
    }
    if state not in pairs:
        return None, None
    start_field, due_field = pairs[state]
    return fields.get(start_field), fields.get(due_field)


def clock_fields(fields: dict, state: str) -> dict:
    """The `due_at` / `warn_at` / card columns for a petition entering `state`: the card is
    about the current step's limit, so a new step starts without one."""
    start, due = current_limit(fields, state)
    if start is None or due is None:
        return {"due_at": None, "warn_at": None, "card": "", "card_at": None}
    return {"due_at": due, "warn_at": warn_point(start, due), "card": "", "card_at": None}
