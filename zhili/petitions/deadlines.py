"""The petition time limits of the 信访工作条例 (2022): one table, `LIMITS`, read by every
service, page, form and Word notice that computes or prints a limit (nothing else writes a
number of days; zhili/petitions/tests/test_law.py changes a limit and reads the page).

The regulation's 日 are calendar days (unlike the case limits of zhili.cases.deadlines),
counted the usual way of Chinese law: the day of the event is not counted, the limit ends at
the end (24:00, local time) of its last day. A reply received on 26 November may be
reviewed until the end of 26 December. Its one limit in working days is the hand-back
(`hand_back`, 5 working days, zhili.core.workcal): counted into a year whose holidays are not
known yet, it is provisional (`Petition.hand_back_provisional`) and counted again on
`core.calendar_changed` (services.calendar).

Each limit names its article in zhili.petitions.law (`Limit.article`). Two limits are ours,
not the regulation's words: the handling unit decides on acceptance within the same 15 days
(`accept`, the written notice of 第二十三条第三款), and the review and re-review windows run
from the day the petitioner received the written answer (送达, recorded by the "deliver"
step), not from the day it was issued.

A yellow card is given at 80 % of the current limit, a red card past it (zhili.petitions.sweep).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhili.core import workcal
from zhili.petitions import law
from zhili.petitions.models import State


@dataclass(frozen=True)
class Limit:
    days: int
    article: str  # the key of its article in zhili.petitions.law.ARTICLES
    workdays: bool = False

    @property
    def text(self) -> str:
        """15日 / 5个工作日, as the notices print it."""
        return f"{self.days}个工作日" if self.workdays else f"{self.days}日"


LIMITS: dict[str, Limit] = {
    "transfer": Limit(15, "transfer"),  # registered -> transferred or assigned
    "accept": Limit(15, "transferred"),  # transferred -> accepted, told in writing
    "hand_back": Limit(5, "transferred", workdays=True),  # transferred -> objection
    "handle": Limit(60, "handling"),  # accepted -> written reply
    "extension": Limit(30, "handling"),  # at most, once, approved by the unit's head
    "review_request": Limit(30, "review"),  # reply received -> review requested
    "review": Limit(30, "review"),  # review requested -> review opinion
    "re_review_request": Limit(30, "re_review"),  # review received -> re-review requested
    "re_review": Limit(30, "re_review"),  # re-review requested -> re-review opinion
}
WARN_FRACTION = 0.8


def days(name: str) -> int:
    return LIMITS[name].days


def text(name: str) -> str:
    """ "60日" / "5个工作日"."""
    return LIMITS[name].text


def article(name: str) -> str:
    """The article the limit comes from, with the regulation's title."""
    return law.cite(LIMITS[name].article)


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def limit_from_day(day: date, name: str) -> datetime:
    """The end of the limit `name` counted from the local day `day` (a delivery, a request
    received by letter): that day itself is not counted."""
    return limit_after(timezone.make_aware(datetime.combine(day, time(12, 0))), name)


def limit_after(start: datetime, name: str) -> datetime:
    """The end of the limit `name` counted from `start`'s local day."""
    limit = LIMITS[name]
    if limit.workdays:
        return end_of_day(workcal.add_workdays(timezone.localdate(start), limit.days))
    return days_after(start, limit.days)


def days_after(start: datetime, count: int) -> datetime:
    """The end of the `count`-th calendar day after `start`'s local day (23:59:59)."""
    return end_of_day(timezone.localdate(start) + timedelta(days=count))


def warn_point(start: datetime, due: datetime) -> datetime:
    return start + (due - start) * WARN_FRACTION


def last_day_text(due: datetime) -> str:
    return f"{timezone.localtime(due):%Y年%m月%d日}"


def is_provisional(start: datetime, end: datetime) -> bool:
    """Whether a working-day limit from `start` to `end` was counted on a provisional
    calendar (a year whose official arrangement is not known yet): the pages and the API say
    "临时日历", and zhili.petitions.handlers counts it again when the year is confirmed."""
    return workcal.provisional_between(timezone.localdate(start), timezone.localdate(end))


def current_limit(fields: dict, state: str) -> tuple[datetime | None, datetime | None]:
    """(start, due) of the limit that runs in `state`, read from the petition's fields.

    A petition handed back (returned_at) is transferred within a new transfer limit from its
    return; an objection pending (hand_back_requested) does not stop the acceptance limit."""
    if fields.get("hearing_started_on"):
        return None, None  # a hearing's time is not counted: the clock stops
    if state == State.REGISTERED and fields.get("returned_at"):
        return fields["returned_at"], fields.get("transfer_due")
    pairs: dict[str, tuple[str, str]] = {
        State.REGISTERED: ("received_at", "transfer_due"),
        State.ASSIGNED: ("transferred_at", "accept_due"),
        State.HAND_BACK_REQUESTED: ("transferred_at", "accept_due"),
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
